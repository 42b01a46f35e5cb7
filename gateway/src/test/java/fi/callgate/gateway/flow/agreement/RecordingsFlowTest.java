package fi.callgate.gateway.flow.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.PlaintextScan;
import fi.callgate.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call recordings (issue #16) through OpenSSH sftp/ssh and GnuPG: refused without a recordings agreement;
 * with one, a supervisor's WAV arrives encrypted in the controller's outbox and nowhere in plaintext, is
 * listed by {@code dsar find}, removed by {@code dsar erase}, and gone after download and housekeeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordingsFlowTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Inside the audio samples: must never be found under data-dir. */
    static final String MARKER = "AUDIO-PLAINTEXT-MARKER-4711";
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    String recordId;
    Path work;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1S"));
        acme = new Controller(gw, "ctl-rec", "RecCo", "RecCo <it@recco.example>");
        gw.account("sup-rec", "supervisor", null);
        gw.account("dial-rec", "dialer", null);
        for (String c : List.of("REC0", "REC1")) {
            gw.admin("campaign", "add", c, "--org", "RecCo", "--ends", "2099-12-31").assertOk();
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "sup-rec").assertOk();
            gw.admin("campaign", "grant", c, "dial-rec").assertOk();
        }
        acme.upload("REC1", acme.encrypt("l.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Reijo;Nauhoite;040 800 0001;Asiakasrekisteri
                """), false, false, -1), "l.csv.gpg");
        work = Files.createDirectories(home.resolve("work"));
        Path list = work.resolve("list.csv");
        gw.sftp("dial-rec", "get /REC1/lists/REC1-0001.csv " + list + "\n").assertOk();
        recordId = Files.readAllLines(list).get(1).split(";")[0];
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
        PlaintextScan.assertAbsent(gw.dataDir, List.of(MARKER, "Nauhoite", "+358408000001"));
    }

    /** A small but real PCM WAV with the marker among its samples. */
    static byte[] wav() {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            data.writeBytes(MARKER.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] pcm = data.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return b.array();
    }

    private Path local(String name, byte[] content) throws Exception {
        Path p = work.resolve(name);
        Files.write(p, content);
        return p;
    }

    private AuditEvent.Entry upload(Path file, String name) {
        gw.sftp("sup-rec", "put " + file + " /REC1/recordings/" + name + "\n").assertOk();
        String target = "/REC1/recordings/" + name;
        await().atMost(Duration.ofSeconds(60)).until(() -> !gw.callgate().audit().find("recording.delivered", target)
                .isEmpty() || !gw.callgate().audit().find("recording.refused", target).isEmpty());
        List<AuditEvent.Entry> e = gw.callgate().audit().find("recording.delivered", target);
        return e.isEmpty() ? gw.callgate().audit().find("recording.refused", target).get(0) : e.get(0);
    }

    @Test
    @Order(1)
    void withoutARecordingsAgreementThereIsNoRecordingsFolder() throws Exception {
        Path f = local(recordId + ".wav", wav());
        assertThat(gw.sftp("sup-rec", "ls /REC0\n").assertOk().out()).doesNotContain("recordings");
        assertThat(gw.sftp("sup-rec", "put " + f + " /REC0/recordings/" + recordId + ".wav\n").exit()).isNotZero();
        assertThat(gw.sftp("sup-rec", "put " + f + " /REC1/recordings/" + recordId + ".wav\n").exit()).isNotZero();
        assertThat(gw.callgate().audit().find("recording.delivered", "/REC1/recordings/" + recordId + ".wav")).isEmpty();
    }

    @Test
    @Order(2)
    void withItARecordingArrivesEncryptedInTheControllersOutbox() throws Exception {
        gw.ssh("sup-rec", "campaign", "set", "REC1", "--recordings", "REC-AGR-2026-1").assertOk();
        assertThat(gw.admin("campaign", "show", "REC1").assertOk().out()).contains("REC-AGR-2026-1");
        assertThat(gw.sftp("sup-rec", "ls /REC1\n").assertOk().out()).contains("recordings");
        assertThat(gw.sftp("dial-rec", "ls /REC1\n").assertOk().out()).doesNotContain("recordings");
        byte[] audio = wav();
        AuditEvent.Entry e = upload(local(recordId + "-1.wav", audio), recordId + "-1.wav");
        assertThat(e.event().action()).isEqualTo("recording.delivered");
        assertThat(gw.sftp("sup-rec", "get /REC1/recordings/" + recordId + "-1.wav " + work.resolve("back") + "\n")
                .exit()).as("write-only").isNotZero();
        PlaintextScan.assertAbsent(gw.dataDir, List.of(MARKER));

        GnuPg.Result r = acme.fetchAndDecrypt("REC1", recordId + "-1.wav.gpg").requireOk();
        assertThat(r.stdout()).isEqualTo(audio);
        MetricsScrape m = MetricsScrape.fetch(gw.callgate().managementPort());
        assertThat(m.value("callgate_recordings_delivered_total")).isEqualTo(1.0);
        assertThat(m.names()).contains("callgate_recordings_pending", "callgate_recordings_oldest_pending_age_seconds");
    }

    @Test
    @Order(3)
    void unknownRecordsAndContentThatIsNotAudioAreRefused() throws Exception {
        AuditEvent.Entry unknown = upload(local("u.wav", wav()), "abcdefghijklmnopqrstuvwxyz.wav");
        assertThat(unknown.event().outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
        assertThat(unknown.event().detail()).contains("reason=UNKNOWN_RECORD");
        AuditEvent.Entry csv = upload(local("n.wav", "first_name;phone\nX;0401234567\n".getBytes(StandardCharsets.UTF_8)),
                recordId + "-2.wav");
        assertThat(csv.event().detail()).contains("reason=NOT_AUDIO");
        Path report = work.resolve("rep.csv");
        gw.sftp("sup-rec", "get /REC1/reports/" + recordId + "-2.wav.report.csv " + report + "\n").assertOk();
        assertThat(Files.readString(report)).contains("NOT_AUDIO").doesNotContain("0401234567");
        assertThat(gw.sftp(acme.account, "ls -1 /REC1/outbox\n").assertOk().out()).doesNotContain("-2.wav");
    }

    @Test
    @Order(4)
    void dsarFindListsARecordingAwaitingDownloadAndEraseRemovesIt() throws Exception {
        upload(local(recordId + "-3.wav", wav()), recordId + "-3.wav");
        JsonNode a = JSON.readTree(gw.ssh("sup-rec", "dsar", "find", "--json", "--phone", "0408000001").assertOk().out());
        JsonNode recs = a.get("records").get(0).get("recordings");
        assertThat(recs.toString()).contains(recordId + "-3.wav.gpg").contains(recordId + "-1.wav.gpg");
        gw.ssh("sup-rec", "dsar", "erase", a.get("request").asText()).assertOk();
        assertThat(gw.sftp(acme.account, "ls -1 /REC1/outbox\n").assertOk().out()).doesNotContain(".wav.gpg");
        assertThat(gw.callgate().audit().find("recording.removed", "/REC1/outbox/" + recordId + "-3.wav.gpg").get(0)
                .event().detail()).isEqualTo("reason=dsar");
    }

    @Test
    @Order(5)
    void aDownloadedRecordingIsGoneAfterHousekeeping() throws Exception {
        acme.upload("REC1", acme.encrypt("m.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Riitta;Toinen;040 800 0002;Asiakasrekisteri
                """), false, false, -1), "m.csv.gpg");
        Path list = work.resolve("list2.csv");
        gw.sftp("dial-rec", "get /REC1/lists/REC1-0002.csv " + list + "\n").assertOk();
        String id2 = Files.readAllLines(list).get(1).split(";")[0];
        upload(local(id2 + ".mp3.src", wav()), id2 + ".wav");
        acme.fetchAndDecrypt("REC1", id2 + ".wav.gpg").requireOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> MetricsScrape.fetch(gw.callgate().managementPort())
                .value("callgate_recordings_pending") == 0.0);
        gw.clock.advance(Duration.ofDays(6));
        Thread.sleep(2500); // two housekeeping ticks: still kept within 7 days of the download
        assertThat(gw.sftp(acme.account, "ls -1 /REC1/outbox\n").assertOk().out()).contains(id2 + ".wav.gpg");
        gw.clock.advance(Duration.ofDays(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> !gw.sftp(acme.account, "ls -1 /REC1/outbox\n").assertOk()
                .out().contains(id2 + ".wav.gpg"));
        assertThat(gw.callgate().audit().find("recording.removed", "/REC1/outbox/" + id2 + ".wav.gpg").get(0)
                .event().detail()).isEqualTo("reason=downloaded");
    }

    /**
     * A recording whose delivery keeps failing (the outbox is a file, not a folder) is given up at the retry cap
     * and counted as a recordings upload, not as a call list (it was counted under area="inbox").
     */
    @Test
    @Order(6)
    void aRecordingThatCannotBeDeliveredIsGivenUpAndCountedUnderRecordings() throws Exception {
        gw.set("CALLGATE_INTAKE_MAX_ATTEMPTS", "1"); // the first failed pass is the last
        gw.restart();
        Path outbox = gw.callgate().config().sftpRoot().resolve("REC1").resolve("outbox");
        Path aside = home.resolve("outbox-aside");
        Files.move(outbox, aside);
        Files.writeString(outbox, "not a folder");
        try {
            // a record still held: the first one was erased in order 4, this one came with order 5's list
            String name = Files.readAllLines(work.resolve("list2.csv")).get(1).split(";")[0] + "-4.wav";
            gw.sftp("sup-rec", "put " + local(name, wav()) + " /REC1/recordings/" + name + "\n").assertOk();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !gw.callgate().audit().find("upload.failed", "/REC1/recordings/" + name).isEmpty());
            MetricsScrape m = MetricsScrape.fetch(gw.callgate().managementPort());
            assertThat(m.value("callgate_uploads_failed_total", "area=\"recordings\"")).isEqualTo(1.0);
            assertThat(m.value("callgate_uploads_failed_total", "area=\"inbox\"")).isZero();
            assertThat(m.value("callgate_uploads_failed_total", "area=\"results\"")).isZero();
        } finally {
            Files.delete(outbox);
            Files.move(aside, outbox);
            gw.set("CALLGATE_INTAKE_MAX_ATTEMPTS", "5");
        }
    }
}
