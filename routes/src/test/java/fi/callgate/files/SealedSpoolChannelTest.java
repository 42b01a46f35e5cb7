package fi.callgate.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.store.DataKey;
import fi.callgate.store.TestDataKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Random access into a sealed file: sizes on and around segment boundaries, any offset, tampering refused. */
class SealedSpoolChannelTest {
    static final int SEG = 64 * 1024;
    @TempDir
    Path dir;
    final DataKey key = TestDataKeys.random();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 3 * SEG + 77})
    void readsBackEveryByteFromAnyOffset(int size) throws IOException {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        Path f = seal(plain, "ctx");
        assertThat(SealedSpoolChannel.plaintextSize(Files.size(f))).isEqualTo(size);
        try (SealedSpoolChannel ch = SealedSpoolChannel.open(f, key, "ctx")) {
            assertThat(ch.size()).isEqualTo(size);
            ByteBuffer all = ByteBuffer.allocate(size + 10);
            while (ch.read(all) > 0) {
                // until EOF
            }
            assertThat(all.position()).isEqualTo(size);
            assertThat(java.util.Arrays.copyOf(all.array(), size)).isEqualTo(plain);
            Random r = new Random(1);
            for (int i = 0; i < 50 && size > 0; i++) {
                int at = r.nextInt(size);
                int len = Math.min(size - at, 1 + r.nextInt(2 * SEG));
                ByteBuffer b = ByteBuffer.allocate(len);
                ch.position(at);
                while (b.hasRemaining() && ch.read(b) > 0) {
                    // fill
                }
                assertThat(b.array()).isEqualTo(java.util.Arrays.copyOfRange(plain, at, at + len));
            }
            assertThat(ch.position(size).read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void aTruncatedOrForeignFileFails() throws IOException {
        byte[] plain = new byte[2 * SEG + 5];
        Path f = seal(plain, "ctx");
        try (SealedSpoolChannel ch = SealedSpoolChannel.open(f, key, "other")) {
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10))).isInstanceOf(IOException.class);
        }
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.WRITE)) {
            fc.truncate(2 * (SEG + 33)); // drop the last segment: the new "last" was sealed as a middle one
        }
        try (SealedSpoolChannel ch = SealedSpoolChannel.open(f, key, "ctx")) {
            ch.position(SEG + 1);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10))).isInstanceOf(IOException.class);
        }
    }

    private Path seal(byte[] plain, String ctx) throws IOException {
        Path f = dir.resolve("s-" + plain.length);
        try (OutputStream out = SealedSpool.writer(f, key, ctx)) {
            out.write(plain);
        }
        return f;
    }
}
