package fi.callgate.crypto;

/**
 * Why {@link PgpDecryptor} refused an upload. Each value is a distinct, reportable reason that
 * the controller can act on; none of them ever comes with released plaintext that may be kept.
 */
public enum DecryptFailure {
    /** Not an OpenPGP message at all (e.g. a plaintext CSV uploaded by mistake). */
    NOT_OPENPGP,
    /** OpenPGP, but not encrypted (a key, a signed-only or a compressed-only message). */
    NOT_ENCRYPTED,
    /** Encrypted, but not to the gateway's key (or only with a passphrase). */
    WRONG_RECIPIENT,
    /** A cipher we refuse (64-bit-block or legacy ciphers) or a packet version we do not handle (AEAD). */
    UNSUPPORTED_ALGORITHM,
    /** Legacy Symmetrically Encrypted Data (tag 9) without MDC: malleable, refused before any plaintext. */
    NO_INTEGRITY_PROTECTION,
    /** Integrity check (MDC) failed or the decrypted content is corrupt: modified in transit or on purpose. */
    TAMPERED,
    /** The message ends early. */
    TRUNCATED,
    /**
     * Not a structure we accept: e.g. two literal packets, a packet where it does not belong, or a packet
     * declaring more bytes than its kind ever holds (refused on its header, before its body is read).
     */
    MALFORMED,
    /** A signature is required but the message is not (one-pass) signed. */
    SIGNATURE_MISSING,
    /** Signed, but not by one of the campaign controller's signing keys (exact key id + fingerprint). */
    WRONG_SIGNER,
    /** Signed by the controller's key, but the signature does not verify. */
    BAD_SIGNATURE,
    /** The controller's signing key has expired (or was revoked) by now. */
    SIGNER_KEY_EXPIRED_OR_REVOKED,
    /** Plaintext larger than {@link DecryptLimits#maxPlaintextBytes()}. */
    TOO_LARGE,
    /** Decompressed/ciphertext ratio above {@link DecryptLimits#maxCompressionRatio()}: a zip bomb. */
    COMPRESSION_RATIO,
    /** Compressed data inside compressed data: never produced by real tools, a classic bomb vector. */
    NESTED_COMPRESSION,
    /** Decryption took longer than {@link DecryptLimits#maxDuration()}. */
    TIMEOUT
}
