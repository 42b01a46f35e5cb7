package fi.callgate.files;

/**
 * What the sealed files need of a key: authenticated encryption of one segment bound to associated data.
 * The campaign's data key ({@code fi.callgate.store.DataKey}) is the one implementation; it lives in the
 * store with the key hierarchy that wraps it. The files package names only this interface so that it
 * stays at the bottom, importing nothing of Callgate: the store itself shreds files through it.
 */
public interface SealingKey {

    /** Encrypts and authenticates {@code plaintext}; {@code aad} is authenticated but not stored. */
    byte[] seal(byte[] plaintext, byte[] aad);

    /**
     * Decrypts what {@link #seal} made with the same key and the same {@code aad}.
     *
     * @throws RuntimeException if the key or the aad differ or a byte was changed
     */
    byte[] open(byte[] sealed, byte[] aad);
}
