package fi.callgate.gateway.accounts;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.metrics.CallgateMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.TimeoutIndicator;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every session's life: refuses banned sources and sources over their connection cap at once,
 * admits a connection only within the {@link PreAuthBudget} until it authenticates, counts only
 * authenticated sessions against the total cap (so connections that never log in cannot take the
 * slots of people who do), audits each login (account, source, key fingerprint) and each failed one,
 * feeds failures to the defender, and closes a session at its hard maximum age (idle timeouts reset on
 * keepalives, so this is the only bound on a session that is kept busy).
 */
public final class SessionGuard implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(SessionGuard.class);
    private final LoginDefender defender;
    private final AuditLog audit;
    private final CallgateMetrics metrics;
    private final ScheduledExecutorService timer;
    private final int maxPerSource;
    private final int maxTotal;
    private final Duration maxAge;
    private final Map<String, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final PreAuthBudget preAuth;
    private final Map<PreAuthBudget.Decision, Counter> preAuthRefused = new java.util.EnumMap<>(PreAuthBudget.Decision.class);
    /** Set while a session holds a pre-authentication slot; removed (once) when it authenticates or closes. */
    private static final AttributeKey<String> PENDING = new AttributeKey<>();
    /** Set while a session is counted among the authenticated ones. */
    private static final AttributeKey<Boolean> COUNTED = new AttributeKey<>();

    public SessionGuard(LoginDefender defender, AuditLog audit, CallgateMetrics metrics,
                        ScheduledExecutorService timer, int maxPerSource, int maxTotal, Duration maxAge,
                        PreAuthBudget preAuth) {
        this.preAuth = preAuth;
        Gauge.builder("callgate_sftp_preauth_connections", preAuth::pending)
                .description("SSH connections that have not authenticated yet").register(metrics.registry());
        for (PreAuthBudget.Decision d : PreAuthBudget.Decision.values()) {
            if (d != PreAuthBudget.Decision.ADMITTED) {
                preAuthRefused.put(d, Counter.builder("callgate_sftp_preauth_refused").tag("reason",
                        d.name().toLowerCase(java.util.Locale.ROOT)).description(
                        "SSH connections refused by the pre-authentication budget").register(metrics.registry()));
            }
        }
        this.defender = defender;
        this.audit = audit;
        this.metrics = metrics;
        this.timer = timer;
        this.maxPerSource = maxPerSource;
        this.maxTotal = maxTotal;
        this.maxAge = maxAge;
        metrics.sftpSessions(open::get);
    }

    @Override
    public void sessionCreated(Session session) {
        open.incrementAndGet();
        ServerSession s = (ServerSession) session;
        String source = SessionAccount.source(s);
        int count = perSource.computeIfAbsent(source, k -> new AtomicInteger()).incrementAndGet();
        if (defender.isSourceBanned(source)) {
            audit.record(AuditEvent.denied("-", source, "login.banned", source,
                    "connection from a banned source until " + defender.bannedUntil(source)));
            session.close(true);
            return;
        }
        if (count > maxPerSource) {
            audit.record(AuditEvent.denied("-", source, "session.limit", source,
                    "more than " + maxPerSource + " connections from one source"));
            session.close(true);
            return;
        }
        PreAuthBudget.Decision d = preAuth.admit(source);
        if (d != PreAuthBudget.Decision.ADMITTED) {
            preAuthRefused.get(d).increment();
            audit.record(AuditEvent.denied("-", source, "session.limit", source, "pre-authentication budget "
                    + preAuth.limits() + ": " + d.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
            session.close(true);
            return;
        }
        session.setAttribute(PENDING, source);
        timer.schedule(() -> {
            if (session.isOpen()) {
                log.info("closing session of {} from {}: maximum session age {} reached", session.getUsername(),
                        source, maxAge);
                session.close(true);
            }
        }, maxAge.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated) {
            ServerSession s = (ServerSession) session;
            releasePreAuth(s);
            session.setAttribute(COUNTED, Boolean.TRUE);
            if (authenticated.incrementAndGet() > maxTotal) {
                audit.record(AuditEvent.denied(s.getUsername(), SessionAccount.source(s), "session.limit",
                        SessionAccount.source(s), "more than " + maxTotal + " sessions in all"));
                session.close(true);
                return;
            }
            Account a = SessionAccount.require(s);
            audit.record(AuditEvent.ok(a.name(), SessionAccount.source(s), "login", a.name(),
                    "role=" + a.role().code() + " key=" + SessionAccount.fingerprint(s)));
        }
    }

    @Override
    public void sessionClosed(Session session) {
        open.decrementAndGet();
        ServerSession s = (ServerSession) session;
        releasePreAuth(s);
        if (session.removeAttribute(COUNTED) != null) {
            authenticated.decrementAndGet();
        }
        String source = SessionAccount.source(s);
        perSource.computeIfPresent(source, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        // MINA sets the session's user name only on success: a failed session is known by the name its
        // authenticators saw (SessionAccount.attempted); without it no failure was ever scored.
        String user = SessionAccount.attemptedUser(s);
        // MINA's own verdict, not a clock of ours: a stopwatch started in sessionCreated runs a few ms behind
        // MINA's, so under load a session MINA closed "after 1000/1000 ms" looked 2 ms short and went unscored.
        TimeoutIndicator timeout = s.getTimeoutStatus();
        if (!s.isAuthenticated() && user == null && timeout != null
                && timeout.getStatus() == TimeoutIndicator.TimeoutStatus.AuthTimeout) {
            // A connection that held a slot for the whole auth timeout without ever naming a user: what a
            // slot-exhaustion attempt looks like (a health check or port scan closes at once). It counts as a
            // failed login of its source, or such connections would stay invisible to the defender.
            metrics.authFailed();
            audit.record(AuditEvent.failed("-", source, "login", "-",
                    "connection held until the authentication timeout without naming a user"));
            if (defender.failed(source, null)) {
                audit.record(AuditEvent.denied("-", source, "login.ban", source,
                        "too many failed logins; banned until " + defender.bannedUntil(source)));
            }
            return;
        }
        if (!s.isAuthenticated() && user != null) {
            metrics.authFailed();
            String key = SessionAccount.fingerprint(s);
            audit.record(AuditEvent.failed(user, source, "login", user,
                    "session closed without authenticating" + (key == null ? "" : "; last key offered " + key)));
            if (defender.failed(source, "-".equals(user) ? null : user)) {
                audit.record(AuditEvent.denied(user, source, "login.ban", source,
                        "too many failed logins; banned until " + defender.bannedUntil(source)));
            }
        }
    }

    private void releasePreAuth(ServerSession s) {
        String source = s.removeAttribute(PENDING);
        if (source != null) {
            preAuth.release(source);
        }
    }
}
