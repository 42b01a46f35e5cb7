package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PgpEncryptorTest {
    static GnuPg gpg;
    static GatewayKey gateway;
    static ControllerKey controller;
    static String ctrlFpr;

    @BeforeAll
    static void setUp() throws Exception {
        gateway = GatewayKey.generateInMemory("Callgate gateway <gateway@callgate.test>");
        gpg = GnuPg.newHome();
        ctrlFpr = gpg.genKey("Partner Ops <ops@partner.test>", "ed25519");
        gpg.importKey(gateway.armoredPublicKey());
        controller = ControllerKey.parse(new ByteArrayInputStream(gpg.exportPublic(ctrlFpr, true)));
    }

    @AfterAll
    static void tearDown() {
        gpg.close();
    }

    @ParameterizedTest
    @EnumSource(PgpEncryptor.Compression.class)
    void gnupgDecryptsAndVerifiesAes256Sha256SignedByTheGateway(PgpEncryptor.Compression compression) throws Exception {
        StringBuilder sb = new StringBuilder("record_id;outcome\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("r").append(i).append(";order\n");
        }
        byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        try (OutputStream out = new PgpEncryptor().open(target, controller, gateway, "orders.csv", compression)) {
            out.write(plain, 0, 10);
            out.write(plain, 10, plain.length - 10);
        }
        Path file = gpg.file("orders.csv.gpg", target.toByteArray());
        GnuPg.Result r = gpg.decrypt(file).requireOk();
        assertThat(r.stdout()).isEqualTo(plain);
        // DECRYPTION_INFO <mdc_method> <sym_algo>: 2 = SHA-1 MDC (SEIPD v1), 9 = AES-256
        assertThat(r.status("DECRYPTION_INFO")).anySatisfy(s -> assertThat(s).startsWith("DECRYPTION_INFO 2 9"));
        assertThat(r.status("DECRYPTION_OKAY")).isNotEmpty();
        assertThat(r.status("GOODSIG")).anySatisfy(s -> assertThat(s).contains(gateway.fingerprint().substring(24)));
        // VALIDSIG <fpr> <date> <ts> <expire> <ver> <reserved> <pk-algo> <hash-algo> <class> <primary-fpr>: 8 = SHA256, 22 = EdDSA
        assertThat(r.status("VALIDSIG")).singleElement().satisfies(s -> {
            String[] f = s.split(" ");
            assertThat(f[1]).isEqualTo(gateway.fingerprint());
            assertThat(f[7]).isEqualTo("22");
            assertThat(f[8]).isEqualTo("8");
            assertThat(f[9]).isEqualTo("00");
        });
        String packets = gpg.run("--list-packets", file.toString()).stdoutText();
        assertThat(packets.contains("compressed packet")).isEqualTo(compression == PgpEncryptor.Compression.ZLIB);

        assertThat(r.status("ENC_TO")).anySatisfy(s -> assertThat(s).contains(controller.encryptionKeyFingerprint().substring(24)));
    }

    @ParameterizedTest
    @EnumSource(PgpEncryptor.Compression.class)
    void ourDecryptorReadsOurEncryptorsOutput(PgpEncryptor.Compression compression) throws Exception {
        // The gateway's own public key parsed as a "controller" key: encrypt to it, sign with it, decrypt, verify.
        ControllerKey self = ControllerKey.parse(new ByteArrayInputStream(gateway.armoredPublicKey().getBytes(StandardCharsets.US_ASCII)));
        byte[] plain = "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        try (OutputStream out = new PgpEncryptor().open(target, self, gateway, "x.csv", compression)) {
            out.write(plain);
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        DecryptResult res = new PgpDecryptor().decrypt(new ByteArrayInputStream(target.toByteArray()), gateway,
                Optional.of(self), DecryptLimits.defaults(), (in, name) -> in.transferTo(got));
        assertThat(got.toByteArray()).isEqualTo(plain);
        assertThat(res.verifiedSignerFingerprint()).contains(gateway.fingerprint());
        assertThat(res.symmetricAlgorithm()).isEqualTo("AES256");
    }
}
