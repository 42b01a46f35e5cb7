package fi.callgate.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random access to the plaintext of a {@link SealedSpool} file, for SFTP reads (which come with offsets).
 * The layout is fixed: every segment but the last holds exactly {@value SealedSpool#SEGMENT} plaintext
 * bytes and takes {@code SEGMENT + 33} bytes on disk (4-byte length, version, 12-byte nonce, 16-byte tag),
 * so the plaintext size follows from the file size alone and segment {@code i} starts at
 * {@code i * (SEGMENT + 33)}. Each segment is authenticated with its index and, for the last, the "last"
 * flag, exactly as the streaming reader does: a truncated, reordered or spliced file fails to read.
 * At most one decrypted segment is held; it is wiped on close. Position, refusal to write and the
 * closed state are {@link ReadOnlyFileChannel}'s.
 */
public final class SealedSpoolChannel extends ReadOnlyFileChannel {
    /** The 4-byte length before each sealed segment, and what sealing adds. */
    static final int OVERHEAD = 4 + SealingKey.SEALED_OVERHEAD;
    static final long STRIDE = SealedSpool.SEGMENT + OVERHEAD;

    private final SealingKey key;
    private final String context;
    private final long size;
    private final long segments;
    private long cachedIndex = -1;
    private byte[] cached;

    private SealedSpoolChannel(FileChannel file, SealingKey key, String context) throws IOException {
        super(file);
        this.key = key;
        this.context = context;
        long sealed = file.size();
        this.size = plaintextSize(sealed);
        this.segments = sealed % STRIDE == 0 ? sealed / STRIDE : sealed / STRIDE + 1;
    }

    public static SealedSpoolChannel open(Path path, SealingKey key, String context) throws IOException {
        FileChannel fc = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SealedSpoolChannel(fc, key, context);
        } catch (IOException | RuntimeException e) {
            fc.close();
            throw e;
        }
    }

    /** The plaintext size of a sealed file of this size. */
    public static long plaintextSize(long sealedSize) throws IOException {
        long full = sealedSize / STRIDE;
        long rest = sealedSize % STRIDE;
        if (rest == 0 && full > 0) {
            return full * SealedSpool.SEGMENT;
        }
        if (rest < OVERHEAD) {
            throw new IOException("sealed file has an impossible size");
        }
        return full * SealedSpool.SEGMENT + (rest - OVERHEAD);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long position = position();
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            long index = position / SealedSpool.SEGMENT;
            byte[] plain = segment(index);
            int at = (int) (position % SealedSpool.SEGMENT);
            int n = Math.min(dst.remaining(), plain.length - at);
            dst.put(plain, at, n);
            position += n;
            total += n;
        }
        advance(total);
        return total;
    }

    private byte[] segment(long index) throws IOException {
        if (index == cachedIndex) {
            return cached;
        }
        boolean last = index == segments - 1;
        long plainLength = last ? size - index * SealedSpool.SEGMENT : SealedSpool.SEGMENT;
        ByteBuffer buf = ByteBuffer.allocate((int) (plainLength + OVERHEAD));
        long at = index * STRIDE;
        while (buf.hasRemaining()) {
            int n = file.read(buf, at + buf.position());
            if (n < 0) {
                throw new IOException("sealed file is truncated");
            }
        }
        buf.flip();
        if (buf.getInt() != plainLength + OVERHEAD - 4) {
            throw new IOException("sealed file is corrupt");
        }
        byte[] sealed = new byte[buf.remaining()];
        buf.get(sealed);
        byte[] plain;
        try {
            plain = key.open(sealed, SealedSpool.aad(context, index, last));
        } catch (RuntimeException e) {
            throw new IOException("sealed file failed authentication", e);
        }
        wipe();
        cached = plain;
        cachedIndex = index;
        return plain;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    /** The plaintext size, also after close. */
    public long plaintextSize() {
        return size;
    }

    @Override
    public void close() throws IOException {
        wipe();
        super.close();
    }

    private void wipe() {
        if (cached != null) {
            Arrays.fill(cached, (byte) 0);
            cached = null;
            cachedIndex = -1;
        }
    }
}
