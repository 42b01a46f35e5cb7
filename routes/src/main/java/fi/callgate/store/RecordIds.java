package fi.callgate.store;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Record ids: the 16-byte {@link RecordAddress} encrypted with AES-128 (one block, a pseudo-random
 * permutation) under a key derived from the master key for this purpose alone, written as 26 characters
 * of base32 {@code [a-z2-7]} — the same length and alphabet as the random ids before, never the start of a
 * CSV formula.
 *
 * <p>Why a block cipher and not random ids: the id resolves to the record with no table (the 79 µs per row
 * of an indexed id column was most of the old ingest cost), yet to anyone without the master key it is
 * a random-looking 128-bit value: it reveals no time, no order, no list size, and consecutive rows get
 * unrelated ids. A guessed or altered id decrypts to an address whose 48 high bits (dataset and ordinal
 * stay below 2^40) are almost surely not all zero — a forgery is recognised without any lookup, with
 * probability 1 - 2^-48; one that passes still has to name a stored record of the same campaign.
 */
public final class RecordIds {
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    static final int LENGTH = 26;

    private final SecretKeySpec key;
    private final ThreadLocal<Cipher> encrypt;
    private final ThreadLocal<Cipher> decrypt;

    public RecordIds(MasterKey master) {
        byte[] k = Arrays.copyOf(master.derive("record-id-v1"), 16);
        this.key = new SecretKeySpec(k, "AES");
        Arrays.fill(k, (byte) 0);
        // A Cipher per thread: init (the key schedule) once, not per id.
        this.encrypt = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE));
        this.decrypt = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE));
    }

    /** The public id of the record at this address. */
    public String id(RecordAddress a) {
        byte[] block = ByteBuffer.allocate(16).putLong(a.dataset()).putLong(a.ordinal()).array();
        try {
            return base32(encrypt.get().doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** The address an id names, or empty if it is not an id this gateway issued (malformed or forged). */
    public Optional<RecordAddress> address(String id) {
        byte[] block = decodeBase32(id);
        if (block == null) {
            return Optional.empty();
        }
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(decrypt.get().doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
        long dataset = b.getLong();
        long ordinal = b.getLong();
        if (dataset < 1 || dataset >= RecordAddress.LIMIT || ordinal < 0 || ordinal >= RecordAddress.LIMIT) {
            return Optional.empty();
        }
        return Optional.of(new RecordAddress(dataset, ordinal));
    }

    private Cipher cipher(int mode) {
        try {
            // ECB of exactly one block is the raw permutation AES-128(k, address): no mode is involved.
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(mode, key);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    static String base32(byte[] b) {
        StringBuilder s = new StringBuilder(LENGTH);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return s.toString();
    }

    /** 16 bytes, or null if the text is not 26 base32 characters with the 2 padding bits zero. */
    static byte[] decodeBase32(String id) {
        if (id == null || id.length() != LENGTH) {
            return null;
        }
        byte[] out = new byte[16];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < LENGTH; i++) {
            int v = ALPHABET.indexOf(id.charAt(i));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }
        return buffer == 0 ? out : null;
    }
}
