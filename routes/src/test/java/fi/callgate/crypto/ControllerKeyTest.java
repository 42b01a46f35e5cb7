package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ControllerKeyTest {
    static GnuPg gpg;
    static String edFpr;

    @BeforeAll
    static void keys() {
        gpg = GnuPg.newHome();
        edFpr = gpg.genKey("Partner Ops <ops@partner.test>", "ed25519");
    }

    @AfterAll
    static void close() {
        gpg.close();
    }

    static ControllerKey parse(String armored) throws Exception {
        return ControllerKey.parse(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void acceptsAGnuPgEd25519KeyAndExposesItsParts() throws Exception {
        ControllerKey key = parse(gpg.exportPublicArmored(edFpr));
        assertThat(key.fingerprint()).isEqualTo(edFpr);
        assertThat(key.userIds()).containsExactly("Partner Ops <ops@partner.test>");
        assertThat(key.signingKeyFingerprints()).containsExactly(edFpr);
        assertThat(key.signingKeyIds()).containsExactly(Long.parseUnsignedLong(edFpr.substring(24), 16));
        String colons = gpg.run("--with-colons", "--list-keys", edFpr).requireOk().stdoutText();
        String subFpr = colons.lines().dropWhile(l -> !l.startsWith("sub:")).filter(l -> l.startsWith("fpr:"))
                .findFirst().orElseThrow().split(":")[9];
        assertThat(key.encryptionKeyFingerprint()).isEqualTo(subFpr);
        assertThat(key.expiresAt()).isEmpty();
        // round trip through armored()
        assertThat(parse(key.armored()).fingerprint()).isEqualTo(edFpr);
    }

    @Test
    void acceptsRsa3072DefaultAndRejectsRsa1024AsWeak() throws Exception {
        String rsa = gpg.genKey("Rsa Ok <rsa@partner.test>", "rsa3072");
        assertThat(parse(gpg.exportPublicArmored(rsa)).fingerprint()).isEqualTo(rsa);
        String weak = gpg.genKey("Rsa Weak <weak@partner.test>", "rsa1024");
        assertThatThrownBy(() -> parse(gpg.exportPublicArmored(weak)))
                .isInstanceOf(PgpException.class).hasMessageContaining("weak key").hasMessageContaining("1024");
    }

    @Test
    void rejectsASecretKey() {
        assertThatThrownBy(() -> parse(gpg.exportSecretArmored(edFpr)))
                .isInstanceOf(PgpException.class).hasMessageContaining("secret");
    }

    @Test
    void rejectsTwoKeysInOneBlockAndTwoBlocks() {
        String other = gpg.genKey("Other <other@partner.test>", "ed25519");
        assertThatThrownBy(() -> parse(gpg.exportPublicArmored(edFpr, other)))
                .isInstanceOf(PgpException.class).hasMessageContaining("more than one key");
        assertThatThrownBy(() -> parse(gpg.exportPublicArmored(edFpr) + gpg.exportPublicArmored(other)))
                .isInstanceOf(PgpException.class).hasMessageContaining("more than one");
    }

    @Test
    void rejectsGarbageBinaryAndOtherArmorTypes() {
        assertThatThrownBy(() -> parse("hello, this is not a key\n"))
                .isInstanceOf(PgpException.class).hasMessageContaining("not an ASCII-armored");
        assertThatThrownBy(() -> ControllerKey.parse(new ByteArrayInputStream(gpg.exportPublic(edFpr, false))))
                .isInstanceOf(PgpException.class).hasMessageContaining("not an ASCII-armored");
        assertThatThrownBy(() -> parse("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"))
                .isInstanceOf(PgpException.class).hasMessageContaining("not");
        String message = new String(gpg.run("hi".getBytes(StandardCharsets.UTF_8), "--armor", "--recipient", edFpr, "--encrypt")
                .requireOk().stdout(), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(message))
                .isInstanceOf(PgpException.class).hasMessageContaining("PGP MESSAGE");
    }

    @Test
    void rejectsARevokedKey() throws Exception {
        try (GnuPg own = GnuPg.newHome()) {
            String fpr = own.genKey("Revoked <revoked@partner.test>", "ed25519");
            // GnuPG 2.2 writes a revocation certificate at key generation; its armor line is
            // prefixed with ':' so it cannot be imported by accident. Remove the ':' and import.
            Path rev = own.home().resolve("openpgp-revocs.d").resolve(fpr + ".rev");
            String cert = Files.readString(rev).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
            own.importKey(cert);
            assertThat(own.run("--with-colons", "--list-keys", fpr).stdoutText()).contains("pub:r:");
            assertThatThrownBy(() -> parse(own.exportPublicArmored(fpr)))
                    .isInstanceOf(PgpException.class).hasMessageContaining("revoked");
        }
    }

    @Test
    void rejectsAnExpiredKeyButAcceptsItAsOfATimeWhenItWasValid() throws Exception {
        String fpr = gpg.genKey("Expired <expired@partner.test>", "ed25519", "1d", "--faked-system-time", "20200101T000000");
        String armored = gpg.exportPublicArmored(fpr);
        assertThatThrownBy(() -> parse(armored))
                .isInstanceOf(PgpException.class).hasMessageContaining("expired");
        ControllerKey then = ControllerKey.parse(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)),
                Instant.parse("2020-01-01T12:00:00Z"));
        assertThat(then.expiresAt()).isPresent();
    }

    @Test
    void rejectsAKeyWithoutEncryptionCapability() throws Exception {
        try (GnuPg own = GnuPg.newHome()) {
            own.run("--quick-gen-key", "Sign Only <signonly@partner.test>", "ed25519", "cert,sign", "never").requireOk();
            String fpr = own.fingerprintOfLastKey("signonly@partner.test");
            assertThatThrownBy(() -> parse(own.exportPublicArmored(fpr)))
                    .isInstanceOf(PgpException.class).hasMessageContaining("encryption-capable");
        }
    }
}
