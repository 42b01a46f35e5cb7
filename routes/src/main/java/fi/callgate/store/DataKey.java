package fi.callgate.store;

import fi.callgate.files.SealingKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key used with GCM (an AEAD: confidentiality and integrity in one). Used for a campaign's
 * data key and for the key-encryption keys that wrap it.
 *
 * <p>Sealed format: {@code version(1) || nonce(12) || ciphertext || tag(16)}. The nonce is 96 random bits
 * per message; with random nonces one key stays safe for far more than 2^30 messages, and a campaign is
 * many orders of magnitude below that. The JDK's provider is used on purpose (STACK.md: several times
 * faster than BouncyCastle's for symmetric work).
 *
 * <p>Speed at ingest (one seal per stored record): each thread keeps one {@link Cipher} per key and
 * re-initialises it for every message, so the provider lookup is paid once and the JDK's AES keeps the
 * key schedule as long as the key does not change (≈ 10.5 µs → ≈ 0.9 µs for a 200-byte record here).
 * Re-initialising with a new nonce is what GCM needs anyway; the cipher is never used by two threads.
 * The cache hangs off this object, so a new (rotated) key gets new ciphers and a key dropped from
 * {@code CampaignKeyStore} (shredded) takes its ciphers with it, instead of one per-thread cipher
 * holding some campaign's schedule indefinitely. Nonces come from {@link BufferedRandom}: the same
 * 96 uniformly random bits as before, so the collision bound above is unchanged (and the JDK refuses to
 * encrypt twice in a row under the same key and nonce as a last line of defence).
 */
public final class DataKey implements SealingKey {
    static final int KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(DataKey::newCipher);

    DataKey(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key is " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** A fresh random key. */
    static DataKey random() {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        try {
            return new DataKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Encrypts and authenticates {@code plaintext}; {@code aad} is authenticated but not stored. */
    @Override
    public byte[] seal(byte[] plaintext, byte[] aad) {
        byte[] out = new byte[1 + NONCE_BYTES + plaintext.length + TAG_BITS / 8];
        out[0] = VERSION;
        BufferedRandom.nextBytes(out, 1, NONCE_BYTES);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, out, 1, NONCE_BYTES));
            c.updateAAD(aad);
            c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made with the same key and the same {@code aad}.
     *
     * @throws UndecryptableException if the key or the aad differ or a byte was changed
     */
    @Override
    public byte[] open(byte[] sealed, byte[] aad) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new UndecryptableException("not a sealed value of a known version");
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UndecryptableException("authentication failed: wrong key, wrong context or tampered data");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The raw key, for wrapping only. The caller must wipe the copy. */
    byte[] rawCopy() {
        return key.getEncoded();
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "DataKey[***]";
    }

    /** A sealed value that cannot be opened: wrong key, wrong context (AAD), tampered, or shredded. */
    public static final class UndecryptableException extends StoreException {
        public UndecryptableException(String message) {
            super(message);
        }
    }
}
