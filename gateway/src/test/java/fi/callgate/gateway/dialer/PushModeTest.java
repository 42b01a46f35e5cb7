package fi.callgate.gateway.dialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.dialer.DialerPush;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.PushTarget;
import fi.callgate.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push mode against a second SFTP server (MINA, on loopback) standing in for the dialer's: the list
 * arrives byte-identical to what the lists folder serves; a wrong pinned host key is refused; a target
 * declared outside the EEA is refused before any connection is made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushModeTest {
    static final String LIST = """
            first_name;last_name;phone;source
            Aino;Aalto;0401230001;Messut
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    SshServer remote;
    Path remoteRoot;
    String remoteHostKey;
    PushTarget target;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("dial", "dialer", null);
        for (String c : List.of("P1", "P2", "P3")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "dial").assertOk();
        }
        remoteRoot = Files.createDirectories(home.resolve("remote"));
        target = new PushTarget(home.resolve("remote_host_key"));
        remoteHostKey = target.hostKeyLine();
        remote = target.start(remoteRoot, 0, "dialer", gw.callgate().dialerPush().publicKey(), null);
        for (String d : List.of("P1", "P2", "P3")) {
            Files.createDirectories(remoteRoot.resolve(d));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        remote.stop();
        acme.close();
        gw.close();
    }

    Proc.Result configure(String campaign, String hostKeyLine, String location) {
        return gw.sshIn("it-admin", hostKeyLine, "campaign", "push", campaign, "--host", "127.0.0.1", "--port",
                String.valueOf(remote.getPort()), "--user", "dialer", "--dir", campaign, "--location", location);
    }

    @Test
    void aListIsPushedToThePinnedServer() throws Exception {
        assertThat(configure("P1", remoteHostKey, "FI").assertOk().out()).contains("ssh-ed25519 ");
        acme.upload("P1", acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1), "l.csv.gpg");
        Path pushed = remoteRoot.resolve("P1/P1-0001.csv");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pushed));
        Path local = home.resolve("p1.csv");
        gw.sftp("dial", "get /P1/lists/P1-0001.csv " + local + "\n").assertOk();
        assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(local));
        assertThat(Files.readString(pushed, StandardCharsets.UTF_8)).contains("+358401230001");
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.admin("campaign", "show", "P1").out()
                .contains("pushed P1-0001.csv"));
        try (var files = Files.list(remoteRoot.resolve("P1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("P1-0001.csv"); // no temp left
        }
    }

    @Test
    void aWrongHostKeyIsRefused() throws Exception {
        configure("P2", gw.publicKey("impostor-host"), "FI").assertOk();
        acme.upload("P2", acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1), "l.csv.gpg");
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.admin("campaign", "show", "P2").out()
                .contains("failed (attempt 1/"));
        assertThat(remoteRoot.resolve("P2/P2-0001.csv")).doesNotExist();
        assertThat(gw.callgate().registry().scrape()).containsPattern(
                "callgate_dialer_push_failures_total\\{reason=\"transfer\"} [1-9]");
    }

    @Test
    void aTargetOutsideTheEeaIsRefusedBeforeConnecting() throws Exception {
        Proc.Result refused = configure("P3", remoteHostKey, "US");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--location US");
        assertThat(configure("P3", remoteHostKey, "CH").exit()).isEqualTo(2);

        // A target stored before the policy changed (or written around the command) is still refused at push time.
        gw.callgate().dialerPush().configure(new DialerPush.Target("P3", "127.0.0.1", remote.getPort(), "dialer",
                "P3", "GB", remoteHostKey));
        int sessionsBefore = target.sessions();
        acme.upload("P3", acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1), "l.csv.gpg");
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.admin("campaign", "show", "P3").out()
                .contains("refused: "));
        assertThat(target.sessions()).isEqualTo(sessionsBefore);
        assertThat(remoteRoot.resolve("P3/P3-0001.csv")).doesNotExist();
        assertThat(gw.callgate().registry().scrape()).containsPattern(
                "callgate_dialer_push_failures_total\\{reason=\"location\"} [1-9]");
    }

}
