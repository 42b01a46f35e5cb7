package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.MinaClients;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.client.ClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client actually negotiates with the drop point: OpenSSH 9.2 with {@code -vvv} (strict KEX, the
 * sntrup761 hybrid, GCM, no compression), a Java client that offers ML-KEM, weak-only clients refused,
 * and the server's own KEXINIT proposal free of CBC, SHA-1, umac, ssh-rsa, chacha20 and zlib.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlgorithmsTest {
    @TempDir
    static Path home;
    TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
    }

    @AfterAll
    void tearDown() {
        gw.close();
    }

    /** {@code ssh -vvv it-admin@gateway help} with extra options; -vvv after the LogLevel=ERROR of the fixture wins. */
    private Proc.Result vvv(String... options) {
        List<String> opts = new ArrayList<>(Arrays.asList(options));
        opts.add("-vvv");
        Proc.Result r = gw.sshWith("it-admin", opts, null, "help");
        return new Proc.Result(r.exit(), r.out(), r.err().replace("\r", "")); // ssh logs CRLF on stderr
    }

    @Test
    void openSsh92NegotiatesStrictKexPostQuantumHybridGcmAndNoCompression() {
        Proc.Result r = vvv();
        r.assertOk();
        String err = r.err();
        assertThat(err).contains("kex_choose_conf: will use strict KEX ordering");
        // Debian's OpenSSH 9.2p1 (deb12u6) offers the standard name sntrup761x25519-sha512 first and the
        // @openssh.com alias second; both are the same hybrid, the server offers both.
        assertThat(err).containsPattern("kex: algorithm: sntrup761x25519-sha512(@openssh\\.com)?\\n");
        assertThat(err).containsPattern("kex: server->client cipher: aes(128|256)-gcm@openssh\\.com MAC: <implicit> compression: none");
        assertThat(err).containsPattern("kex: client->server cipher: aes(128|256)-gcm@openssh\\.com MAC: <implicit> compression: none");
        assertThat(err).contains("kex: host key algorithm: ssh-ed25519");
    }

    @Test
    void theOpenSshAliasOfSntrup761IsNegotiatedByName() {
        Proc.Result r = vvv("-o", "KexAlgorithms=sntrup761x25519-sha512@openssh.com");
        r.assertOk();
        assertThat(r.err()).contains("kex: algorithm: sntrup761x25519-sha512@openssh.com\n")
                .contains("will use strict KEX ordering");
    }

    @Test
    void serverProposalHasNoWeakAlgorithms() {
        Map<String, List<String>> server = serverProposal(vvv().assertOk().err());
        assertThat(server.get("KEX algorithms")).containsExactly("mlkem768x25519-sha256", "sntrup761x25519-sha512",
                "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org", "ext-info-s",
                "kex-strict-s-v00@openssh.com");
        assertThat(server.get("host key algorithms")).containsExactly("ssh-ed25519");
        assertThat(server.get("ciphers ctos")).containsExactly("aes256-gcm@openssh.com", "aes128-gcm@openssh.com");
        assertThat(server.get("ciphers stoc")).containsExactly("aes256-gcm@openssh.com", "aes128-gcm@openssh.com");
        assertThat(server.get("MACs ctos")).containsExactly("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com");
        assertThat(server.get("MACs stoc")).containsExactly("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com");
        assertThat(server.get("compression ctos")).containsExactly("none");
        assertThat(server.get("compression stoc")).containsExactly("none");
        for (List<String> names : server.values()) {
            for (String n : names) {
                assertThat(n).doesNotContain("cbc").doesNotContain("sha1").doesNotContain("umac")
                        .doesNotContain("chacha20").doesNotContain("zlib").doesNotContain("3des")
                        .doesNotContain("arcfour").doesNotContain("ssh-dss").doesNotContain("group1")
                        .isNotEqualTo("ssh-rsa").isNotEqualTo("hmac-md5");
            }
        }
    }

    /** The lines after "peer server KEXINIT proposal" in an ssh -vvv log, as name lists. */
    static Map<String, List<String>> serverProposal(String err) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String[] lines = err.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("peer server KEXINIT proposal")) {
                for (int j = i + 1; j < lines.length && j <= i + 10; j++) {
                    String l = lines[j].replaceFirst("^debug2: ", "");
                    int colon = l.indexOf(": ");
                    if (colon > 0 && !l.startsWith("first_kex_follows") && !l.startsWith("reserved")) {
                        out.put(l.substring(0, colon), List.of(l.substring(colon + 2).split(",")));
                    }
                }
                break;
            }
        }
        assertThat(out).as("server proposal in:\n" + err).containsKeys("KEX algorithms", "host key algorithms",
                "ciphers ctos", "MACs ctos", "compression ctos");
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"KexAlgorithms=diffie-hellman-group14-sha1", "KexAlgorithms=diffie-hellman-group1-sha1",
            "Ciphers=aes128-cbc", "Ciphers=aes256-cbc", "MACs=hmac-sha1 Ciphers=aes128-ctr",
            "MACs=umac-64@openssh.com Ciphers=aes128-ctr", "HostKeyAlgorithms=ssh-rsa",
            "Ciphers=chacha20-poly1305@openssh.com", "Ciphers=3des-cbc", "MACs=hmac-sha1 Ciphers=aes256-ctr",
            "MACs=hmac-sha2-256 Ciphers=aes128-cbc", "MACs=hmac-md5 Ciphers=aes128-ctr",
            "KexAlgorithms=diffie-hellman-group14-sha1 Ciphers=aes128-ctr"})
    void openSshRestrictedToWeakAlgorithmsIsRefused(String settings) {
        List<String> opts = new ArrayList<>();
        for (String s : settings.split(" ")) {
            opts.add("-o");
            opts.add(s);
        }
        Proc.Result r = vvv(opts.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(255);
        assertThat(r.err()).containsPattern("Unable to negotiate with .*: no matching");
        assertThat(r.out()).isEmpty();
    }

    /** The stand-in for PuTTY 0.77 / WinSCP 5.x (no GCM) and for libssh2 1.10 (no GCM, no -etm MAC). */
    @Test
    void openSshForcedToLegacyChoicesGetsAesCtrWithPlainSha2MacAndStrictKex() {
        Proc.Result r = vvv("-c", "aes256-ctr", "-m", "hmac-sha2-256");
        r.assertOk();
        assertThat(r.out()).contains("account");
        assertThat(r.err()).contains("will use strict KEX ordering")
                .contains("kex: client->server cipher: aes256-ctr MAC: hmac-sha2-256 compression: none")
                .contains("kex: server->client cipher: aes256-ctr MAC: hmac-sha2-256 compression: none");
        Map<String, List<String>> server = serverProposal(r.err());
        assertThat(server.get("ciphers ctos")).containsExactly("aes256-ctr", "aes192-ctr", "aes128-ctr");
        assertThat(server.get("MACs ctos")).containsExactly("hmac-sha2-256", "hmac-sha2-512");
        assertThat(server.get("MACs stoc")).containsExactly("hmac-sha2-256", "hmac-sha2-512");
    }

    /** A client without GCM that has an -etm MAC gets encrypt-then-MAC, never the plain MACs. */
    @Test
    void ctrClientWithEtmMacsIsOfferedOnlyEtm() {
        Proc.Result r = vvv("-o", "Ciphers=aes128-ctr");
        r.assertOk();
        assertThat(r.err()).contains("kex: client->server cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com");
        Map<String, List<String>> server = serverProposal(r.err());
        assertThat(server.get("MACs ctos")).containsExactly("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com");
        assertThat(server.get("ciphers stoc")).doesNotContain("aes256-gcm@openssh.com", "aes128-gcm@openssh.com");
    }

    /** OpenSSH takes the first of ITS list the server offers; CTR first must still end in GCM. */
    @Test
    void clientListingCtrBeforeGcmStillGetsGcm() {
        Proc.Result r = vvv("-o", "Ciphers=aes128-ctr,aes256-ctr,aes256-gcm@openssh.com,aes128-gcm@openssh.com");
        r.assertOk();
        assertThat(r.err()).contains("kex: client->server cipher: aes256-gcm@openssh.com MAC: <implicit>")
                .contains("kex: server->client cipher: aes256-gcm@openssh.com MAC: <implicit>");
        assertThat(serverProposal(r.err()).get("ciphers ctos")).containsExactly("aes256-gcm@openssh.com",
                "aes128-gcm@openssh.com");
    }

    /** paramiko knows X25519 only by this name. */
    @Test
    void x25519UnderItsLibsshNameIsNegotiated() {
        Proc.Result r = vvv("-o", "KexAlgorithms=curve25519-sha256@libssh.org");
        r.assertOk();
        assertThat(r.err()).contains("kex: algorithm: curve25519-sha256@libssh.org\n")
                .contains("will use strict KEX ordering");
    }

    /** A client that waits for the server's KEXINIT before sending its own is answered, with GCM. */
    @Test
    void clientThatWaitsForTheServersKexInitGetsGcm() throws Exception {
        SshClient client = MinaClients.client(c -> org.apache.sshd.core.CoreModuleProperties.SEND_IMMEDIATE_KEXINIT
                .set(c, false));
        try (client; ClientSession s = MinaClients.connect(client, "it-admin", gw.port())) {
            s.addPublicKeyIdentity(MinaClients.key(gw.newKey("it-admin")));
            assertThat(MinaClients.tryAuth(s)).isTrue();
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.C2SENC)).endsWith("-gcm@openssh.com");
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.S2CENC)).endsWith("-gcm@openssh.com");
        }
    }

    @Test
    void openSshAskingForCompressionStillGetsNone() {
        Proc.Result r = vvv("-o", "Compression=yes");
        r.assertOk();
        String offered = r.err().substring(r.err().indexOf("local client KEXINIT proposal"));
        assertThat(offered).contains("compression ctos: zlib@openssh.com,zlib,none");
        assertThat(r.err()).contains("MAC: <implicit> compression: none")
                .doesNotContainPattern("compression: zlib");
    }

    @Test
    void javaClientOfferingOnlyMlKemGetsIt() throws Exception {
        SshClient client = MinaClients.client(c -> c.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(
                false, List.of(BuiltinDHFactories.mlkem768x25519), ClientBuilder.DH2KEX)));
        try (client; ClientSession s = MinaClients.connect(client, "it-admin", gw.port())) {
            s.addPublicKeyIdentity(MinaClients.key(gw.newKey("it-admin")));
            assertThat(MinaClients.tryAuth(s)).isTrue();
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)).isEqualTo("mlkem768x25519-sha256");
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.C2SCOMP)).isEqualTo("none");
            assertThat(s.getNegotiatedKexParameter(KexProposalOption.C2SENC)).endsWith("-gcm@openssh.com");
        }
    }

    @Test
    void javaClientOfferingOnlyZlibIsRefused() throws Exception {
        List<NamedFactory<Compression>> zlib = List.of(BuiltinCompressions.zlib, BuiltinCompressions.delayedZlib);
        SshClient client = MinaClients.client(c -> c.setCompressionFactories(zlib));
        try (client; ClientSession s = MinaClients.connect(client, "it-admin", gw.port())) {
            s.addPublicKeyIdentity(MinaClients.key(gw.newKey("it-admin")));
            assertThat(MinaClients.tryAuth(s)).isFalse();
            assertThat(s.isAuthenticated()).isFalse();
            // The refused key exchange closes the session; the close may land a moment after tryAuth returns.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !s.isOpen());
        }
    }

    @Test
    void sshAuditFindsNothingToFail() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-audit")), "ssh-audit is not installed");
        ProcessBuilder pb = new ProcessBuilder("ssh-audit", "-n", "-t", "10", "-p", String.valueOf(gw.port()),
                "127.0.0.1").redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println(out);
        assertThat(out).contains("compression: disabled").contains("(key) ssh-ed25519");
        assertThat(out.lines().filter(l -> l.contains("[fail]"))).as(out).isEmpty();
        assertThat(out).doesNotContain("(kex) diffie-hellman-group14-sha1").doesNotContain("ssh-rsa")
                .doesNotContain("hmac-sha1").doesNotContain("cbc");
    }
}
