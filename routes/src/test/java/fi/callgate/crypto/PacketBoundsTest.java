package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded memory for any input (issue #14, item 2): BouncyCastle buffers the whole body of most packet types
 * (unknown, experimental, user id, trust, padding…), so an upload declaring a huge packet made the decrypt
 * stage read a gibibyte into memory on every pass. Each case here hands the decryptor such a packet whose body
 * is really there (generated as read), and checks that it is refused, that the refusal came from the header
 * (the body was not read), and that the decryption allocated only a few megabytes whatever the declared size.
 */
class PacketBoundsTest {
    /** Far below any declared size here; a whole-body buffer of the smallest case is 64x this. */
    static final long ALLOCATION_BOUND = 16L << 20;
    static final long GIB = 1L << 30;
    static GatewayKey gateway;

    @BeforeAll
    static void key() throws Exception {
        gateway = GatewayKey.generateInMemory("Bounds Gateway <bounds@callgate.test>");
        HugePackets.warmUp(gateway);
    }

    /** The exact upload of the issue: {@code FC FF 3F FF FF FA} at 0 and eight bytes at 2^30-8 of a sparse file. */
    @Test
    void theCraftedSparseGibibyteOfTheIssueIsRefusedFromItsFirstSixBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("crafted.csv.gpg");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0xFC, (byte) 0xFF, 0x3F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFA});
            f.setLength(GIB); // sparse: nothing between is written
            f.seek(GIB - 8);
            f.write("tailbyte".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.size(file)).isEqualTo(GIB);
        try (Counted in = new Counted(Files.newInputStream(file))) {
            Decision d = decide(in);
            assertThat(d.refusal.failure()).isEqualTo(DecryptFailure.NOT_OPENPGP);
            assertThat(d.refusal.getMessage()).contains("unknown packet").contains("60");
            assertThat(in.read).as("bytes read before the decision").isLessThan(1 << 20);
            assertThat(d.allocated).as("bytes allocated by the decryption").isLessThan(ALLOCATION_BOUND);
        }
    }

    /** A gibibyte of noise (binary or, when the first byte says so, taken for armor) is decided in bounded memory. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void aRandomGibibyteIsRefusedInBoundedMemory(long seed) throws Exception {
        try (Counted in = new Counted(HugePackets.random(seed, GIB))) {
            Decision d = decide(in);
            assertThat(d.refusal.failure()).isIn(DecryptFailure.NOT_OPENPGP, DecryptFailure.NOT_ENCRYPTED,
                    DecryptFailure.MALFORMED, DecryptFailure.WRONG_RECIPIENT, DecryptFailure.TRUNCATED);
            assertThat(d.allocated).as("bytes allocated by the decryption").isLessThan(ALLOCATION_BOUND);
        }
    }

    /** Armor whose header line never ends: BouncyCastle's armor reader collects header lines whole. */
    @Test
    void anArmorHeaderThatNeverEndsIsRefusedInBoundedMemory() throws Exception {
        InputStream armor = HugePackets.concat(new java.io.ByteArrayInputStream(
                "-----BEGIN PGP MESSAGE-----\nComment: ".getBytes(StandardCharsets.US_ASCII)),
                new FilterInputStream(HugePackets.zeros(GIB)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        java.util.Arrays.fill(b, off, off + Math.max(n, 0), (byte) 'x');
                        return n;
                    }
                });
        try (Counted in = new Counted(armor)) {
            Decision d = decide(in);
            assertThat(d.refusal.failure()).isEqualTo(DecryptFailure.NOT_OPENPGP);
            assertThat(in.read).isLessThan(1 << 20);
            assertThat(d.allocated).isLessThan(ALLOCATION_BOUND);
        }
    }

    /** The guard counts armor headers, not armor: CRLF armor with header lines and a marker first still decrypts. */
    @Test
    void armorWithCrlfAndHeaderLinesStillDecrypts() throws Exception {
        byte[] message = Crafted.encryptToGateway(gateway, "a;b\n".getBytes(StandardCharsets.UTF_8), true, 1);
        java.io.ByteArrayOutputStream armored = new java.io.ByteArrayOutputStream();
        try (org.bouncycastle.bcpg.ArmoredOutputStream out = org.bouncycastle.bcpg.ArmoredOutputStream.builder()
                .addComment("made by a test " + "x".repeat(200)).setVersion("Test 1").build(armored)) {
            out.write(new byte[] {(byte) 0xCA, 3, 'P', 'G', 'P'}); // a marker packet first, as old PGP wrote
            out.write(message);
        }
        String crlf = armored.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n");
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        DecryptResult r = new PgpDecryptor().decrypt(new java.io.ByteArrayInputStream(
                crlf.getBytes(StandardCharsets.US_ASCII)), gateway, Optional.empty(), DecryptLimits.defaults(),
                (plaintext, name) -> plaintext.transferTo(plain));
        assertThat(plain.toString(StandardCharsets.UTF_8)).isEqualTo("a;b\n");
        assertThat(r.compression()).isEqualTo("ZLIB");
    }

    static Stream<Arguments> everyTagEncodingAndLayer() {
        List<Arguments> all = new ArrayList<>();
        for (HugePackets.Layer layer : HugePackets.Layer.values()) {
            for (int tag = 0; tag < 64; tag++) {
                for (HugePackets.Encoding enc : HugePackets.Encoding.values()) {
                    if (enc.fits(tag)) {
                        all.add(Arguments.of(layer, tag, enc));
                    }
                }
            }
        }
        return all.stream();
    }

    /**
     * Every packet tag, with every way of stating a length, in every place of a message, declaring (and
     * carrying) 1.5 GiB: refused, within the allocation bound. Data packets where they belong stream and hit
     * the plaintext limit (1 MiB here); everything else is refused on its header.
     */
    @ParameterizedTest(name = "{0} tag {1} {2}")
    @MethodSource("everyTagEncodingAndLayer")
    void aHugePacketOfAnyTagAnywhereIsDecidedInBoundedMemory(HugePackets.Layer layer, int tag,
                                                              HugePackets.Encoding encoding) throws Exception {
        long declared = GIB + GIB / 2;
        try (Counted in = new Counted(HugePackets.message(gateway, layer, tag, encoding, declared))) {
            Decision d = decide(in);
            if (System.getProperty("bounds.debug") != null) {
                System.out.println(layer + " " + tag + " " + encoding + ": " + d.refusal.getMessage() + " read=" + in.read
                        + " allocated=" + d.allocated);
            }
            assertThat(d.allocated).as("bytes allocated by the decryption").isLessThan(ALLOCATION_BOUND);
            assertThat(in.read).as("bytes read before the decision").isLessThan(64L << 20);
        }
    }

    record Decision(PgpDecryptException refusal, long allocated) {
    }

    /** Decrypts with a 1 MiB plaintext limit and returns the refusal with the bytes allocated meanwhile. */
    static Decision decide(InputStream in) throws Exception {
        PgpDecryptor decryptor = new PgpDecryptor();
        DecryptLimits limits = DecryptLimits.defaults().withMaxPlaintextBytes(1 << 20);
        long before = HugePackets.allocatedBytes();
        PgpDecryptException[] refusal = new PgpDecryptException[1];
        assertThatThrownBy(() -> decryptor.decrypt(in, gateway, Optional.empty(), limits,
                (plaintext, name) -> plaintext.transferTo(OutputStream.nullOutputStream())))
                .isInstanceOfSatisfying(PgpDecryptException.class, e -> refusal[0] = e);
        return new Decision(refusal[0], HugePackets.allocatedBytes() - before);
    }

    /** Counts what the decryptor read. */
    static final class Counted extends FilterInputStream {
        long read;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            read += s;
            return s;
        }
    }
}
