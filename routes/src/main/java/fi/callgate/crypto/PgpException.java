package fi.callgate.crypto;

/**
 * Checked base exception of the crypto package. Checked on purpose: every caller of a key
 * parser or a decryptor has to decide what a refusal means for the file at hand.
 * Messages are meant for operators and controllers; they never contain plaintext.
 */
public class PgpException extends Exception {
    public PgpException(String message) {
        super(message);
    }

    public PgpException(String message, Throwable cause) {
        super(message, cause);
    }
}
