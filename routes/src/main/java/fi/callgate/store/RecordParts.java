package fi.callgate.store;

import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The records of one record set in sealed part files: {@code parts/<dataset>/part-<n>}, each a stream of
 * records cut into 64 KiB segments sealed with AES-GCM under the campaign's data key — the layout of the
 * pipeline's sealed spool: every segment but the last of a file holds exactly {@value #SEGMENT} plaintext
 * bytes and takes {@link #STRIDE} bytes on disk, so segment {@code i} starts at {@code i * STRIDE} and a
 * record is read by decrypting the one or two segments it lies in. The associated data binds each segment
 * to the campaign, the upload, the part, its index and whether it is the last: segments cannot be moved,
 * swapped between files or dropped, nor a file truncated, without the read failing.
 *
 * <p>Inside, a record is {@code ordinal (8) | row number (8) | length (4) | RecordCipher plaintext}. The
 * ordinal is checked on every read, so an index entry pointed at another record's place (by someone able to
 * write the index files) is refused rather than served under the wrong id. An erased record keeps its
 * place with ordinal -1 and zero bytes ({@link #purge}): every other record keeps its location, so the
 * index needs no update when a part is rewritten.
 *
 * <p>A location is {@code part << 40 | offset}: at most {@value #PART_CAP} bytes a part (a new part starts
 * at the first record boundary past it), so a list of any size is a handful of files of bounded size.
 */
final class RecordParts {
    static final int SEGMENT = 64 * 1024;
    /** DataKey overhead (version, nonce, tag) plus the 4-byte length. */
    static final int OVERHEAD = 4 + 1 + 12 + 16;
    static final long STRIDE = SEGMENT + OVERHEAD;
    static final long PART_CAP = 64L << 20;
    static final int HEADER = 8 + 8 + 4;
    static final int MAX_RECORD = 1 << 24;

    private final Path root;

    RecordParts(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    Path dir(long dataset) {
        return root.resolve(String.format("%012d", dataset));
    }

    static Path partFile(Path dir, int part) {
        return dir.resolve(String.format("part-%05d", part));
    }

    static long location(int part, long offset) {
        return ((long) part << 40) | offset;
    }

    static int partOf(long location) {
        return (int) (location >>> 40);
    }

    static long offsetOf(long location) {
        return location & ((1L << 40) - 1);
    }

    /** The per-file part of the segments' associated data. */
    static byte[] context(String campaign, String uploadId, int part) {
        return ("callgate:record-part:v1|" + campaign.length() + ":" + campaign + "|" + uploadId + "|" + part)
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] aad(byte[] context, long index, boolean last) {
        return ByteBuffer.allocate(context.length + 9).put(context).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    /** A plaintext record read back. */
    record Entry(long ordinal, long rowNumber, byte[] plain) {
    }

    // ------------------------------------------------------------------ writing

    /** Appends the records of one set in order; one writer per set, not thread-safe. */
    Writer writer(long dataset, String campaign, String uploadId, DataKey key) throws IOException {
        Path dir = dir(dataset);
        Files.createDirectories(dir);
        return new Writer(dir, campaign, uploadId, key);
    }

    final class Writer implements AutoCloseable {
        private final Path dir;
        private final String campaign;
        private final String uploadId;
        private final DataKey key;
        private final byte[] header = new byte[HEADER];
        private SegmentOutput out;
        private int part = -1;

        private Writer(Path dir, String campaign, String uploadId, DataKey key) {
            this.dir = dir;
            this.campaign = campaign;
            this.uploadId = uploadId;
            this.key = key;
        }

        /** Appends one record; returns its location. */
        long append(long ordinal, long rowNumber, byte[] plain) throws IOException {
            if (out == null || out.position() >= PART_CAP) {
                nextPart();
            }
            long at = out.position();
            ByteBuffer.wrap(header).putLong(ordinal).putLong(rowNumber).putInt(plain.length);
            out.write(header, 0, HEADER);
            out.write(plain, 0, plain.length);
            return location(part, at);
        }

        private void nextPart() throws IOException {
            if (out != null) {
                out.finish();
            }
            part++;
            Path file = partFile(dir, part);
            out = new SegmentOutput(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    key, context(campaign, uploadId, part));
        }

        /** Seals the last segment, forces every part and the directory to disk. Returns the part count. */
        int finish() throws IOException {
            if (out == null) {
                nextPart();
            }
            out.finish();
            out = null;
            forceDirectory(dir);
            forceDirectory(dir.getParent());
            return part + 1;
        }

        /** Abandons an unfinished writer: the files stay for the set's discard. */
        @Override
        public void close() {
            if (out != null) {
                out.abandon();
                out = null;
            }
        }
    }

    /** Writes plaintext into sealed segments of one file. */
    private static final class SegmentOutput {
        private final FileChannel file;
        private final DataKey key;
        private final byte[] context;
        private final byte[] buffer = new byte[SEGMENT];
        private int filled;
        private long index;
        private long position;

        SegmentOutput(FileChannel file, DataKey key, byte[] context) {
            this.file = file;
            this.key = key;
            this.context = context;
        }

        long position() {
            return position;
        }

        void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    seal(false);
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                position += n;
            }
        }

        private void seal(boolean last) throws IOException {
            byte[] plain = Arrays.copyOf(buffer, filled);
            byte[] sealed = key.seal(plain, aad(context, index++, last));
            Arrays.fill(plain, (byte) 0);
            ByteBuffer b = ByteBuffer.allocate(4 + sealed.length).putInt(sealed.length).put(sealed).flip();
            while (b.hasRemaining()) {
                file.write(b);
            }
            filled = 0;
        }

        void finish() throws IOException {
            try {
                seal(true);
                file.force(true);
            } finally {
                Arrays.fill(buffer, (byte) 0);
                file.close();
            }
        }

        void abandon() {
            Arrays.fill(buffer, (byte) 0);
            try {
                file.close();
            } catch (IOException e) {
                // the set is discarded with its files; nothing to keep
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** Reads the plaintext of a part from a position on, one segment at a time. */
    private static final class SegmentInput implements AutoCloseable {
        private final FileChannel file;
        private final DataKey key;
        private final byte[] context;
        private final long segments;
        private long index;
        private byte[] segment = new byte[0];
        private int pos;

        SegmentInput(Path path, DataKey key, byte[] context, long offset) throws IOException {
            this.file = FileChannel.open(path, StandardOpenOption.READ);
            this.key = key;
            this.context = context;
            long size = file.size();
            this.segments = size / STRIDE + (size % STRIDE == 0 ? 0 : 1);
            this.index = offset / SEGMENT;
            if (index < segments) {
                load();
                pos = (int) (offset % SEGMENT);
            }
        }

        private void load() throws IOException {
            ByteBuffer len = ByteBuffer.allocate(4);
            long at = index * STRIDE;
            readFully(len, at);
            int n = len.flip().getInt();
            if (n < OVERHEAD - 4 || n > SEGMENT + OVERHEAD) {
                throw new StoreException("record part is damaged: impossible segment length");
            }
            ByteBuffer sealed = ByteBuffer.allocate(n);
            readFully(sealed, at + 4);
            boolean last = index == segments - 1;
            Arrays.fill(segment, (byte) 0);
            segment = key.open(sealed.array(), aad(context, index, last));
            if (!last && segment.length != SEGMENT) {
                throw new StoreException("record part is damaged: short segment");
            }
            index++;
            pos = 0;
        }

        private void readFully(ByteBuffer b, long at) throws IOException {
            while (b.hasRemaining()) {
                if (file.read(b, at + b.position()) < 0) {
                    throw new StoreException("record part is truncated");
                }
            }
        }

        /** True at the end of the last segment. */
        boolean atEnd() throws IOException {
            while (pos == segment.length) {
                if (index >= segments) {
                    return true;
                }
                load();
            }
            return false;
        }

        void readFully(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (atEnd()) {
                    throw new StoreException("record part is damaged: record cut short");
                }
                int n = Math.min(len, segment.length - pos);
                System.arraycopy(segment, pos, b, off, n);
                pos += n;
                off += n;
                len -= n;
            }
        }

        Entry next(byte[] header) throws IOException {
            readFully(header, 0, HEADER);
            ByteBuffer h = ByteBuffer.wrap(header);
            long ordinal = h.getLong();
            long row = h.getLong();
            int len = h.getInt();
            if (len < 0 || len > MAX_RECORD) {
                throw new StoreException("record part is damaged: impossible record length");
            }
            byte[] plain = new byte[len];
            readFully(plain, 0, len);
            return new Entry(ordinal, row, plain);
        }

        @Override
        public void close() {
            Arrays.fill(segment, (byte) 0);
            try {
                file.close();
            } catch (IOException e) {
                // read-only
            }
        }
    }

    /** The record at a location, checked to be the one with this ordinal. */
    Entry read(long dataset, String campaign, String uploadId, DataKey key, long location, long ordinal) {
        int part = partOf(location);
        try (SegmentInput in = new SegmentInput(partFile(dir(dataset), part), key, context(campaign, uploadId, part),
                offsetOf(location))) {
            Entry e = in.next(new byte[HEADER]);
            if (e.ordinal() != ordinal) {
                throw new StoreException("record part does not hold record " + ordinal + " of set " + dataset
                        + " where the index says");
            }
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a record of set " + dataset, e);
        }
    }

    /**
     * Every record of a set in order, erased ones included (ordinal -1), read lazily: one segment in memory.
     * Close it (or read to the end) to release the open part.
     */
    Cursor cursor(long dataset, String campaign, String uploadId, DataKey key, int parts) {
        return new Cursor(dataset, campaign, uploadId, key, parts);
    }

    final class Cursor implements java.util.Iterator<Entry>, AutoCloseable {
        private final long dataset;
        private final String campaign;
        private final String uploadId;
        private final DataKey key;
        private final int parts;
        private final byte[] header = new byte[HEADER];
        private int part = -1;
        private SegmentInput in;

        private Cursor(long dataset, String campaign, String uploadId, DataKey key, int parts) {
            this.dataset = dataset;
            this.campaign = campaign;
            this.uploadId = uploadId;
            this.key = key;
            this.parts = parts;
        }

        @Override
        public boolean hasNext() {
            try {
                while (in == null || in.atEnd()) {
                    close();
                    if (++part >= parts) {
                        return false;
                    }
                    in = new SegmentInput(partFile(dir(dataset), part), key, context(campaign, uploadId, part), 0);
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read records of set " + dataset, e);
            }
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            try {
                return in.next(header);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read records of set " + dataset, e);
            }
        }

        @Override
        public void close() {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }

    // ------------------------------------------------------------------ erasing

    /**
     * Rewrites one part with the records at these offsets erased (ordinal -1, payload zeroed), every segment
     * sealed afresh under new nonces: tmp file, fsync, atomic rename, directory fsync. The old ciphertext of
     * an erased record is then in no file under data-dir.
     */
    void purge(long dataset, String campaign, String uploadId, DataKey key, int part, Set<Long> offsets)
            throws IOException {
        Path dir = dir(dataset);
        Path file = partFile(dir, part);
        if (!Files.exists(file)) {
            return;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        byte[] context = context(campaign, uploadId, part);
        byte[] header = new byte[HEADER];
        SegmentOutput out = new SegmentOutput(FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), key, context);
        try (SegmentInput in = new SegmentInput(file, key, context, 0)) {
            while (!in.atEnd()) {
                long at = out.position();
                Entry e = in.next(header);
                boolean erase = offsets.contains(at);
                ByteBuffer.wrap(header).putLong(erase ? -1 : e.ordinal()).putLong(erase ? -1 : e.rowNumber())
                        .putInt(e.plain().length);
                if (erase) {
                    Arrays.fill(e.plain(), (byte) 0);
                }
                out.write(header, 0, HEADER);
                out.write(e.plain(), 0, e.plain().length);
                Arrays.fill(e.plain(), (byte) 0);
            }
            out.finish();
        } catch (IOException | RuntimeException e) {
            out.abandon();
            Files.deleteIfExists(tmp);
            throw e;
        }
        // Atomic replace: a reader that opened the part before keeps reading the old version whole (its
        // descriptor), never a mix; the old version's blocks are freed once it closes. It is not zeroed
        // here, because such a reader (a dialer list being rendered) would then fail mid-way.
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
    }

    /** Removes a set's part files (shredding, discarding a staged set). Idempotent. */
    void delete(long dataset) throws IOException {
        Path dir = dir(dataset);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(files::add);
        }
        for (Path f : files) {
            FileShredder.shred(f);
            Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
        forceDirectory(root);
    }

    /** Data-set numbers that have a directory: for the start-up check against the record sets. */
    List<Long> datasetsOnDisk() throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                try {
                    out.add(Long.parseLong(p.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        return out;
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
