package fi.callgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 3: shredding overwrites the data a file holds, and never fills the holes of a sparse one. */
class FileShredderTest {
    @TempDir
    Path dir;

    @Test
    void aSparseFileIsOverwrittenWithoutAllocatingItsHoles() throws Exception {
        Path file = dir.resolve("sparse.up");
        byte[] head = random(20, 1);
        byte[] tail = random(8, 2);
        long tailAt = (2L << 30) - 8;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(head), 0);
            ch.write(ByteBuffer.wrap(tail), tailAt);
        }
        long before = allocatedBytes(file);
        assertThat(before).as("the file system keeps holes").isLessThan(1 << 20);

        FileShredder.overwrite(file);

        assertThat(allocatedBytes(file)).isLessThanOrEqualTo(before);
        assertThat(read(file, 0, 20)).containsOnly(0);
        assertThat(read(file, tailAt, 8)).containsOnly(0);
        assertThat(Files.size(file)).isEqualTo(2L << 30);
        FileShredder.shred(file);
        assertThat(file).doesNotExist();
    }

    @Test
    void everyDataByteIsOverwrittenWhateverTheFileLength() throws Exception {
        for (int length : new int[] {1, 4095, 4096, 4097, 256 * 4096 + 5, 3 * 256 * 4096 - 1}) {
            Path file = dir.resolve("f" + length);
            byte[] data = random(length, length);
            data[length / 2] = 0;
            Files.write(file, data);
            FileShredder.overwrite(file);
            assertThat(Files.readAllBytes(file)).as("length %d", length).containsOnly(0).hasSize(length);
        }
    }

    private static byte[] read(Path file, long at, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            ch.read(b, at);
            return b.array();
        }
    }

    /** What the file occupies on disk ({@code st_blocks}, in 512-byte units), which Java does not expose. */
    private static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        return Long.parseLong(out) * 512;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                b[i] = 1;
            }
        }
        return b;
    }
}
