package fi.callgate.gateway.flow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, item 2: no upload retries forever, and a crafted upload is decided. A persistent fault (the
 * decrypted spool file vanishes after the decrypt stage, so validate fails on every pass) is retried across
 * restarts until {@code intake.max-attempts} passes, then the upload is finished: the controller gets a "could
 * not be processed" report naming the upload id, the spool is empty, the upload is audited and counted, and the
 * cause stays on the upload row. The crafted upload (an unknown packet declaring a gibibyte, as a sparse
 * 1 GiB file) sent with OpenSSH's sftp gets its refusal report.
 */
class RetryCapTest {
    @TempDir
    Path home;

    @Test
    void anUploadThatKeepsFailingIsFinishedWithACouldNotBeProcessedReportAfterMaxAttempts() throws Exception {
        try (TestGateway gw = TestGateway.start(home, Map.of("CALLGATE_INTAKE_MAX_ATTEMPTS", "3"));
             Controller ctl = new Controller(gw, "ctl", "Acme", "Acme <lists@acme.example>")) {
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
            ctl.keyFor("C1");
            gw.faults = (stage, id) -> {
                if (stage.equals("decrypt")) {
                    try { // the fault: what validate needs is gone, on this pass and every later one
                        Files.deleteIfExists(gw.dataDir.resolve("spool").resolve(id + ".plain"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
            Path list = ctl.encrypt("l.csv", Controller.utf8("etunimi;sukunimi;puhelin;lähde\nAino;A;0401000001;m\n"),
                    false, false, -1);
            gw.sftp("ctl", "put " + list + " /C1/inbox/stuck.csv.gpg\n").assertOk();
            String id = column(gw, "id", "stuck.csv.gpg");
            for (int pass = 1; pass <= 2; pass++) {
                int expected = pass;
                await().atMost(Duration.ofSeconds(60)).until(() -> column(gw, "last_failure", "stuck.csv.gpg") != null
                        && Integer.parseInt(column(gw, "attempts", "stuck.csv.gpg")) == expected
                        && gw.callgate().pipeline().isIdle());
                assertThat(column(gw, "state", "stuck.csv.gpg")).isEqualTo("DECRYPTED");
                gw.restart(); // the count survives: each start resumes the upload for one more pass
            }
            AuditEvent.Entry done = await().atMost(Duration.ofSeconds(60)).until(() ->
                    gw.callgate().audit().find("upload.failed", "/C1/inbox/stuck.csv.gpg"), l -> !l.isEmpty()).get(0);
            assertThat(done.event().detail()).contains("id=" + id, "attempts=3", "reason=NOT_PROCESSED");
            assertThat(column(gw, "state", "stuck.csv.gpg")).isEqualTo("REJECTED");
            assertThat(column(gw, "attempts", "stuck.csv.gpg")).isEqualTo("3");
            assertThat(column(gw, "last_failure", "stuck.csv.gpg")).contains("NoSuchFileException");
            String report = ctl.report("C1", "stuck.csv.gpg");
            System.out.println("[retry-cap] report:\n" + report);
            assertThat(report).contains("file_not_processed", "NOT_PROCESSED", "could not be processed (3 attempts)",
                    "reference;upload " + id);
            assertThat(Controller.spoolEmpty(gw.dataDir)).isTrue();
            assertThat(gw.callgate().records().count("C1")).isZero();
            assertThat(gw.callgate().registry().find("callgate_uploads_failed").tag("area", "inbox").counter().count())
                    .isEqualTo(1.0);
        }
    }

    /** The exact bytes of the issue, uploaded whole (1 GiB) by OpenSSH's sftp: refused on its first six bytes. */
    @Test
    void theCraftedSparseGibibyteGetsARefusalReport() throws Exception {
        try (TestGateway gw = TestGateway.start(home);
             Controller ctl = new Controller(gw, "ctl", "Acme", "Acme <lists@acme.example>")) {
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
            ctl.keyFor("C1");
            Path crafted = home.resolve("crafted.csv.gpg");
            try (RandomAccessFile f = new RandomAccessFile(crafted.toFile(), "rw")) {
                f.write(new byte[] {(byte) 0xFC, (byte) 0xFF, 0x3F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFA});
                f.setLength(1L << 30); // sparse: only the two ends are written
                f.seek((1L << 30) - 8);
                f.write("tailbyte".getBytes(StandardCharsets.US_ASCII));
            }
            gw.sftp("ctl", "put " + crafted + " /C1/inbox/crafted.csv.gpg\n").assertOk();
            AuditEvent.Entry done = ctl.awaitProcessed("C1", "crafted.csv.gpg");
            assertThat(done.event().detail()).contains("reason=NOT_OPENPGP");
            assertThat(ctl.report("C1", "crafted.csv.gpg")).contains("NOT_OPENPGP", "unknown packet, type 60");
            assertThat(Controller.spoolEmpty(gw.dataDir)).isTrue();
        }
    }

    private static String column(TestGateway gw, String column, String name) {
        List<String> v = gw.callgate().database().query("SELECT " + column + " FROM upload WHERE original_name = ?",
                (ResultSet rs) -> rs.getString(1), name);
        return v.isEmpty() ? null : v.get(0);
    }
}
