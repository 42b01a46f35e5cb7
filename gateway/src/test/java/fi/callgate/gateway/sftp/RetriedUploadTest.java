package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.ListExchange;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's retry or re-check never becomes a second upload (CONTRACT §6): checking clients with their
 * defaults — rclone (sets the time, then stats) and paramiko's {@code put()} (stats after closing) — find
 * the name they just closed and succeed with one report and one dialer list; and the same bytes uploaded
 * again under another name are not processed again but reported as a repeat of the first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetriedUploadTest {
    static final String LIST = "first_name;last_name;phone;source\nAino;Aalto;0401112233;Messut\n";
    @TempDir
    static Path home;
    ListExchange exchange;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        exchange = ListExchange.start(home, "RC1", "PM1", "TW1");
        gw = exchange.gw;
        acme = exchange.acme;
    }

    @AfterAll
    void tearDown() {
        exchange.close();
    }

    @Test
    void rcloneWithItsDefaultsUploadsOnce() throws Exception {
        Path list = acme.encrypt("rc.csv", Controller.utf8(LIST), true, false, -1);
        String remote = ":sftp,host=127.0.0.1,port=" + gw.port() + ",user=ctl-acme,key_file="
                + gw.newKey("ctl-acme") + ":/RC1/inbox/list.csv.gpg";
        Proc.Result r = Proc.run(home, null, List.of("rclone", "copyto", list.toString(), remote,
                "--config", home.resolve("rclone.conf").toString(), "--low-level-retries", "3", "--retries", "3"));
        assertThat(r.exit()).as("rclone: %s", r.err()).isZero();
        assertProcessedOnce("RC1", "list.csv.gpg");
    }

    @Test
    void paramikoPutUploadsOnce() throws Exception {
        Path list = acme.encrypt("pm.csv", Controller.utf8(LIST), true, false, -1);
        String script = String.join("\n",
                "import sys, paramiko",
                "key = paramiko.Ed25519Key.from_private_key_file(sys.argv[3])",
                "t = paramiko.Transport(('127.0.0.1', int(sys.argv[1])))",
                "t.connect(username='ctl-acme', pkey=key)",
                "s = paramiko.SFTPClient.from_transport(t)",
                "a = s.put(sys.argv[2], '/PM1/inbox/list.csv.gpg')",  // confirm=True: stats after closing
                "print('size', a.st_size)",
                "t.close()", "");
        Path py = home.resolve("put.py");
        Files.writeString(py, script);
        Proc.Result r = Proc.run(home, null, List.of("/usr/bin/python3", py.toString(), String.valueOf(gw.port()),
                list.toString(), gw.newKey("ctl-acme").toString()));
        assertThat(r.exit()).as("paramiko: %s", r.err()).isZero();
        assertThat(r.out()).contains("size " + Files.size(list));
        assertProcessedOnce("PM1", "list.csv.gpg");
    }

    @Test
    void theSameBytesUnderAnotherNameAreReportedAsARepeat() throws Exception {
        Path list = acme.encrypt("tw.csv", Controller.utf8(LIST), true, false, -1);
        acme.upload("TW1", list, "first.csv.gpg");
        AuditEvent.Entry second = acme.upload("TW1", list, "again.csv.gpg");

        assertThat(second.event().outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
        assertThat(second.event().detail()).contains("reason=REPEATED_UPLOAD");
        String report = acme.report("TW1", "again.csv.gpg");
        assertThat(report).contains("REPEATED_UPLOAD").contains("first.csv.gpg")
                .containsPattern("received \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(acme.report("TW1", "first.csv.gpg")).contains(";rows_accepted;1");
        assertThat(dialerLists("TW1")).hasSize(1);
        // the repeat was disposed of: nothing of it is left in the spool
        await().atMost(Duration.ofSeconds(10)).until(() -> Controller.spoolEmpty(gw.dataDir));
    }

    private void assertProcessedOnce(String campaign, String name) throws Exception {
        acme.awaitProcessed(campaign, name);
        // give a retrying client's second copy (if any) time to be processed as well
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> gw.callgate().audit().find("upload.received", "/" + campaign + "/inbox/" + name).size()
                        == gw.callgate().audit().find("upload.processed", "/" + campaign + "/inbox/" + name).size());
        assertThat(gw.callgate().audit().find("upload.received", "/" + campaign + "/inbox/" + name)).hasSize(1);
        assertThat(reports(campaign)).containsExactly(name + ".report.csv.gpg");
        assertThat(acme.report(campaign, name)).contains(";rows_accepted;1");
        assertThat(dialerLists(campaign)).hasSize(1);
    }

    private List<String> reports(String campaign) throws Exception {
        try (Stream<Path> s = Files.list(gw.dataDir.resolve("sftp/" + campaign + "/outbox"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".report.")).sorted().toList();
        }
    }

    private List<String> dialerLists(String campaign) throws Exception {
        Path dir = gw.dataDir.resolve("sftp/" + campaign + "/lists");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().toList();
        }
    }
}
