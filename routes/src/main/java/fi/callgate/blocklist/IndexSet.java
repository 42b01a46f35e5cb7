package fi.callgate.blocklist;

/**
 * A set of 16-byte keys (blind indexes) held as two {@code long[]} columns with open addressing and
 * linear probing: O(1) lookups, 16 bytes a slot, no object per entry, so a million numbers take about
 * 32 MiB instead of the ~100 MiB a {@code HashSet} of wrapped arrays would. The keys are already uniform
 * (truncated HMAC-SHA256), so the low word is the hash. Not thread-safe: {@link BlockList} guards it.
 */
final class IndexSet {
    private static final double LOAD = 0.6;
    private long[] hi;
    private long[] lo;
    private boolean[] used;
    private int size;

    IndexSet() {
        allocate(1 << 10);
    }

    int size() {
        return size;
    }

    boolean contains(byte[] key) {
        long h = word(key, 0);
        long l = word(key, 8);
        int mask = hi.length - 1;
        for (int i = (int) (l ^ (l >>> 32)) & mask; used[i]; i = (i + 1) & mask) {
            if (hi[i] == h && lo[i] == l) {
                return true;
            }
        }
        return false;
    }

    /** @return true if the key was not there before */
    boolean add(byte[] key) {
        if (size + 1 > hi.length * LOAD) {
            grow();
        }
        return insert(word(key, 0), word(key, 8));
    }

    private boolean insert(long h, long l) {
        int mask = hi.length - 1;
        int i = (int) (l ^ (l >>> 32)) & mask;
        while (used[i]) {
            if (hi[i] == h && lo[i] == l) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        hi[i] = h;
        lo[i] = l;
        size++;
        return true;
    }

    void clear() {
        if (size > 0) {
            java.util.Arrays.fill(used, false);
            size = 0;
        }
    }

    private void grow() {
        long[] oldHi = hi;
        long[] oldLo = lo;
        boolean[] oldUsed = used;
        allocate(hi.length * 2);
        for (int i = 0; i < oldHi.length; i++) {
            if (oldUsed[i]) {
                insert(oldHi[i], oldLo[i]);
            }
        }
    }

    private void allocate(int capacity) {
        hi = new long[capacity];
        lo = new long[capacity];
        used = new boolean[capacity];
        size = 0;
    }

    private static long word(byte[] b, int off) {
        if (b.length != 16) {
            throw new IllegalArgumentException("a blind index is 16 bytes");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
