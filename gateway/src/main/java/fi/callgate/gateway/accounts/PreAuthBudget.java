package fi.callgate.gateway.accounts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The budget of connections that have not authenticated yet, kept apart from the sessions of people who
 * have, so that silent or slow connections cannot take those slots (issue: 3 sources × 10 silent
 * connections used to lock out every new login). OpenSSH's {@code MaxStartups start:rate:full} in all —
 * from {@code start} pending connections on, a new one is refused with probability {@code rate}%,
 * rising linearly to 100% at {@code full}, so that a flood cannot simply hold the door shut for
 * everybody — and a hard cap per source, so that filling the budget takes many sources.
 */
public final class PreAuthBudget {
    /** What happened to a new connection. */
    public enum Decision {
        ADMITTED, SOURCE_FULL, EARLY_DROP, FULL
    }

    /** The configured limits. */
    public record Limits(int start, int rate, int full, int perSource) {
        public Limits {
            if (start < 1 || full < start || rate < 0 || rate > 100 || perSource < 1) {
                throw new IllegalArgumentException("pre-auth limits need 1 <= start <= full, 0 <= rate <= 100,"
                        + " per-source >= 1: " + start + ":" + rate + ":" + full + " per source " + perSource);
            }
        }

        /** Parses OpenSSH's {@code start:rate:full} (a lone number means start = full). */
        public static Limits parse(String startRateFull, int perSource) {
            String[] p = startRateFull.strip().split(":");
            if (p.length == 1) {
                int n = Integer.parseInt(p[0]);
                return new Limits(n, 100, n, perSource);
            }
            if (p.length != 3) {
                throw new IllegalArgumentException("expected start:rate:full, got " + startRateFull);
            }
            return new Limits(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), perSource);
        }

        @Override
        public String toString() {
            return start + ":" + rate + ":" + full + " (at most " + perSource + " per source)";
        }
    }

    private final Limits limits;
    private final DoubleSupplier random;
    private final Map<String, Integer> perSource = new ConcurrentHashMap<>();
    private int pending;

    /** {@code random} yields values in [0, 1); tests pass a fixed one. */
    public PreAuthBudget(Limits limits, DoubleSupplier random) {
        this.limits = limits;
        this.random = random;
    }

    /** Decides on a new connection from {@code source}; if admitted it holds a slot until {@link #release}. */
    public synchronized Decision admit(String source) {
        if (perSource.getOrDefault(source, 0) >= limits.perSource()) {
            return Decision.SOURCE_FULL;
        }
        if (pending >= limits.full()) {
            return Decision.FULL;
        }
        if (pending >= limits.start()) {
            // OpenSSH's drop probability: rate% at start, rising linearly to 100% at full.
            double span = Math.max(1, limits.full() - limits.start());
            double p = (limits.rate() + (100.0 - limits.rate()) * (pending - limits.start()) / span) / 100.0;
            if (random.getAsDouble() < p) {
                return Decision.EARLY_DROP;
            }
        }
        pending++;
        perSource.merge(source, 1, Integer::sum);
        return Decision.ADMITTED;
    }

    /** The connection authenticated or closed: its slot is free again. */
    public synchronized void release(String source) {
        pending = Math.max(0, pending - 1);
        perSource.computeIfPresent(source, (k, v) -> v <= 1 ? null : v - 1);
    }

    public synchronized int pending() {
        return pending;
    }

    public Limits limits() {
        return limits;
    }
}
