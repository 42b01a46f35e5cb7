package fi.callgate.gateway.flow.dialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.callgate.dialer.DialerPush;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Exported;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.PushTarget;
import fi.callgate.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Both kinds of push against a second SFTP server (MINA, on loopback) standing in for the dialer's or the
 * controller's: a dialer list arrives byte-identical to what the lists folder serves, an export
 * byte-identical to the outbox file; a wrong pinned host key is refused; a target declared outside the EEA
 * is refused by the command and, stored around it, at push time before any connection is made. The file
 * always stays where Callgate publishes it. Counted in {@code callgate_pushes_total{target}} and
 * {@code callgate_push_failures_total{target,reason}}; shown by {@code campaign show} under the kind's keys.
 * The pushes run as a route in the appliance's one Camel context: the start log shows one context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushTest {
    /** One kind of push as the tests drive it. */
    enum Way {
        DIALER(DialerPush.Kind.DIALER, "P", "dialer", "dialer", "push_", "controller_push_", "lists"),
        CONTROLLER(DialerPush.Kind.CONTROLLER, "C", "controller", "acme", "controller_push_", "push_", "exports");

        final DialerPush.Kind kind;
        final String prefix;
        final String label;
        final String user;
        final String statusPrefix;
        final String otherStatusPrefix;
        final String what;

        Way(DialerPush.Kind kind, String prefix, String label, String user, String statusPrefix,
            String otherStatusPrefix, String what) {
            this.kind = kind;
            this.prefix = prefix;
            this.label = label;
            this.user = user;
            this.statusPrefix = statusPrefix;
            this.otherStatusPrefix = otherStatusPrefix;
            this.what = what;
        }

        String campaign(int n) {
            return prefix + n;
        }
    }

    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    final Map<Way, PushTarget> targets = new EnumMap<>(Way.class);
    final Map<Way, SshServer> remotes = new EnumMap<>(Way.class);
    final Map<Way, Path> remoteRoots = new EnumMap<>(Way.class);
    final List<String> camelStarts = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        ListAppender<ILoggingEvent> startLog = new ListAppender<>();
        Logger camel = (Logger) LoggerFactory.getLogger("org.apache.camel");
        startLog.start();
        camel.addAppender(startLog);
        try {
            gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        } finally {
            camel.detachAppender(startLog);
        }
        startLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.matches("Apache Camel \\S+ \\(.*\\) started in .*")).forEach(camelStarts::add);
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
        for (Way way : Way.values()) {
            for (int n = 1; n <= 3; n++) {
                String c = way.campaign(n);
                gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
                acme.keyFor(c);
                gw.admin("campaign", "grant", c, "sup").assertOk();
                gw.admin("campaign", "grant", c, "dial").assertOk();
            }
            Path root = Files.createDirectories(home.resolve("remote-" + way.label));
            PushTarget target = new PushTarget(home.resolve("remote_host_key_" + way.label));
            targets.put(way, target);
            remoteRoots.put(way, root);
            remotes.put(way, target.start(root, 0, way.user, push(way).publicKey(), null));
            for (int n = 1; n <= 3; n++) {
                Files.createDirectories(root.resolve(way.campaign(n)));
            }
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        for (SshServer remote : remotes.values()) {
            remote.stop();
        }
        acme.close();
        gw.close();
    }

    DialerPush push(Way way) {
        return way == Way.DIALER ? gw.callgate().dialerPush() : gw.callgate().controllerPush();
    }

    Proc.Result configure(Way way, String campaign, String hostKeyLine, String location) {
        List<String> args = new ArrayList<>(List.of("campaign", "push", campaign));
        if (way == Way.CONTROLLER) { // the dialer is the default target of the command
            args.addAll(List.of("--to", "controller"));
        }
        args.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(remotes.get(way).getPort()), "--user",
                way.user, "--dir", campaign, "--location", location));
        return gw.sshIn("it-admin", hostKeyLine, args.toArray(String[]::new));
    }

    /** Publishes one file of the kind in the campaign; returns its name. */
    String publishOne(Way way, String campaign, String phone) throws Exception {
        if (way == Way.CONTROLLER) {
            return Exported.oneCallBan(gw, acme, home, campaign, phone);
        }
        acme.upload(campaign, acme.encrypt("l.csv", Controller.utf8("first_name;last_name;phone;source\n"
                + "Aino;Aalto;" + phone + ";Messut\n"), true, false, -1), "l.csv.gpg");
        String file = campaign + "-0001.csv";
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(published(way, campaign, file)));
        return file;
    }

    /** Where Callgate keeps the file for its readers: the lists folder, or the outbox. */
    Path published(Way way, String campaign, String file) {
        return gw.dataDir.resolve("sftp/" + campaign + (way == Way.DIALER ? "/lists/" : "/outbox/") + file);
    }

    /** The bytes the campaign's reader gets over SFTP (a dialer list is stored sealed; the lists folder serves it). */
    byte[] served(Way way, String campaign, String file) throws Exception {
        if (way == Way.CONTROLLER) {
            return Files.readAllBytes(published(way, campaign, file));
        }
        Path local = home.resolve(campaign + "-served.csv");
        gw.sftp("dial", "get /" + campaign + "/lists/" + file + " " + local + "\n").assertOk();
        return Files.readAllBytes(local);
    }

    String show(String campaign) {
        return gw.admin("campaign", "show", campaign).assertOk().out();
    }

    @Test
    void theApplianceRunsOneCamelContext() {
        assertThat(camelStarts).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aFileIsPushedToThePinnedServer(Way way) throws Exception {
        String c = way.campaign(1);
        assertThat(configure(way, c, targets.get(way).hostKeyLine(), "FI").assertOk().out())
                .contains("pushes its " + way.what).contains("ssh-ed25519 ");
        String file = publishOne(way, c, way == Way.DIALER ? "0401230001" : "0401239001");
        if (way == Way.CONTROLLER) {
            assertThat(file).matches("callbans-C1-\\d{14}\\.csv\\.gpg");
        }
        Path pushed = remoteRoots.get(way).resolve(c + "/" + file);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pushed));
        assertThat(Files.readAllBytes(pushed)).isEqualTo(served(way, c, file));
        if (way == Way.DIALER) {
            assertThat(Files.readString(pushed, StandardCharsets.UTF_8)).contains("+358401230001");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> show(c).contains("pushed " + file));
        try (var files = Files.list(remoteRoots.get(way).resolve(c))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(file); // no temp left
        }
        assertThat(gw.callgate().registry().scrape())
                .containsPattern("callgate_pushes_total\\{target=\"" + way.label + "\"} [1-9]");
        // Shown under this kind's keys; the other kind is a separate target, not configured here.
        assertThat(show(c)).containsPattern("(?m)^" + way.statusPrefix + "target +" + way.user + "@")
                .doesNotContainPattern("(?m)^" + way.otherStatusPrefix + "target ");
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aWrongHostKeyIsRefused(Way way) throws Exception {
        String c = way.campaign(2);
        configure(way, c, gw.publicKey("impostor-host-" + way.label), "FI").assertOk();
        String file = publishOne(way, c, way == Way.DIALER ? "0401230002" : "0401239002");
        await().atMost(Duration.ofSeconds(30)).until(() -> show(c).contains("failed (attempt 1/"));
        assertThat(remoteRoots.get(way).resolve(c + "/" + file)).doesNotExist();
        assertThat(published(way, c, file)).exists(); // the file is not lost
        assertThat(gw.callgate().registry().scrape()).containsPattern("callgate_push_failures_total\\{reason="
                + "\"transfer\",target=\"" + way.label + "\"} [1-9]");
        gw.admin("campaign", "push", c, "--to", way.label, "--off").assertOk();
        assertThat(show(c)).doesNotContainPattern("(?m)^" + way.statusPrefix + "target ");
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aTargetOutsideTheEeaIsRefusedBeforeConnecting(Way way) throws Exception {
        String c = way.campaign(3);
        String hostKey = targets.get(way).hostKeyLine();
        Proc.Result refused = configure(way, c, hostKey, "US");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--location US");
        assertThat(configure(way, c, hostKey, "CH").exit()).isEqualTo(2);

        // A target stored before the policy changed (or written around the command) is still refused at push
        // time, before any connection.
        push(way).configure(new DialerPush.Target(c, "127.0.0.1", remotes.get(way).getPort(), way.user, c, "GB",
                hostKey));
        int sessionsBefore = targets.get(way).sessions();
        String file = publishOne(way, c, way == Way.DIALER ? "0401230003" : "0401239003");
        await().atMost(Duration.ofSeconds(30)).until(() -> show(c).contains("refused: "));
        assertThat(targets.get(way).sessions()).isEqualTo(sessionsBefore);
        assertThat(remoteRoots.get(way).resolve(c + "/" + file)).doesNotExist();
        assertThat(published(way, c, file)).exists();
        assertThat(gw.callgate().registry().scrape()).containsPattern("callgate_push_failures_total\\{reason="
                + "\"location\",target=\"" + way.label + "\"} [1-9]");
    }
}
