package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgpDecryptorTest {
    static final String CTRL_UID = "Partner Ops <ops@partner.test>";
    static GnuPg gpg;       // the controller's GnuPG
    static GnuPg imposter;  // someone else's GnuPG with a look-alike key
    static GatewayKey gateway;
    static ControllerKey controller;
    static String ctrlFpr;
    static Path csv;
    static byte[] csvBytes;

    @BeforeAll
    static void setUp() throws Exception {
        gateway = GatewayKey.generateInMemory("Callgate gateway <gateway@callgate.test>");
        gpg = GnuPg.newHome();
        ctrlFpr = gpg.genKey(CTRL_UID, "ed25519");
        gpg.importKey(gateway.armoredPublicKey());
        controller = ControllerKey.parse(new ByteArrayInputStream(gpg.exportPublic(ctrlFpr, true)));
        imposter = GnuPg.newHome();
        imposter.genKey(CTRL_UID, "ed25519"); // same user id, different key
        imposter.importKey(gateway.armoredPublicKey());
        StringBuilder sb = new StringBuilder("etunimi;sukunimi;puhelin;lähde\n");
        for (int i = 0; i < 2000; i++) {
            sb.append("Matti").append(i).append(";Meikäläinen;040 123 ").append(String.format("%04d", i)).append(";messu 2026\n");
        }
        csvBytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        csv = gpg.file("list.csv", csvBytes);
    }

    @AfterAll
    static void tearDown() {
        gpg.close();
        imposter.close();
    }

    /** Collects the plaintext and how often the sink was called. */
    static final class Collect implements PlaintextSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger calls = new AtomicInteger();
        String name;

        @Override
        public void consume(InputStream plaintext, String literalFileName) throws IOException {
            calls.incrementAndGet();
            name = literalFileName;
            plaintext.transferTo(bytes);
        }
    }

    static DecryptResult decrypt(byte[] message, Optional<ControllerKey> signer, DecryptLimits limits, Collect sink)
            throws Exception {
        return new PgpDecryptor().decrypt(new ByteArrayInputStream(message), gateway, signer, limits, sink);
    }

    static void assertRefused(byte[] message, Optional<ControllerKey> signer, DecryptLimits limits,
            DecryptFailure expected, boolean sinkMayHaveRun) {
        Collect sink = new Collect();
        assertThatThrownBy(() -> decrypt(message, signer, limits, sink))
                .isInstanceOfSatisfying(PgpDecryptException.class, e -> assertThat(e.failure()).isEqualTo(expected))
                .hasMessageStartingWith(expected.name());
        if (!sinkMayHaveRun) {
            assertThat(sink.calls).as("no plaintext released").hasValue(0);
        }
    }

    static void assertRefused(byte[] message, Optional<ControllerKey> signer, DecryptFailure expected, boolean sinkMayHaveRun) {
        assertRefused(message, signer, DecryptLimits.defaults(), expected, sinkMayHaveRun);
    }

    @ParameterizedTest(name = "armor={0} z={1} signed={2} required={3}")
    @CsvSource({
        "false, -1, false, false",
        "false,  0, false, false",
        "true,  -1, false, false",
        "true,   0, false, false",
        "false, -1, true,  true",
        "false,  0, true,  true",
        "true,  -1, true,  true",
        "true,   0, true,  true",
        "false, -1, true,  false",
    })
    void decryptsWhatGnuPgEncrypted(boolean armor, int z, boolean signed, boolean required) throws Exception {
        Path enc = gpg.encrypt(csv, gateway.fingerprint(), signed ? ctrlFpr : null, armor, z);
        Collect sink = new Collect();
        DecryptResult r = decrypt(Files.readAllBytes(enc), required ? Optional.of(controller) : Optional.empty(),
                DecryptLimits.defaults(), sink);
        assertThat(sink.bytes.toByteArray()).isEqualTo(csvBytes);
        assertThat(sink.name).isEqualTo("list.csv");
        assertThat(r.plaintextBytes()).isEqualTo(csvBytes.length);
        assertThat(r.ciphertextBytes()).isEqualTo(Files.size(enc));
        assertThat(r.symmetricAlgorithm()).isEqualTo("AES256"); // from the gateway key's preferences
        assertThat(r.compression()).isEqualTo(z == 0 ? "none" : "ZLIB");
        assertThat(r.signed()).isEqualTo(signed);
        assertThat(r.verifiedSignerFingerprint()).isEqualTo(required ? Optional.of(ctrlFpr) : Optional.empty());
        if (signed) {
            assertThat(r.signerKeyIds()).containsExactly(ctrlFpr.substring(24));
        }
    }

    @Test
    void refusesAPlaintextUpload() {
        assertRefused(csvBytes, Optional.empty(), DecryptFailure.NOT_OPENPGP, false);
        assertRefused(new byte[0], Optional.empty(), DecryptFailure.NOT_OPENPGP, false);
        byte[] bom = ("\uFEFF" + new String(csvBytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertRefused(bom, Optional.empty(), DecryptFailure.NOT_OPENPGP, false);
    }

    @Test
    void refusesSignedButNotEncryptedAndKeys() {
        byte[] signedOnly = gpg.run(csvBytes, "--local-user", ctrlFpr, "--sign").requireOk().stdout();
        assertRefused(signedOnly, Optional.empty(), DecryptFailure.NOT_ENCRYPTED, false);
        assertRefused(gpg.exportPublic(ctrlFpr, false), Optional.empty(), DecryptFailure.NOT_ENCRYPTED, false);
    }

    @Test
    void refusesAMessageEncryptedToAnotherKey() throws Exception {
        Path enc = gpg.encrypt(csv, ctrlFpr, null, false, -1);
        assertRefused(Files.readAllBytes(enc), Optional.empty(), DecryptFailure.WRONG_RECIPIENT, false);
        byte[] pbe = gpg.run(csvBytes, "--passphrase", "secret", "--symmetric").requireOk().stdout();
        assertRefused(pbe, Optional.empty(), DecryptFailure.WRONG_RECIPIENT, false);
    }

    @Test
    void refusesLegacyDataWithoutMdcBeforeReleasingPlaintext() throws Exception {
        // GnuPG 2.2.40: --rfc2440 still writes a tag-9 SED packet (with a warning); --disable-mdc is ignored.
        Path enc = gpg.encrypt(csv, gateway.fingerprint(), null, false, -1, "--rfc2440");
        String packets = gpg.run("--list-packets", enc.toString()).stdoutText();
        assertThat(packets).contains(":encrypted data packet:").doesNotContain("mdc_method");
        assertRefused(Files.readAllBytes(enc), Optional.empty(), DecryptFailure.NO_INTEGRITY_PROTECTION, false);
        // and the same made with BouncyCastle (integrity packet off)
        assertRefused(Crafted.encryptToGateway(gateway, csvBytes, false, 0), Optional.empty(),
                DecryptFailure.NO_INTEGRITY_PROTECTION, false);
    }

    @Test
    void refusesWeakCiphers() throws Exception {
        assertRefused(Crafted.encryptToGateway(gateway, csvBytes, true, 0, SymmetricKeyAlgorithmTags.CAST5),
                Optional.empty(), DecryptFailure.UNSUPPORTED_ALGORITHM, false);
    }

    @ParameterizedTest(name = "z={0}")
    @CsvSource({"-1", "0"})
    void refusesAFlippedByte(int z) throws Exception {
        byte[] msg = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), null, false, z));
        msg[msg.length / 2] ^= 0x01;
        assertRefused(msg, Optional.empty(), DecryptFailure.TAMPERED, true);
    }

    @Test
    void refusesAFlippedByteInASignedMessageAsTamperedNotAsBadSignature() throws Exception {
        byte[] msg = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), ctrlFpr, false, 0));
        msg[msg.length / 2] ^= 0x40;
        assertRefused(msg, Optional.of(controller), DecryptFailure.TAMPERED, true);
    }

    @ParameterizedTest(name = "z={0}")
    @CsvSource({"-1", "0"})
    void refusesATruncatedMessage(int z) throws Exception {
        byte[] msg = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), null, false, z));
        byte[] cut = java.util.Arrays.copyOf(msg, msg.length * 2 / 3);
        assertRefused(cut, Optional.empty(), DecryptFailure.TRUNCATED, true);
        byte[] lastByteMissing = java.util.Arrays.copyOf(msg, msg.length - 1);
        assertRefused(lastByteMissing, Optional.empty(), DecryptFailure.TRUNCATED, true);
    }

    @Test
    void refusesALookAlikeSignerBeforeReleasingPlaintext() throws Exception {
        Path plain = imposter.file("list.csv", csvBytes);
        Path enc = imposter.encrypt(plain, gateway.fingerprint(), CTRL_UID, false, -1);
        assertRefused(Files.readAllBytes(enc), Optional.of(controller), DecryptFailure.WRONG_SIGNER, false);
    }

    @Test
    void refusesAnUnsignedMessageWhenASignatureIsRequired() throws Exception {
        Path enc = gpg.encrypt(csv, gateway.fingerprint(), null, false, -1);
        assertRefused(Files.readAllBytes(enc), Optional.of(controller), DecryptFailure.SIGNATURE_MISSING, false);
    }

    @Test
    void refusesASignatureByAControllerKeyThatHasSinceExpired() throws Exception {
        String fpr = gpg.genKey("Old Partner <old@partner.test>", "ed25519", "1d", "--faked-system-time", "20200101T000000");
        Instant validThen = Instant.parse("2020-01-01T12:00:00Z");
        ControllerKey old = ControllerKey.parse(new ByteArrayInputStream(gpg.exportPublic(fpr, true)), validThen);
        Path enc = gpg.encrypt(csv, gateway.fingerprint(), fpr, false, -1, "--faked-system-time", "20200101T110000", "--ignore-time-conflict", "--ignore-valid-from");
        byte[] msg = Files.readAllBytes(enc);

        Collect sink = new Collect();
        DecryptResult ok = new PgpDecryptor(Clock.fixed(validThen, ZoneOffset.UTC))
                .decrypt(new ByteArrayInputStream(msg), gateway, Optional.of(old), DecryptLimits.defaults(), sink);
        assertThat(ok.verifiedSignerFingerprint()).contains(fpr);

        Collect later = new Collect();
        assertThatThrownBy(() -> new PgpDecryptor().decrypt(new ByteArrayInputStream(msg), gateway, Optional.of(old),
                        DecryptLimits.defaults(), later))
                .isInstanceOfSatisfying(PgpDecryptException.class,
                        e -> assertThat(e.failure()).isEqualTo(DecryptFailure.SIGNER_KEY_EXPIRED_OR_REVOKED));
        assertThat(later.calls).hasValue(0);
    }

    @Test
    void refusesAZipBombByRatioAndBySize() throws Exception {
        Path zeros = gpg.file("zeros.bin", new byte[20 << 20]);
        byte[] bomb = Files.readAllBytes(gpg.encrypt(zeros, gateway.fingerprint(), null, false, 9));
        assertThat(bomb.length).isLessThan(64 << 10); // a few tens of KB of ciphertext
        assertRefused(bomb, Optional.empty(), DecryptFailure.COMPRESSION_RATIO, true);
        DecryptLimits smallCap = DecryptLimits.defaults().withMaxPlaintextBytes(1 << 20).withMaxCompressionRatio(1e9);
        assertRefused(bomb, Optional.empty(), smallCap, DecryptFailure.TOO_LARGE, true);
        // uncompressed but over the cap
        byte[] big = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), null, false, 0));
        assertRefused(big, Optional.empty(), DecryptLimits.defaults().withMaxPlaintextBytes(1000), DecryptFailure.TOO_LARGE, true);
    }

    @Test
    void theSinkCannotHideALimitByCatchingTheException() throws Exception {
        byte[] big = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), null, false, 0));
        PlaintextSink swallowing = (in, name) -> {
            try {
                in.transferTo(OutputStreamSink.NULL);
            } catch (IOException ignored) {
                // a careless sink
            }
        };
        assertThatThrownBy(() -> new PgpDecryptor().decrypt(new ByteArrayInputStream(big), gateway, Optional.empty(),
                        DecryptLimits.defaults().withMaxPlaintextBytes(1000), swallowing))
                .isInstanceOfSatisfying(PgpDecryptException.class, e -> assertThat(e.failure()).isEqualTo(DecryptFailure.TOO_LARGE));
    }

    /** A null output stream without depending on Java 11's OutputStream.nullOutputStream naming in the lambda. */
    static final class OutputStreamSink {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }

    @Test
    void refusesNestedCompression() throws Exception {
        assertRefused(Crafted.encryptToGateway(gateway, csvBytes, true, 2), Optional.empty(),
                DecryptFailure.NESTED_COMPRESSION, false);
        // one level is fine
        Collect sink = new Collect();
        decrypt(Crafted.encryptToGateway(gateway, csvBytes, true, 1), Optional.empty(), DecryptLimits.defaults(), sink);
        assertThat(sink.bytes.toByteArray()).isEqualTo(csvBytes);
    }

    @Test
    void refusesATimeout() throws Exception {
        byte[] msg = Files.readAllBytes(gpg.encrypt(csv, gateway.fingerprint(), null, false, -1));
        assertRefused(msg, Optional.empty(), DecryptLimits.defaults().withMaxDuration(java.time.Duration.ZERO),
                DecryptFailure.TIMEOUT, true);
    }

    @Test
    void streamsA50MegabyteFileWithoutReadingItAllFirst() throws Exception {
        Path big = gpg.workDir().resolve("big.csv");
        MessageDigest want = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(big))) {
            byte[] header = "etunimi;sukunimi;puhelin;lähde\n".getBytes(StandardCharsets.UTF_8);
            out.write(header);
            want.update(header);
            long written = header.length;
            while (written < 50L << 20) {
                byte[] line = ("Nimi" + random.nextInt() + ";Suku" + random.nextLong() + ";+35840" + (1000000 + random.nextInt(8999999))
                        + ";lähde " + random.nextInt(1000) + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(line);
                want.update(line);
                written += line.length;
            }
        }
        Path enc = gpg.encrypt(big, gateway.fingerprint(), ctrlFpr, false, -1);
        long encSize = Files.size(enc);
        AtomicLong position = new AtomicLong();
        AtomicLong positionAtFirstPlaintext = new AtomicLong(-1);
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        try (InputStream file = new FilterInputStream(Files.newInputStream(enc)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    position.addAndGet(n);
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    position.incrementAndGet();
                }
                return c;
            }
        }) {
            DecryptResult r = new PgpDecryptor().decrypt(file, gateway, Optional.of(controller), DecryptLimits.defaults(),
                    (in, name) -> {
                        byte[] buf = new byte[8192];
                        int n = in.read(buf);
                        positionAtFirstPlaintext.set(position.get());
                        while (n >= 0) {
                            got.update(buf, 0, n);
                            n = in.read(buf);
                        }
                    });
            assertThat(r.verifiedSignerFingerprint()).contains(ctrlFpr);
        }
        assertThat(got.digest()).isEqualTo(want.digest());
        assertThat(position.get()).isEqualTo(encSize);
        // The first plaintext bytes arrived after reading well under 1 MiB of a ~25+ MB ciphertext.
        assertThat(positionAtFirstPlaintext.get()).isPositive().isLessThan(1 << 20);
        assertThat(encSize).isGreaterThan(10L << 20);
    }
}
