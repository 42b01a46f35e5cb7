package fi.callgate.pipeline.stage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Remembers which (phone, first name, last name) combinations a list has already had, and where.
 *
 * <p>Memory stays bounded without keeping personal data: each row becomes a 96-bit HMAC-SHA256 prefix
 * under a random per-list key (not reversible by a dictionary of phone numbers, even from a heap dump)
 * packed with its 32-bit row number into 16 bytes, kept in an open-addressing table at most half full:
 * O(rows × 16 bytes), about 32 bytes a row with the table's slack (64 MB for two million rows).
 * Accidental collision odds are about rows² / 2⁹⁷: nil in practice.
 *
 * <p>Not thread-safe: feed it rows in file order, so that the first occurrence is the one kept.
 */
final class DuplicateFilter {

    private final Mac mac;
    private final byte[] digest = new byte[32];
    private byte[] scratch = new byte[256];
    private long[] table = new long[2 * 1024];
    private int size;

    DuplicateFilter() {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** 0 if this is the first such row (and remembers it), otherwise the row number of the first. */
    long firstOccurrence(String e164, String firstName, String lastName, long row) {
        int len = 0;
        len = put(e164, len);
        len = put(firstName, len);
        len = put(lastName, len);
        mac.update(scratch, 0, len);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        long hi = readLong(0);
        if (hi == 0) {
            hi = 1; // 0 marks an empty slot
        }
        long lo = ((long) readInt(8) << 32);
        int rowBits = (int) Math.min(row, 0xFFFF_FFFFL);

        int slots = table.length / 2;
        int i = (int) (hi ^ (hi >>> 32)) & (slots - 1);
        while (table[2 * i] != 0) {
            if (table[2 * i] == hi && (table[2 * i + 1] & 0xFFFF_FFFF_0000_0000L) == lo) {
                return table[2 * i + 1] & 0xFFFF_FFFFL;
            }
            i = (i + 1) & (slots - 1);
        }
        table[2 * i] = hi;
        table[2 * i + 1] = lo | (rowBits & 0xFFFF_FFFFL);
        if (++size * 2 > slots) {
            grow();
        }
        return 0;
    }

    /** Names are compared case-insensitively; each part is length-prefixed so "ab"+"c" ≠ "a"+"bc". */
    private int put(String s, int at) {
        int need = at + 4 + 2 * s.length();
        if (need > scratch.length) {
            scratch = java.util.Arrays.copyOf(scratch, Math.max(need, 2 * scratch.length));
        }
        int n = s.length();
        scratch[at++] = (byte) (n >>> 24);
        scratch[at++] = (byte) (n >>> 16);
        scratch[at++] = (byte) (n >>> 8);
        scratch[at++] = (byte) n;
        for (int k = 0; k < n; k++) {
            char c = Character.toLowerCase(s.charAt(k));
            scratch[at++] = (byte) (c >>> 8);
            scratch[at++] = (byte) c;
        }
        return at;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int slots = table.length / 2;
        for (int j = 0; j < old.length; j += 2) {
            long hi = old[j];
            if (hi != 0) {
                int i = (int) (hi ^ (hi >>> 32)) & (slots - 1);
                while (table[2 * i] != 0) {
                    i = (i + 1) & (slots - 1);
                }
                table[2 * i] = hi;
                table[2 * i + 1] = old[j + 1];
            }
        }
    }

    private long readLong(int off) {
        return ((long) readInt(off) << 32) | (readInt(off + 4) & 0xFFFF_FFFFL);
    }

    private int readInt(int off) {
        return ((digest[off] & 0xff) << 24) | ((digest[off + 1] & 0xff) << 16) | ((digest[off + 2] & 0xff) << 8)
                | (digest[off + 3] & 0xff);
    }
}
