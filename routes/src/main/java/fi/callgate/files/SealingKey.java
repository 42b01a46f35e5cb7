package fi.callgate.files;

/**
 * What the sealed files need of a key: authenticated encryption of one segment bound to associated data.
 * The campaign's data key is the one implementation; it lives in the store with the key hierarchy that
 * wraps it. The files package names only this interface so that it
 * stays at the bottom, importing nothing of Callgate: the store itself shreds files through it.
 *
 * <p>The sealed size is part of the contract: {@link SealedSpoolChannel} finds segment {@code i} by
 * arithmetic, so a sealed value is always its plaintext plus {@link #SEALED_OVERHEAD} bytes.
 */
public interface SealingKey {
    /** Bytes a sealed value adds to its plaintext: format version (1), nonce (12), GCM tag (16). */
    int SEALED_OVERHEAD = 1 + 12 + 16;

    /** Encrypts and authenticates {@code plaintext}; {@code aad} is authenticated but not stored. */
    byte[] seal(byte[] plaintext, byte[] aad);

    /**
     * Decrypts what {@link #seal} made with the same key and the same {@code aad}.
     *
     * @throws RuntimeException if the key or the aad differ or a byte was changed
     */
    byte[] open(byte[] sealed, byte[] aad);
}
