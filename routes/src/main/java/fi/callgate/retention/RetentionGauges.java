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
 * <p>All three stay exact between updates as far as time goes: the cached instants are compared with the clock
 * at scrape time, and so are the deadlines still ahead at the last update (one long per held dataset), so a
 * dataset whose deadline passes while the shredder is stuck is counted overdue at the next scrape — data kept
 * past its deadline must never go unseen (CONTRACT §6). Only changes to the set of datasets wait for the next
 * update, and every change (a finished upload, called through, campaign end) is followed by one.
 */
public final class RetentionGauges {
    /** {@code ahead}: deadlines (epoch ms, ascending) not yet passed at the update. */
    private record Snapshot(long overdue, long[] ahead, Optional<Instant> nextDeadline, Optional<Instant> oldestHeld) {
    }

    private final RetentionLedger ledger;
    private final Clock clock;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(
            new Snapshot(0, new long[0], Optional.empty(), Optional.empty()));

    RetentionGauges(RetentionLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Re-reads the values (SELECTs only; nothing is written). */
    void update(Instant now) {
        last.set(new Snapshot(ledger.overdue(now), ledger.deadlinesFrom(now), ledger.nextDeadline(),
                ledger.oldestHeld()));
    }

    /** Datasets not yet shredded (at the last update) whose deadline is strictly past now. */
    public double overdueDatasets() {
        Snapshot s = last.get();
        long now = clock.instant().toEpochMilli();
        return s.overdue() + passedBefore(s.ahead(), now);
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

    /** How many of the ascending {@code deadlines} are strictly before {@code now} (a binary search). */
    static int passedBefore(long[] deadlines, long now) {
        int low = 0;
        int high = deadlines.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (deadlines[mid] < now) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
