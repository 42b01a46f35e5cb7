package fi.callgate.crypto;

/** An aes-zip upload refused by {@link ArchiveDecryptor}, with the reason for the sender. */
public final class ArchiveDecryptException extends Exception {
    private final ArchiveFailure failure;

    public ArchiveDecryptException(ArchiveFailure failure, String detail) {
        super(detail == null ? failure.text() : failure.text() + " (" + detail + ")");
        this.failure = failure;
    }

    public ArchiveDecryptException(ArchiveFailure failure) {
        this(failure, null);
    }

    public ArchiveFailure failure() {
        return failure;
    }
}
