package fi.callgate.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.dialer.DialerPush;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Exported;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.PushTarget;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports pushed to the controller's own SFTP server (a second MINA server on loopback): the export arrives
 * byte-identical to the outbox file; a wrong pinned host key is refused; a server declared outside the EEA
 * is refused before any connection is made. In every case the file stays in the outbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerPushTest {
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
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
        for (String c : List.of("C1", "C2", "C3")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "sup").assertOk();
            gw.admin("campaign", "grant", c, "dial").assertOk();
        }
        remoteRoot = Files.createDirectories(home.resolve("remote"));
        target = new PushTarget(home.resolve("remote_host_key"));
        remoteHostKey = target.hostKeyLine();
        remote = target.start(remoteRoot, 0, "acme", gw.callgate().controllerPush().publicKey(), null);
        for (String d : List.of("C1", "C2", "C3")) {
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
        return gw.sshIn("it-admin", hostKeyLine, "campaign", "push", campaign, "--to", "controller", "--host",
                "127.0.0.1", "--port", String.valueOf(remote.getPort()), "--user", "acme", "--dir", campaign,
                "--location", location);
    }

    String exportOne(String campaign, String phone) throws Exception {
        return Exported.oneCallBan(gw, acme, home, campaign, phone);
    }

    Path outbox(String campaign, String file) {
        return gw.dataDir.resolve("sftp/" + campaign + "/outbox/" + file);
    }

    @Test
    void anExportIsPushedToThePinnedServer() throws Exception {
        assertThat(configure("C1", remoteHostKey, "FI").assertOk().out()).contains("pushes its exports")
                .contains("ssh-ed25519 ");
        String file = exportOne("C1", "0401239001");
        assertThat(file).matches("callbans-C1-\\d{14}\\.csv\\.gpg");
        Path pushed = remoteRoot.resolve("C1/" + file);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pushed));
        assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(outbox("C1", file)));
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.admin("campaign", "show", "C1").out()
                .contains("pushed " + file));
        try (var files = Files.list(remoteRoot.resolve("C1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(file); // no temp left
        }
        assertThat(gw.callgate().registry().scrape()).containsPattern("callgate_controller_pushes_total [1-9]");
        // Shown as the controller target; the dialer push is a separate target, not configured here.
        assertThat(gw.admin("campaign", "show", "C1").out()).containsPattern("(?m)^controller_push_target +acme@")
                .doesNotContainPattern("(?m)^push_target ");
    }

    @Test
    void aWrongHostKeyIsRefused() throws Exception {
        configure("C2", gw.publicKey("impostor-host"), "FI").assertOk();
        String file = exportOne("C2", "0401239002");
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.admin("campaign", "show", "C2").out()
                .contains("failed (attempt 1/"));
        assertThat(remoteRoot.resolve("C2/" + file)).doesNotExist();
        assertThat(outbox("C2", file)).exists(); // the file is not lost
        assertThat(gw.callgate().registry().scrape()).containsPattern(
                "callgate_controller_push_failures_total\\{reason=\"transfer\"} [1-9]");
        gw.admin("campaign", "push", "C2", "--to", "controller", "--off").assertOk();
    }

    @Test
    void aTargetOutsideTheEeaIsRefusedBeforeConnecting() throws Exception {
        Proc.Result refused = configure("C3", remoteHostKey, "US");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--location US");

        // A target stored before the policy changed is still refused at push time, before any connection.
        gw.callgate().controllerPush().configure(new DialerPush.Target("C3", "127.0.0.1", remote.getPort(), "acme",
                "C3", "GB", remoteHostKey));
        int sessionsBefore = target.sessions();
        String file = exportOne("C3", "0401239003");
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.admin("campaign", "show", "C3").out()
                .contains("refused: "));
        assertThat(target.sessions()).isEqualTo(sessionsBefore);
        assertThat(remoteRoot.resolve("C3/" + file)).doesNotExist();
        assertThat(outbox("C3", file)).exists();
        assertThat(gw.callgate().registry().scrape()).containsPattern(
                "callgate_controller_push_failures_total\\{reason=\"location\"} [1-9]");
    }
}
