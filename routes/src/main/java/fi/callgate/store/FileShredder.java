package fi.callgate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Destroys a file: overwrites it with zeros and syncs, then unlinks it. On copy-on-write file systems
 * and SSDs the overwrite may not reach the old blocks; the real guarantee is that what Callgate writes is
 * encrypted under keys that are destroyed (crypto-shredding). This is the belt to that pair of braces.
 */
public final class FileShredder {
    private FileShredder() {
    }

    public static void shred(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 1 << 20));
            long pos = 0;
            while (pos < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
                pos += ch.write(zeros, pos);
            }
            ch.force(true);
        }
        Files.delete(file);
    }
}
