package fi.callgate.dialer;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerPush.Kind;
import fi.callgate.dialer.DialerPush.ListSource;
import fi.callgate.dialer.DialerPush.Target;
import fi.callgate.domain.EeaPolicy;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push route, in the appliance's one Camel context: files queued by {@link DialerPush} (dialer lists to
 * the dialer, exports to the controller) are sent with camel-sftp ({@code toD("sftp:…")}), failed attempts
 * redelivered by Camel with exponential back-off.
 *
 * <p>Every attempt first checks, as the old per-kind pusher did: the store takes writes (else the push is
 * parked, its durable queue row kept for the next start or reload); the target still exists (else the row
 * is dropped); the target's declared location is in the EEA ({@link EeaPolicy}; else refused before any
 * connection, for good). The server's host key is pinned — the configured key line is written to a
 * known-hosts file of its own and {@code strictHostKeyChecking=yes} refuses an unknown or changed key.
 * Authentication is by Callgate's own push key ({@link PushKey}). The file is written under a temporary
 * name and renamed by camel-sftp, so the target never sees half of it.
 *
 * <p>Redelivery: the {@code push} route calls the {@code push-attempt} route, which has no error handler
 * of its own, so a failure goes back to the {@code push} route's handler and its redelivery runs the whole
 * attempt again (checks, a fresh stream of the file, the transfer). Redeliveries are scheduled
 * asynchronously, so waiting out a back-off holds no thread.
 *
 * <p>Stall watchdog: a server that accepts the connection and then stalls (answers SSH keep-alives, never
 * the SFTP write) would hang camel-sftp for ever — its {@code timeout} option is FTP-only and JSch waits
 * for an SFTP reply without a deadline. So each transfer is watched; once it has read no byte of the file
 * for {@code stallTimeout} its thread is interrupted (which ends JSch's wait) and the attempt fails as
 * "transfer stalled", to be redelivered. The file was being written under its temporary name only.
 */
public final class PushRoute extends RouteBuilder {
    private static final Logger log = LoggerFactory.getLogger(PushRoute.class);
    static final int MAX_ATTEMPTS = 5;
    // pollTimeout 100 ms: a stop waits out each consumer's pending poll (Camel's default is 1 s); see IntakeRoutes.
    static final String QUEUE = "seda:push?concurrentConsumers=4&size=10000&pollTimeout=100";
    private static final String ATTEMPT = "direct:push-attempt";
    private static final String JOB = "CallgatePushJob";
    private static final String ATTEMPT_NO = "CallgatePushAttempt";
    private static final String TARGET = "CallgatePushTarget";
    private static final String ADDRESS = "CallgatePushAddress";
    private static final String SEND = "CallgatePushSend";
    private static final String WATCH = "CallgatePushWatch";
    private static final String WHY = "CallgatePushWhy";

    /** A queued push: which file of which campaign, where it is read from. */
    record Job(Kind kind, String campaign, String fileName, ListSource source) {
    }

    private final Database db;
    private final PushTargets targets;
    private final PushQueue queue;
    private final AuditLog audit;
    private final MeterRegistry registry;
    private final PushKey key;
    private final Duration firstDelay;
    private final Duration stallTimeout;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile ProducerTemplate producer;

    public PushRoute(Database db, PushTargets targets, PushQueue queue, AuditLog audit, MeterRegistry registry,
                     PushKey key, Duration firstDelay, Duration stallTimeout) {
        this.db = db;
        this.targets = targets;
        this.queue = queue;
        this.audit = audit;
        this.registry = registry;
        this.key = key;
        this.firstDelay = firstDelay;
        this.stallTimeout = stallTimeout;
        for (Kind k : Kind.values()) { // series from the start, so a dashboard reads 0, not "no data"
            CallgateMetrics.pushes(registry, k.metricTarget);
        }
    }

    @Override
    public void configure() {
        ScheduledExecutorService watchdog = getContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "push-watchdog");
        long tick = Math.max(100, Math.min(1000, stallTimeout.toMillis()));
        watchdog.scheduleWithFixedDelay(this::checkStalls, tick, tick, TimeUnit.MILLISECONDS);

        // A stop does not wait for pushes: the queue is durable and the next start queues them again. So
        // only the transfer under way is finished (bounded by the stall watchdog and the context's shutdown
        // timeout), nothing more is taken from the queue and no redelivery waits out its back-off.
        RouteDefinition push = from(QUEUE).routeId("push")
                .shutdownRunningTask(ShutdownRunningTask.CompleteCurrentTaskOnly);
        OnExceptionDefinition retry = push.onException(Exception.class).handled(true)
                .maximumRedeliveries(MAX_ATTEMPTS - 1).redeliveryDelay(firstDelay.toMillis())
                .useExponentialBackOff().backOffMultiplier(2).asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG).logExhausted(false)
                .onExceptionOccurred(this::attemptFailed);
        retry.getRedeliveryPolicyType().setAllowRedeliveryWhileStopping("false");
        retry.process(this::gaveUp).end();
        push.process(e -> e.setProperty(JOB, e.getIn().getBody(Job.class)))
                .to(ATTEMPT);

        from(ATTEMPT).routeId("push-attempt").errorHandler(noErrorHandler())
                .process(this::prepare)
                .filter(exchangeProperty(SEND).isEqualTo(true))
                    .doTry()
                        // -1: no endpoint cache; every file has its own temporary name in the URI.
                        .toD("sftp:${exchangeProperty." + ADDRESS + "}", -1)
                        .process(this::pushed)
                    .doFinally()
                        .process(this::release)
                    .end()
                .end();
        producer = getContext().createProducerTemplate();
    }

    /** Hands a queued file to the route; before the route is running the durable queue row is enough. */
    void offer(Job job) {
        ProducerTemplate p = producer;
        if (p != null) {
            p.sendBody(QUEUE, job);
        }
    }

    String publicKey() throws IOException {
        return key.publicKey();
    }

    private void prepare(Exchange e) throws IOException {
        Job job = e.getProperty(JOB, Job.class);
        int n = e.getProperty(ATTEMPT_NO, 0, Integer.class) + 1;
        e.setProperty(ATTEMPT_NO, n);
        e.setProperty(SEND, false);
        Optional<String> parked = db.writeRefusal();
        if (parked.isPresent()) {
            // A push records its outcome in the store, which takes no writes now; the durable queue entry
            // stays and is tried again when an EEA location is reloaded (or at the next start).
            log.warn("push of {} for {} parked: {}", job.fileName(), job.campaign(), parked.get());
            return;
        }
        Optional<Target> t = targets.find(job.kind(), job.campaign());
        if (t.isEmpty()) {
            queue.done(job.kind(), job.campaign(), job.fileName());
            return;
        }
        e.setProperty(TARGET, t.get());
        EeaPolicy.Decision where = EeaPolicy.check(t.get().location());
        if (!where.allowed()) {
            // Refused before any connection; retrying cannot help until the target is changed.
            queue.done(job.kind(), job.campaign(), job.fileName());
            CallgateMetrics.pushFailures(registry, job.kind().metricTarget, "location").increment();
            targets.record(job.kind(), job.campaign(), "refused: " + where.reason(), false);
            audit.record(AuditEvent.denied("callgate", null, job.kind().action, describe(t.get(), job.fileName()),
                    where.reason()));
            return;
        }
        e.setProperty(ADDRESS, address(job, t.get()));
        Progress in = new Progress(job.source().open(job.campaign(), job.fileName()));
        Watch watch = new Watch(Thread.currentThread(), in);
        watches.add(watch);
        e.setProperty(WATCH, watch);
        e.getIn().setBody(in);
        e.getIn().setHeader(Exchange.FILE_NAME, job.fileName());
        e.setProperty(SEND, true);
    }

    private String address(Job job, Target t) throws IOException {
        Path knownHosts = key.dir().resolve(t.campaign() + job.kind().knownHostsSuffix + ".known_hosts");
        String hostPattern = t.port() == 22 ? t.host() : "[" + t.host() + "]:" + t.port();
        String[] line = t.hostKeyLine().strip().split("\\s+");
        // Written aside and moved into place: a concurrent attempt never reads a half-written file.
        Path tmp = Files.createTempFile(key.dir(), ".known_hosts", ".tmp");
        Files.writeString(tmp, hostPattern + " " + line[0] + " " + line[1] + "\n");
        Files.move(tmp, knownHosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "//" + t.host() + ":" + t.port() + "/" + t.directory()
                + "?username=" + enc(t.user())
                + "&privateKeyFile=" + enc(key.privateKeyFile().toString())
                + "&knownHostsFile=" + enc(knownHosts.toString())
                + "&useUserKnownHostsFile=false&strictHostKeyChecking=yes"
                + "&tempFileName=" + enc(".tmp-" + job.fileName()) + "&fileExist=Override&autoCreate=false"
                + "&connectTimeout=10000&timeout=30000&disconnect=true&throwExceptionOnConnectFailed=true"
                + "&jschLoggingLevel=OFF&serverHostKeys=ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256";
    }

    private void pushed(Exchange e) {
        Job job = e.getProperty(JOB, Job.class);
        Target t = e.getProperty(TARGET, Target.class);
        queue.done(job.kind(), job.campaign(), job.fileName());
        CallgateMetrics.pushes(registry, job.kind().metricTarget).increment();
        targets.record(job.kind(), job.campaign(), "pushed " + job.fileName(), true);
        audit.record(AuditEvent.ok("callgate", null, job.kind().action, describe(t, job.fileName()),
                "attempt=" + e.getProperty(ATTEMPT_NO, Integer.class)));
    }

    /** After every transfer, whatever its outcome: stop watching it, clear a watchdog interrupt, close the file. */
    private void release(Exchange e) {
        Watch watch = e.getProperty(WATCH, Watch.class);
        if (watch == null) {
            return;
        }
        e.removeProperty(WATCH);
        watches.remove(watch);
        watch.finish();
        if (watch.stalled != null) {
            e.setProperty(WHY, watch.stalled);
        }
        try {
            watch.in.close();
        } catch (IOException ignored) {
            // a read-only stream of a local file; nothing was written through it
        }
    }

    /** Each failed attempt: counted, shown in {@code campaign show}, logged; Camel then redelivers or gives up. */
    private void attemptFailed(Exchange e) {
        Job job = e.getProperty(JOB, Job.class);
        int n = e.getProperty(ATTEMPT_NO, 1, Integer.class);
        Exception cause = e.getException() != null ? e.getException()
                : e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String stalled = e.getProperty(WHY, String.class);
        String why = stalled != null ? stalled : rootMessage(cause);
        e.removeProperty(WHY);
        e.setProperty(WHY + "Last", why);
        CallgateMetrics.pushFailures(registry, job.kind().metricTarget, "transfer").increment();
        targets.record(job.kind(), job.campaign(), "failed (attempt " + n + "/" + MAX_ATTEMPTS + "): " + why, false);
        log.warn("pushing {} of {} failed (attempt {}): {}", job.fileName(), job.campaign(), n, why);
    }

    private void gaveUp(Exchange e) {
        Job job = e.getProperty(JOB, Job.class);
        Target t = e.getProperty(TARGET, Target.class);
        int n = e.getProperty(ATTEMPT_NO, 1, Integer.class);
        if (e.getContext().isStopping()) {
            // Not given up: the stop cut the back-off short; the durable queue row brings it back at start.
            log.info("push of {} for {} left for the next start (stopping after attempt {})", job.fileName(),
                    job.campaign(), n);
            return;
        }
        // The queue entry stays: the next start tries again (the file is still in the outbox or the lists
        // area; nothing is lost, and the failure shows in campaign show and the metrics).
        audit.record(AuditEvent.failed("callgate", null, job.kind().action,
                t == null ? job.campaign() + "/" + job.fileName() : describe(t, job.fileName()),
                "gave up after " + n + " attempts (tried again at the next start): " + e.getProperty(WHY + "Last")));
    }

    private void checkStalls() {
        long now = System.nanoTime();
        for (Watch w : watches) {
            w.check(now);
        }
    }

    /** One running transfer as the watchdog sees it: the thread doing it and the bytes it has read. */
    private final class Watch {
        final Thread thread;
        final Progress in;
        private long seen;
        private long since = System.nanoTime();
        private boolean active = true;
        volatile String stalled;

        Watch(Thread thread, Progress in) {
            this.thread = thread;
            this.in = in;
        }

        synchronized void check(long now) {
            if (!active) {
                return;
            }
            long bytes = in.bytes();
            if (bytes != seen) {
                seen = bytes;
                since = now;
            } else if (now - since >= stallTimeout.toNanos()) {
                if (stalled == null) {
                    stalled = "transfer stalled: no progress for " + stallTimeout.toSeconds() + " s after " + bytes
                            + " bytes; aborted";
                }
                thread.interrupt(); // again at every tick until the transfer gives up
            }
        }

        /** Called on the transfer's thread; under the lock, so no interrupt can land after it. */
        synchronized void finish() {
            active = false;
            Thread.interrupted();
        }
    }

    private static String describe(Target t, String fileName) {
        return "sftp://" + t.user() + "@" + t.host() + ":" + t.port() + "/" + t.directory() + "/" + fileName;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown failure";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
