package fi.callgate.intake;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.store.MasterKey;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool is AES-CTR from the IV over the whole file, whatever order, size and alignment the client's
 * writes come in: out-of-order, unaligned, overlapping and oversized writes give the same file as one
 * sequential pass, and it decrypts to the original. The SHA-256 is there only for an in-order upload.
 */
class SpoolCipherTest {
    static final MasterKey MASTER = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
            29, 30, 31, 32}));
    final SpoolCipher cipher = new SpoolCipher(MASTER);
    final Random random = new Random(42);
    @TempDir
    Path dir;

    /** A write of {@code length} bytes at {@code offset}. */
    record Write(long offset, int length) {
    }

    @Test
    void sequentialWritesAreCtrOverTheWholeFileAndHashed() throws Exception {
        byte[] data = bytes(1_000_003);
        byte[] iv = SpoolCipher.newIv();
        Path file = dir.resolve("seq");
        Spooled s = write(file, iv, data, inPieces(data.length, 32 * 1024));
        assertThat(Files.readAllBytes(file)).isEqualTo(reference(iv, data));
        assertThat(decrypt(file, iv)).isEqualTo(data);
        assertThat(s.sha256()).isEqualTo(sha256(data));
    }

    /** Past {@code FLUSH_EVERY} the file is flushed in the background while writes go on: nothing changes. */
    @Test
    void writesGoOnUnchangedWhileEarlierBytesAreFlushedInTheBackground() throws Exception {
        byte[] data = bytes((int) (2.5 * SpoolCipher.EncryptingChannel.FLUSH_EVERY) + 17);
        byte[] iv = SpoolCipher.newIv();
        Path file = dir.resolve("flushed");
        Spooled s = write(file, iv, data, inPieces(data.length, 261_120)); // OpenSSH's write size
        assertThat(decrypt(file, iv)).isEqualTo(data);
        assertThat(s.sha256()).isEqualTo(sha256(data));
    }

    @Test
    void outOfOrderUnalignedAndOverlappingWritesGiveTheSameFile() throws Exception {
        byte[] data = bytes(700_001);
        byte[] iv = SpoolCipher.newIv();
        byte[] expected = reference(iv, data);

        List<Write> shuffled = inPieces(data.length, 32 * 1024);
        Collections.shuffle(shuffled, random);
        List<Write> unaligned = unalignedPieces(data.length);
        Collections.shuffle(unaligned, random);
        List<Write> overlapping = new ArrayList<>(unalignedPieces(data.length));
        for (int i = 0; i < 50; i++) { // retries and overlaps, the same bytes again
            int offset = random.nextInt(data.length - 1);
            overlapping.add(random.nextInt(overlapping.size()), new Write(offset,
                    1 + random.nextInt(Math.min(70_000, data.length - offset))));
        }
        // parallel requests: every 3rd pair swapped, as several in flight may be served out of order
        List<Write> swapped = inPieces(data.length, 32 * 1024);
        for (int i = 0; i + 1 < swapped.size(); i += 3) {
            Collections.swap(swapped, i, i + 1);
        }

        int n = 0;
        for (List<Write> writes : List.of(shuffled, unaligned, overlapping, swapped)) {
            Path file = dir.resolve("w" + n++);
            Spooled s = write(file, iv, data, writes);
            assertThat(Files.readAllBytes(file)).as("ciphertext of order %d", n).isEqualTo(expected);
            assertThat(decrypt(file, iv)).as("plaintext of order %d", n).isEqualTo(data);
            assertThat(s.sha256()).as("no hash when out of order").isNull();
        }
    }

    @Test
    void unalignedSequentialWritesKeepTheKeystreamRunningAndTheHash() throws Exception {
        byte[] data = bytes(300_000);
        byte[] iv = SpoolCipher.newIv();
        Path file = dir.resolve("odd");
        Spooled s = write(file, iv, data, unalignedPieces(data.length));
        assertThat(Files.readAllBytes(file)).isEqualTo(reference(iv, data));
        assertThat(s.sha256()).isEqualTo(sha256(data));
    }

    @Test
    void writesLargerThanTheBufferAndDirectBuffers() throws Exception {
        byte[] data = bytes(3 * SpoolCipher.EncryptingChannel.CHUNK + 77);
        byte[] iv = SpoolCipher.newIv();
        Path file = dir.resolve("big");
        try (var ch = cipher.openForWrite(file, iv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int first = 2 * SpoolCipher.EncryptingChannel.CHUNK + 5;
            ByteBuffer heap = ByteBuffer.wrap(data, 0, first);
            assertThat(ch.write(heap)).isEqualTo(first);
            assertThat(heap.hasRemaining()).isFalse();
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length - first);
            direct.put(data, first, data.length - first).flip();
            assertThat(ch.write(direct)).isEqualTo(data.length - first);
            assertThat(direct.hasRemaining()).isFalse();
            assertThat(ch.position()).isEqualTo(data.length);
            assertThat(ch.sha256()).contains(sha256(data));
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(reference(iv, data));
    }

    @Test
    void counterWrapsAt128Bits() throws Exception {
        byte[] iv = new byte[16];
        java.util.Arrays.fill(iv, (byte) 0xff);
        iv[15] = (byte) 0xfe; // wraps after two blocks
        byte[] data = bytes(200);
        Path file = dir.resolve("wrap");
        write(file, iv, data, List.of(new Write(100, 100), new Write(33, 67), new Write(0, 33)));
        assertThat(Files.readAllBytes(file)).isEqualTo(reference(iv, data));
        assertThat(decrypt(file, iv)).isEqualTo(data);

        BigInteger mod = BigInteger.ONE.shiftLeft(128);
        for (int i = 0; i < 1000; i++) {
            byte[] r = SpoolCipher.newIv();
            if (i % 3 == 0) {
                java.util.Arrays.fill(r, 0, 12, (byte) 0xff);
            }
            long position = i % 2 == 0 ? random.nextLong() >>> 1 : random.nextInt(1 << 20);
            byte[] raw = new BigInteger(1, r).add(BigInteger.valueOf(position / 16)).mod(mod).toByteArray();
            byte[] want = new byte[16];
            int copy = Math.min(16, raw.length);
            System.arraycopy(raw, raw.length - copy, want, 16 - copy, copy);
            assertThat(SpoolCipher.counterBlock(r, position)).isEqualTo(want);
        }
    }

    @Test
    void truncatingBelowTheHashedPartDropsTheHash() throws Exception {
        byte[] data = bytes(100_000);
        byte[] iv = SpoolCipher.newIv();
        try (var ch = cipher.openForWrite(dir.resolve("t"), iv, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data));
            ch.truncate(50_000);
            assertThat(ch.sha256()).isEmpty();
        }
    }

    private record Spooled(String sha256) {
    }

    private Spooled write(Path file, byte[] iv, byte[] data, List<Write> writes) throws Exception {
        try (var ch = cipher.openForWrite(file, iv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (Write w : writes) {
                ch.position(w.offset()); // as MINA's FileHandle.write does
                ByteBuffer src = ByteBuffer.wrap(data, (int) w.offset(), w.length());
                assertThat(ch.write(src)).isEqualTo(w.length());
            }
            return new Spooled(ch.sha256().orElse(null));
        }
    }

    private static List<Write> inPieces(int total, int size) {
        List<Write> writes = new ArrayList<>();
        for (int off = 0; off < total; off += size) {
            writes.add(new Write(off, Math.min(size, total - off)));
        }
        return writes;
    }

    /** Consecutive writes of odd sizes, so nearly every one starts inside a cipher block. */
    private List<Write> unalignedPieces(int total) {
        List<Write> writes = new ArrayList<>();
        int off = 0;
        while (off < total) {
            int len = Math.min(total - off, 1 + random.nextInt(40_000));
            writes.add(new Write(off, len));
            off += len;
        }
        return writes;
    }

    private byte[] reference(byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MASTER.derive("spool-cipher"), "AES"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    private byte[] decrypt(Path file, byte[] iv) throws Exception {
        try (InputStream in = cipher.openForRead(file, iv)) {
            return in.readAllBytes();
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
