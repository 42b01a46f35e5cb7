package fi.callgate.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Destroys a file: overwrites with zeros the pages that hold data, syncs, then unlinks it. On
 * copy-on-write file systems and SSDs the overwrite may not reach the old blocks; the real guarantee is
 * that what Callgate writes is encrypted under keys that are destroyed (crypto-shredding). This is the belt
 * to that pair of braces.
 *
 * <p>Only pages with a non-zero byte are overwritten. A page that reads as zeros holds nothing to destroy
 * — and is most likely a hole of a sparse file, which writing zeros into would allocate: a client that
 * wrote 28 bytes spread over 2 GiB made the old shredder fill 2 GiB of disk. So the disk a shred uses is
 * at most the disk the file already occupied.
 */
public final class FileShredder {
    /** The file-system page, the unit the kernel allocates; overwriting whole pages allocates nothing new. */
    static final int PAGE = 4096;
    private static final int CHUNK = 256 * PAGE;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private FileShredder() {
    }

    public static void shred(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        overwrite(file);
        Files.delete(file);
    }

    /** The overwrite alone (tests look at the file it leaves). */
    static void overwrite(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
            for (long at = 0; at < size; at += CHUNK) {
                int length = (int) Math.min(CHUNK, size - at);
                chunk.clear().limit(length);
                while (chunk.hasRemaining() && ch.read(chunk, at + chunk.position()) >= 0) {
                    // read the whole chunk (or up to the end, if the file shrank meanwhile)
                }
                overwriteDataPages(ch, at, chunk.array(), chunk.position(), zeros);
            }
            ch.force(true);
        }
    }

    /** Writes zeros over each run of pages in {@code data} that holds a non-zero byte. */
    private static void overwriteDataPages(FileChannel ch, long at, byte[] data, int length, ByteBuffer zeros)
            throws IOException {
        int runStart = -1;
        for (int page = 0; page < length + PAGE; page += PAGE) { // one step past the end closes the last run
            boolean dataPage = page < length && !isZero(data, page, Math.min(length, page + PAGE));
            if (dataPage && runStart < 0) {
                runStart = page;
            } else if (!dataPage && runStart >= 0) {
                zeros.clear().limit(Math.min(page, length) - runStart);
                while (zeros.hasRemaining()) {
                    ch.write(zeros, at + runStart + zeros.position());
                }
                runStart = -1;
            }
        }
    }

    private static boolean isZero(byte[] data, int from, int to) {
        return Arrays.mismatch(data, from, to, ZERO_PAGE, 0, to - from) < 0;
    }
}
