package fi.callgate.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The values behind the {@code callgate_retention_*} gauges, taken when the ledger has just been brought up to
 * date — after every {@link RetentionLedger#refresh} (the shredder's pass, the retention commands), after each
 * shred run, and at start — and read at scrape time without touching the store. A scrape used to refresh the
 * ledger (a scan with INSERT/UPDATE) three times; Prometheus scrapes far more often than anything changes, and
 * a read of a metric must not write.
 *
 * <p>The deadline and age gauges stay exact between updates: the cached instants are compared with the clock
 * at scrape time. The overdue count is the one taken at the last update, so a dataset whose deadline passes
 * between two passes is counted from the next pass on (within one {@code shredder.interval}) — which is also
 * when the shredder would destroy it; the count only stays up when a pass cannot.
 */
public final class RetentionGauges {
    private record Snapshot(long overdue, Optional<Instant> nextDeadline, Optional<Instant> oldestHeld) {
    }

    private final RetentionLedger ledger;
    private final Clock clock;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(
            new Snapshot(0, Optional.empty(), Optional.empty()));

    RetentionGauges(RetentionLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Re-reads the values (three aggregate SELECTs; nothing is written). */
    void update(Instant now) {
        last.set(new Snapshot(ledger.overdue(now), ledger.nextDeadline(), ledger.oldestHeld()));
    }

    /** Datasets not yet shredded whose deadline had passed at the last update. */
    public double overdueDatasets() {
        return last.get().overdue();
    }

    /** +Inf when nothing is held; negative when the nearest deadline has passed. */
    public double nextDeadlineSeconds() {
        Instant now = clock.instant();
        return last.get().nextDeadline().map(d -> Duration.between(now, d).toMillis() / 1000.0)
                .orElse(Double.POSITIVE_INFINITY);
    }

    /** 0 when no personal data is held. */
    public double oldestPersonalDataAgeSeconds() {
        Instant now = clock.instant();
        return last.get().oldestHeld().map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0))
                .orElse(0.0);
    }
}
