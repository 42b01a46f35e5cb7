package fi.callgate.gateway.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in the middle of the pipeline: the disk fills up while the decrypted spool is written, the
 * database goes away between two stages. Each is counted in {@code callgate_pipeline_failures_total} and
 * logged; the acknowledged upload stays unfinished (nothing lost, nothing half-visible) and completes,
 * exactly once, when the fault is gone and Callgate starts again.
 */
class FaultInjectionTest {
    @TempDir
    Path home;

    @Test
    void diskFullDuringSpoolWriteParksTheUploadUntilThereIsSpace() throws Exception {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        Proc.Result mount = Proc.run(null, null, List.of("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs",
                data.toString()));
        Assumptions.assumeTrue(mount.exit() == 0, "needs root to mount a small tmpfs: " + mount.err());
        try {
            try (TestGateway gw = TestGateway.start(home);
                 Controller ctl = new Controller(gw, "ctl", "Acme", "Acme <lists@acme.example>")) {
                gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
                ctl.keyFor("C1");
                // ~6 MB of rows that compress to a few hundred KB: the upload fits, its plaintext does not
                Path list = ctl.encrypt("big.csv", rows(60_000), false, false, 9);
                Path ballast = data.resolve("ballast");
                FileStore store = Files.getFileStore(data);
                long leave = Files.size(list) + 900_000;
                try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
                    f.setLength(0);
                    byte[] chunk = new byte[1 << 20];
                    while (store.getUsableSpace() > leave + chunk.length) {
                        f.write(chunk);
                    }
                    f.getFD().sync();
                }
                double before = failures(gw);
                gw.sftp("ctl", "put " + list + " /C1/inbox/big.csv.gpg\n").assertOk();
                await().atMost(Duration.ofSeconds(60)).until(() -> failures(gw) > before);
                System.out.printf("[fault] disk full: pipeline failures %.0f -> %.0f, state %s%n", before,
                        failures(gw), state(gw, "big.csv.gpg"));
                assertThat(state(gw, "big.csv.gpg")).isIn("RECEIVED", "DECRYPTED");
                assertThat(gw.callgate().audit().find("upload.processed", "/C1/inbox/big.csv.gpg")).isEmpty();
                Files.delete(ballast);
                gw.restart();
                AuditEvent.Entry done = ctl.awaitProcessed("C1", "big.csv.gpg");
                assertThat(done.event().detail()).contains("rows_accepted=60000");
                assertThat(state(gw, "big.csv.gpg")).isEqualTo("ACCEPTED");
                assertThat(ctl.report("C1", "big.csv.gpg")).contains(";rows_accepted;60000");
            }
        } finally {
            Proc.run(null, null, List.of("umount", "-l", data.toString()));
        }
    }

    @Test
    void databaseGoneBetweenStagesResumesAfterRestart() throws Exception {
        try (TestGateway gw = TestGateway.start(home, Map.of());
             Controller ctl = new Controller(gw, "ctl", "Acme", "Acme <lists@acme.example>")) {
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
            ctl.keyFor("C1");
            AtomicBoolean pulled = new AtomicBoolean();
            gw.faults = (stage, id) -> {
                if (stage.equals("decrypt") && pulled.compareAndSet(false, true)) {
                    gw.callgate().database().close(); // the store goes away under the running pipeline
                }
            };
            double before = failures(gw);
            Path list = ctl.encrypt("l.csv", rows(50), false, false, -1);
            gw.sftp("ctl", "put " + list + " /C1/inbox/db.csv.gpg\n").assertOk();
            await().atMost(Duration.ofSeconds(60)).until(() -> failures(gw) > before);
            System.out.printf("[fault] database gone: pipeline failures %.0f -> %.0f%n", before, failures(gw));
            gw.faults = (stage, id) -> { };
            gw.restart();
            AuditEvent.Entry done = ctl.awaitProcessed("C1", "db.csv.gpg");
            assertThat(done.event().detail()).contains("rows_accepted=50");
            assertThat(state(gw, "db.csv.gpg")).isEqualTo("ACCEPTED");
            assertThat(gw.callgate().records().count("C1")).isEqualTo(50);
            assertThat(ctl.report("C1", "db.csv.gpg")).contains(";rows_accepted;50");
            assertThat(gw.callgate().audit().find("upload.processed", "/C1/inbox/db.csv.gpg")).hasSize(1);
        }
    }

    private static byte[] rows(int n) {
        StringBuilder sb = new StringBuilder("etunimi;sukunimi;puhelin;lähde\n");
        for (int i = 0; i < n; i++) {
            sb.append("Etu").append(i % 97 == 0 ? "x" : "").append(';').append("Suku").append(';')
                    .append("040").append(2_000_000 + i).append(";messut\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double failures(TestGateway gw) {
        var c = gw.callgate().registry().find("callgate_pipeline_failures").counter();
        return c == null ? 0 : c.count();
    }

    private static String state(TestGateway gw, String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM upload WHERE original_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "none";
                }
            }
        });
    }
}
