package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayKeyTest {
    @TempDir
    Path dir;

    @Test
    void createsOnceWith600And644ThenLoadsTheSameKey() throws Exception {
        Path sec = dir.resolve("keys/gateway.sec.asc");
        Path pub = dir.resolve("keys/gateway.pub.asc");
        GatewayKey k1 = GatewayKey.loadOrCreate(sec, pub, "Callgate gateway <gateway@callgate.test>");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sec))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(sec)).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(k1.fingerprint()).matches("[0-9A-F]{40}");
        try (var files = Files.list(sec.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("gateway.sec.asc", "gateway.pub.asc");
        }

        GatewayKey k2 = GatewayKey.loadOrCreate(sec, pub, "ignored on load");
        assertThat(k2.fingerprint()).isEqualTo(k1.fingerprint());
        assertThat(k2.armoredPublicKey()).isEqualTo(k1.armoredPublicKey());
    }

    @Test
    void rederivesAMissingPublicFileButRefusesAMissingSecret() throws Exception {
        Path sec = dir.resolve("gw.sec");
        Path pub = dir.resolve("gw.pub");
        GatewayKey k1 = GatewayKey.loadOrCreate(sec, pub, "gw");
        Files.delete(pub);
        assertThat(GatewayKey.loadOrCreate(sec, pub, "gw").fingerprint()).isEqualTo(k1.fingerprint());
        assertThat(pub).exists();
        Files.delete(sec);
        assertThatThrownBy(() -> GatewayKey.loadOrCreate(sec, pub, "gw"))
                .isInstanceOf(PgpException.class).hasMessageContaining("missing");
    }

    @Test
    void refusesAWorldReadableSecretKey() throws Exception {
        Path sec = dir.resolve("gw.sec");
        Path pub = dir.resolve("gw.pub");
        GatewayKey.loadOrCreate(sec, pub, "gw");
        Files.setPosixFilePermissions(sec, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> GatewayKey.loadOrCreate(sec, pub, "gw"))
                .isInstanceOf(PgpException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void gnupgImportsItSeesTheRightAlgorithmsAndPreferencesAndCanEncryptToIt() throws Exception {
        GatewayKey key = GatewayKey.generateInMemory("Callgate gateway <gateway@callgate.test>");
        try (GnuPg gpg = GnuPg.newHome()) {
            gpg.importKey(key.armoredPublicKey());
            String colons = gpg.run("--with-colons", "--list-keys", key.fingerprint()).requireOk().stdoutText();
            // pub: algo 22 (EdDSA) usage sc (plus capabilities SC); sub: algo 18 (ECDH) usage e; no expiry field
            assertThat(colons).containsPattern("(?m)^pub:[-fu]:255:22:[0-9A-F]{16}:\\d+:::[^:]*:::scE?SC");
            assertThat(colons).containsPattern("(?m)^sub:[-fu]:255:18:[0-9A-F]{16}:\\d+:::[^:]*:::e:");
            assertThat(colons).contains("fpr:::::::::" + key.fingerprint() + ":");
            // --list-packets shows the self-signature subpackets: 9=AES256 7=AES128, 10=SHA512 8=SHA256,
            // 2=ZLIB 1=ZIP 0=none, features 01 = MDC only (an AEAD flag would be 02 / 08)
            String packets = gpg.run(key.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), "--list-packets").stdoutText();
            assertThat(packets).contains("pref-sym-algos: 9 7").contains("pref-hash-algos: 10 8")
                    .contains("pref-zip-algos: 2 1 0").contains("features: 01").doesNotContain("aead");
            Path plain = gpg.file("p.txt", "hello".getBytes(StandardCharsets.UTF_8));
            Path enc = gpg.encrypt(plain, key.fingerprint(), null, false, -1);
            assertThat(Files.size(enc)).isPositive();
        }
    }
}
