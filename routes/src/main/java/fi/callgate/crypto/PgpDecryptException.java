package fi.callgate.crypto;

/** A refused upload: {@link #failure()} is the machine-readable reason, the message the human one. */
public final class PgpDecryptException extends PgpException {
    private final DecryptFailure failure;

    public PgpDecryptException(DecryptFailure failure, String message) {
        super(failure + ": " + message);
        this.failure = failure;
    }

    public PgpDecryptException(DecryptFailure failure, String message, Throwable cause) {
        super(failure + ": " + message, cause);
        this.failure = failure;
    }

    public DecryptFailure failure() {
        return failure;
    }
}
