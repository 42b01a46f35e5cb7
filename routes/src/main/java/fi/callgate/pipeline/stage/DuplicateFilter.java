package fi.callgate.pipeline.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers which (phone, first name, last name) combinations a list has already had, and where, exactly,
 * with a heap footprint that does not grow with the list.
 *
 * <p>Each row becomes a 96-bit HMAC-SHA256 prefix under a random per-list key (not reversible by a
 * dictionary of phone numbers, even from a heap dump or the spill file) packed with its 32-bit row number
 * into 16 bytes, kept in an open-addressing table at most half full. Accidental collision odds are about
 * rows² / 2⁹⁷: nil in practice, so "duplicate of row N" names the right first row.
 *
 * <p>Bounded heap: the table lives on the heap up to {@code heapBytes} (16 MiB: 524 288 rows); beyond that
 * it moves to a memory-mapped temporary file, which the kernel pages to disk as it likes — the heap stays
 * flat whatever the file size, and a lookup is still one probe of a mapped page. The file holds only the
 * keyed hashes and row numbers (the key never leaves this object), is created mode 600 and unlinked at
 * once, so nothing of it is left by name even after a crash; its space is returned when the channel is
 * closed and the mapping collected. Disk use is 32 bytes a row with the table's slack, written as zeros
 * when a table is made, so a full disk is an {@link UncheckedIOException} there rather than a fault while
 * writing to the mapping.
 *
 * <p>Not thread-safe: feed it rows in file order, so that the first occurrence is the one kept.
 */
final class DuplicateFilter implements AutoCloseable {
    static final long DEFAULT_HEAP_BYTES = 16L << 20;
    private static final int SLOT_BYTES = 16;

    private final Path spillDir;
    private final long heapBytes;
    private final Mac mac;
    private final byte[] digest = new byte[32];
    private byte[] scratch = new byte[256];
    private Slots table = new HeapSlots(1024);
    private long size;

    DuplicateFilter(Path spillDir) {
        this(spillDir, DEFAULT_HEAP_BYTES);
    }

    DuplicateFilter(Path spillDir, long heapBytes) {
        this.spillDir = spillDir;
        this.heapBytes = heapBytes;
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            Arrays.fill(key, (byte) 0);
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
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        long hi = readLong(0);
        if (hi == 0) {
            hi = 1; // 0 marks an empty slot
        }
        long lo = (long) readInt(8) << 32;
        long rowBits = Math.min(row, 0xFFFF_FFFFL);

        long mask = table.slots() - 1;
        long i = home(hi) & mask;
        long h;
        while ((h = table.hi(i)) != 0) {
            long l = table.lo(i);
            if (h == hi && (l & 0xFFFF_FFFF_0000_0000L) == lo) {
                return l & 0xFFFF_FFFFL;
            }
            i = (i + 1) & mask;
        }
        table.put(i, hi, lo | rowBits);
        if (++size * 2 > table.slots()) {
            grow();
        }
        return 0;
    }

    /** True once the table has moved to the mapped file (for tests and the benchmark). */
    boolean spilled() {
        return table instanceof MappedSlots;
    }

    @Override
    public void close() {
        table.close();
    }

    /** Names are compared case-insensitively; each part is length-prefixed so "ab"+"c" ≠ "a"+"bc". */
    private int put(String s, int at) {
        int need = at + 4 + 2 * s.length();
        if (need > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(need, 2 * scratch.length));
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
        Slots old = table;
        long slots = old.slots() * 2;
        Slots bigger = slots * SLOT_BYTES <= heapBytes ? new HeapSlots(Math.toIntExact(slots))
                : new MappedSlots(spillDir, slots);
        long mask = slots - 1;
        for (long j = 0; j < old.slots(); j++) {
            long hi = old.hi(j);
            if (hi != 0) {
                long i = home(hi) & mask;
                while (bigger.hi(i) != 0) {
                    i = (i + 1) & mask;
                }
                bigger.put(i, hi, old.lo(j));
            }
        }
        table = bigger;
        old.close();
    }

    private static long home(long hi) {
        return hi ^ (hi >>> 32);
    }

    private long readLong(int off) {
        return ((long) readInt(off) << 32) | (readInt(off + 4) & 0xFFFF_FFFFL);
    }

    private int readInt(int off) {
        return ((digest[off] & 0xff) << 24) | ((digest[off + 1] & 0xff) << 16) | ((digest[off + 2] & 0xff) << 8)
                | (digest[off + 3] & 0xff);
    }

    /** A power-of-two number of 16-byte slots: the hash's high 64 bits (0 = empty), then hash bits + row. */
    private interface Slots {
        long slots();

        long hi(long slot);

        long lo(long slot);

        void put(long slot, long hi, long lo);

        void close();
    }

    private static final class HeapSlots implements Slots {
        private final long[] words;

        HeapSlots(int slots) {
            words = new long[2 * slots];
        }

        @Override
        public long slots() {
            return words.length / 2;
        }

        @Override
        public long hi(long slot) {
            return words[(int) (2 * slot)];
        }

        @Override
        public long lo(long slot) {
            return words[(int) (2 * slot + 1)];
        }

        @Override
        public void put(long slot, long hi, long lo) {
            words[(int) (2 * slot)] = hi;
            words[(int) (2 * slot + 1)] = lo;
        }

        @Override
        public void close() {
        }
    }

    /** The table in an unlinked temporary file, mapped in 1 GiB segments (a mapping is at most 2 GiB). */
    private static final class MappedSlots implements Slots {
        private static final int SEGMENT_SHIFT = 30;
        private static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;
        private final long slots;
        private final FileChannel channel;
        private final MappedByteBuffer[] segments;

        MappedSlots(Path dir, long slots) {
            this.slots = slots;
            long bytes = slots * SLOT_BYTES;
            try {
                Files.createDirectories(dir);
                Path file = Files.createTempFile(dir, ".duplicates-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } finally {
                    Files.delete(file);
                }
                try {
                    writeZeros(channel, bytes);
                    int n = (int) ((bytes + SEGMENT_MASK) >>> SEGMENT_SHIFT);
                    segments = new MappedByteBuffer[n];
                    for (int s = 0; s < n; s++) {
                        long start = (long) s << SEGMENT_SHIFT;
                        segments[s] = channel.map(FileChannel.MapMode.READ_WRITE, start,
                                Math.min(1L << SEGMENT_SHIFT, bytes - start));
                    }
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the duplicate check's spill file in " + dir, e);
            }
        }

        private static void writeZeros(FileChannel ch, long bytes) throws IOException {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            long pos = 0;
            while (pos < bytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - pos));
                pos += ch.write(zeros, pos);
            }
        }

        @Override
        public long slots() {
            return slots;
        }

        @Override
        public long hi(long slot) {
            long at = slot * SLOT_BYTES;
            return segments[(int) (at >>> SEGMENT_SHIFT)].getLong((int) (at & SEGMENT_MASK));
        }

        @Override
        public long lo(long slot) {
            long at = slot * SLOT_BYTES + 8;
            return segments[(int) (at >>> SEGMENT_SHIFT)].getLong((int) (at & SEGMENT_MASK));
        }

        @Override
        public void put(long slot, long hi, long lo) {
            long at = slot * SLOT_BYTES;
            MappedByteBuffer seg = segments[(int) (at >>> SEGMENT_SHIFT)];
            int off = (int) (at & SEGMENT_MASK);
            seg.putLong(off, hi);
            seg.putLong(off + 8, lo);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
