package fi.callgate.gateway.flow.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.Area;
import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.store.RecordStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (skipped unless {@code -Dcallgate.bench=true}; run with
 * {@code mvn -pl gateway -am test -Dtest=ShredBenchmark -Dcallgate.bench=true -Dsurefire.failIfNoSpecifiedTests=false}):
 * 10 000 accepted datasets of one campaign, each with a record, become due at the same moment; prints
 * how long after that moment the shredder (interval 1 s) had destroyed the last of them. Target: 60 s.
 * The datasets are written straight into the store (not through SFTP) so the figure is the shredder's.
 */
class ShredBenchmark {
    static final int DATASETS = Integer.getInteger("callgate.bench.datasets", 10_000);
    @TempDir
    Path home;

    @Test
    void tenThousandDueDatasets() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("callgate.bench"), "benchmark; -Dcallgate.bench=true");
        try (TestGateway gw = TestGateway.start(home, Map.of("CALLGATE_SHREDDER_INTERVAL", "PT1S"))) {
            gw.admin("campaign", "add", "B1", "--org", "Acme", "--ends", "2099-12-31", "--retention-days", "1")
                    .assertOk();
            UploadStore uploads = new UploadStore(gw.callgate().database());
            RecordStore records = gw.callgate().records();
            long t0 = System.nanoTime();
            for (int i = 0; i < DATASETS; i++) {
                String id = java.util.UUID.randomUUID().toString();
                uploads.insert(new Upload(id, "B1", Area.INBOX, "bench", "list-" + i + ".csv.gpg", id + ".up", 100,
                        Optional.of("0".repeat(64)), new byte[16], Upload.State.ACCEPTED, gw.clock.instant()));
                try (RecordStore.Staging s = records.stage(id, "B1")) {
                    s.add(new CallRecord(2, "Bench", "Person" + i, new PhoneNumber(String.format("+35840%07d", i)),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "bench",
                            Optional.empty()));
                    s.finish();
                }
                records.publish(id);
            }
            System.out.printf("ShredBenchmark: %d datasets written in %d ms%n", DATASETS,
                    (System.nanoTime() - t0) / 1_000_000);
            gw.clock.advance(Duration.ofDays(2)); // every deadline passes at this moment
            long due = System.nanoTime();
            Instant wallDue = Instant.now();
            while (records.count("B1") > 0) {
                Thread.sleep(200);
                if (System.nanoTime() - due > Duration.ofMinutes(30).toNanos()) {
                    break;
                }
            }
            long ms = (System.nanoTime() - due) / 1_000_000;
            System.out.printf("ShredBenchmark: the last of %d due datasets was shredded %d ms after they became due"
                    + " (started %s); overdue gauge now %s%n", DATASETS, ms, wallDue,
                    gw.callgate().registry().get("callgate_retention_overdue_datasets").gauge().value());
            assertThat(records.count("B1")).isZero();
        }
    }
}
