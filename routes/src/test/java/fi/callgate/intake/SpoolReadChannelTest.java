package fi.callgate.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seekable view archive readers use: any position, any length, read in any order, yields exactly the
 * uploaded bytes, and the view cannot write.
 */
class SpoolReadChannelTest {
    final SpoolCipher cipher = new SpoolCipher(SpoolCipherTest.MASTER);
    @TempDir
    Path dir;

    @Test
    void randomReadsAtAnyPositionGiveTheOriginalBytes() throws Exception {
        Random random = new Random(7);
        byte[] data = new byte[300_017];
        random.nextBytes(data);
        byte[] iv = SpoolCipher.newIv();
        Path file = dir.resolve("up");
        try (var w = cipher.openForWrite(file, iv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            w.write(ByteBuffer.wrap(data));
        }
        assertThat(Files.readAllBytes(file)).isNotEqualTo(data);
        try (SeekableByteChannel ch = cipher.openSeekable(file, iv)) {
            assertThat(ch.size()).isEqualTo(data.length);
            for (int i = 0; i < 200; i++) {
                int at = random.nextInt(data.length);
                int len = Math.min(1 + random.nextInt(100_000), data.length - at);
                ByteBuffer got = ByteBuffer.allocate(len);
                ch.position(at);
                while (got.hasRemaining() && ch.read(got) > 0) {
                    // keep reading
                }
                assertThat(got.array()).as("at " + at + " len " + len).isEqualTo(Arrays.copyOfRange(data, at, at + len));
                assertThat(ch.position()).isEqualTo(at + len);
            }
            ch.position(data.length);
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        }
    }
}
