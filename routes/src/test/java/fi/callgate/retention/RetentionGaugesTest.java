package fi.callgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.WriteGate;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the retention gauges (a Prometheus scrape) writes nothing: it reads what the last ledger refresh or
 * shred pass cached (issue #17). The proof is a write gate closed during the scrape: every connection is then
 * read-only, and a scrape that still refreshed the ledger — INSERTing the dataset of a newly finished upload —
 * would fail.
 */
class RetentionGaugesTest {
    private static final MasterKey MASTER = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
    @TempDir
    Path dir;
    private final WriteGate gate = new WriteGate("FI", () -> { });
    private final MovableClock clock = new MovableClock(Instant.now());
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir, MASTER, gate);
        new CampaignStore(db, clock).create(new CampaignStore.NewCampaign("C1", "acme", LocalDate.of(2030, 1, 1),
                OptionalInt.empty(), false, false, List.of("first_name")));
    }

    @AfterEach
    void close() {
        gate.relocate("FI");
        db.close();
    }

    @Test
    void aScrapeReadsTheValuesOfTheLastRefreshAndWritesNothing() {
        finishedUpload("u1", clock.instant().minus(Duration.ofDays(10)));
        Retention retention = new Retention(new RetentionLedger(db, new RetentionPolicy(120, 365, 30), clock),
                new CampaignStore(db, clock), clock);
        retention.datasets(); // what a shred pass or the status command does: the ledger and its gauges up to date
        double next = retention.nextDeadlineSeconds();
        assertThat(next).isPositive().isLessThan(120 * 86400.0);

        finishedUpload("u2", clock.instant()); // a refresh now would INSERT its dataset row
        gate.relocate("GB"); // from here on every connection is read-only: any write fails
        assertThat(retention.overdueDatasets()).isZero();
        assertThat(retention.nextDeadlineSeconds()).isCloseTo(next, offset(5.0));
        assertThat(retention.oldestPersonalDataAgeSeconds()).isCloseTo(10 * 86400.0, offset(5.0));
        gate.relocate("FI");
        assertThat(datasets()).as("the scrape added no dataset row").isEqualTo(1);

        retention.datasets(); // the next refresh takes the new upload into the gauges
        assertThat(datasets()).isEqualTo(2);
        assertThat(retention.oldestPersonalDataAgeSeconds()).isCloseTo(10 * 86400.0, offset(5.0));
    }

    @Test
    void aDeadlinePassingWhileNoPassRunsIsCountedAtTheNextScrape() {
        finishedUpload("u1", clock.instant().minus(Duration.ofDays(10)));
        Retention retention = new Retention(new RetentionLedger(db, new RetentionPolicy(120, 365, 30), clock),
                new CampaignStore(db, clock), clock);
        retention.datasets();
        assertThat(retention.overdueDatasets()).isZero();
        double next = retention.nextDeadlineSeconds();

        gate.relocate("GB"); // the shredder is stuck or refused: nothing refreshes, nothing is written
        clock.advance(Duration.ofSeconds((long) next - 60));
        assertThat(retention.overdueDatasets()).isZero();
        clock.advance(Duration.ofSeconds(120));
        assertThat(retention.overdueDatasets()).as("data past its deadline is never unseen").isEqualTo(1);
        assertThat(retention.nextDeadlineSeconds()).isNegative();
    }

    @Test
    void passedBeforeCountsTheDeadlinesStrictlyBeforeNow() {
        long[] deadlines = {10, 20, 20, 30};
        assertThat(RetentionGauges.passedBefore(deadlines, 5)).isZero();
        assertThat(RetentionGauges.passedBefore(deadlines, 20)).isEqualTo(1);
        assertThat(RetentionGauges.passedBefore(deadlines, 21)).isEqualTo(3);
        assertThat(RetentionGauges.passedBefore(deadlines, 31)).isEqualTo(4);
        assertThat(RetentionGauges.passedBefore(new long[0], 31)).isZero();
    }

    /** A clock the test moves; the retention code reads time only through it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private void finishedUpload(String id, Instant received) {
        OffsetDateTime at = OffsetDateTime.ofInstant(received, ZoneOffset.UTC);
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload(id, campaign, area, account,"
                    + " original_name, spool_name, size_bytes, spool_iv, state, received_at, updated_at)"
                    + " VALUES (?, 'C1', 'inbox', 'ctl', ?, ?, 1, ?, 'ACCEPTED', ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, id + ".csv.gpg");
                ps.setString(3, id + ".spool");
                ps.setString(4, "00".repeat(16));
                ps.setObject(5, at);
                ps.setObject(6, at);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private long datasets() {
        return db.query("SELECT COUNT(*) FROM dataset", rs -> rs.getLong(1)).get(0);
    }
}
