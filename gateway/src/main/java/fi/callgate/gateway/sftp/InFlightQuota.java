package fi.callgate.gateway.sftp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes of one account's uploads that are still on the drop point: open, or parked under a temporary
 * name, and not yet handed to the spool. Without a bound, one account's sessions × handles × the largest
 * upload could fill the disk; with it, an account has at most this many bytes in flight in all, whatever
 * number of sessions and handles it opens.
 */
final class InFlightQuota {
    private final long limit;
    private final Map<String, Long> used = new ConcurrentHashMap<>();

    InFlightQuota(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** Takes {@code bytes} more for the account if they fit; false (and nothing taken) if not. */
    boolean take(String account, long bytes) {
        if (bytes <= 0) {
            return true;
        }
        boolean[] fits = {false};
        used.compute(account, (a, now) -> {
            long current = now == null ? 0 : now;
            if (current + bytes > limit) {
                return now;
            }
            fits[0] = true;
            return current + bytes;
        });
        return fits[0];
    }

    void release(String account, long bytes) {
        used.computeIfPresent(account, (a, now) -> now - bytes <= 0 ? null : now - bytes);
    }
}
