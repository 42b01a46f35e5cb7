package fi.callgate.crypto;

/**
 * Unchecked carrier of a refusal, so that it crosses BouncyCastle's stream code and the decryptor's helpers
 * unchanged; {@link PgpDecryptor#decrypt} unwraps it into its {@link PgpDecryptException}.
 */
final class DecryptRefusal extends RuntimeException {
    final PgpDecryptException exception;

    DecryptRefusal(PgpDecryptException e) {
        super(e.getMessage(), null, false, false);
        this.exception = e;
    }

    static DecryptRefusal of(DecryptFailure f, String message) {
        return new DecryptRefusal(new PgpDecryptException(f, message));
    }

    static DecryptRefusal of(DecryptFailure f, String message, Throwable cause) {
        return new DecryptRefusal(new PgpDecryptException(f, message, cause));
    }
}
