package fi.callgate.gateway.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores failed logins per source address and per account within an observation window. A source over
 * the threshold is refused for a ban time that grows on each repeat ban (capped). An account over the
 * threshold has its password logins refused for the same time, but not its key logins: a password
 * guesser spread over many addresses must not be able to lock the person out.
 */
public final class LoginDefender {
    private final boolean enabled;
    private final int threshold;
    private final Duration window;
    private final Duration banTime;
    private final double multiplier;
    private final Duration maxBan;
    private final Clock clock;
    private final Map<String, Record> sources = new ConcurrentHashMap<>();
    private final Map<String, Record> accounts = new ConcurrentHashMap<>();

    public LoginDefender(boolean enabled, int threshold, Duration window, Duration banTime, double multiplier,
                         Duration maxBan, Clock clock) {
        this.enabled = enabled;
        this.threshold = threshold;
        this.window = window;
        this.banTime = banTime;
        this.multiplier = multiplier;
        this.maxBan = maxBan;
        this.clock = clock;
    }

    /** A failed login (a wrong password, or a session that ended unauthenticated). Returns true if it led to a ban. */
    public boolean failed(String source, String account) {
        if (!enabled) {
            return false;
        }
        boolean banned = sources.computeIfAbsent(source, k -> new Record()).fail(clock.instant());
        if (account != null) {
            accounts.computeIfAbsent(account, k -> new Record()).fail(clock.instant());
        }
        return banned;
    }

    public boolean isSourceBanned(String source) {
        Record r = sources.get(source);
        return enabled && r != null && r.banned(clock.instant());
    }

    public boolean arePasswordsBlocked(String account) {
        Record r = accounts.get(account);
        return enabled && r != null && r.banned(clock.instant());
    }

    /** When the source's ban ends, if it is banned now. */
    public Instant bannedUntil(String source) {
        Record r = sources.get(source);
        return r == null ? Instant.EPOCH : r.until;
    }

    private final class Record {
        private final Deque<Instant> failures = new ArrayDeque<>();
        private Instant until = Instant.EPOCH;
        private int bans;

        synchronized boolean fail(Instant now) {
            if (banned(now)) {
                return false;
            }
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(window))) {
                failures.removeFirst();
            }
            if (failures.size() < threshold) {
                return false;
            }
            failures.clear();
            double factor = Math.pow(multiplier, bans++);
            long millis = (long) Math.min(maxBan.toMillis(), banTime.toMillis() * factor);
            until = now.plusMillis(millis);
            return true;
        }

        synchronized boolean banned(Instant now) {
            return now.isBefore(until);
        }
    }
}
