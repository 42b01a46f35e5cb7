package fi.callgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
                "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "ext-info-s",
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
            "Ciphers=chacha20-poly1305@openssh.com", "Ciphers=aes128-ctr"})
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
