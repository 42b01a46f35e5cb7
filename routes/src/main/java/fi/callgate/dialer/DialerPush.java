package fi.callgate.dialer;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.EeaPolicy;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.metrics.CallgateMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push mode: a campaign's lists are sent to the dialer's own SFTP server with camel-sftp, in addition to
 * being published in {@code /<campaign>/lists}.
 *
 * <p>Before every connection the target's declared location goes through {@link EeaPolicy}: a location
 * outside the EEA (or unknown) is refused and nothing is connected to. The server's host key is pinned —
 * the configured key line is written to a known-hosts file of its own and the connection is made with
 * {@code strictHostKeyChecking=yes}, so an unknown or changed key is refused (no trust on first use).
 * Authentication is by Callgate's own Ed25519 push key ({@link #publicKey()}, to be authorised on the
 * dialer's server). The file is written under a temporary name and renamed by camel-sftp, so the dialer
 * never sees half of it. Failed attempts are retried with exponential back-off; each failure counts in
 * {@code callgate_dialer_push_failures_total} and the last outcome is kept for {@code campaign show}.
 *
 * <p>A server that accepts the connection and then stalls (answers SSH keep-alives, never the SFTP write)
 * would hang camel-sftp for ever: its {@code timeout} option is FTP-only and JSch waits for an SFTP reply
 * without a deadline. So the transfer runs on a thread of its own and is aborted (interrupted, which ends
 * JSch's wait for the reply) once it has read no byte of the file for {@code stallTimeout}; that counts as
 * a failed attempt and is retried. The file was being written under its temporary name, never the final one.
 *
 * <p>The same mechanism pushes a campaign's exports to the controller's own SFTP server ({@link Kind#CONTROLLER}):
 * its own table, metrics, audit action and known-hosts file, the same push key. The exports are already
 * encrypted to the controller and signed, and stay in the outbox whatever the push does.
 */
public final class DialerPush implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialerPush.class);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[?[0-9a-fA-F:]+]?");
    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9._\\-/]{0,255}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");
    static final int MAX_ATTEMPTS = 5;

    /** What is pushed where; each kind has its own target table, metrics, audit action and status keys. */
    public enum Kind {
        DIALER("dialer_push", "dialer", "dialer.list.push", "push_", "", "dialer lists"),
        CONTROLLER("controller_push", "controller", "export.push", "controller_push_", ".controller", "exports");

        final String table;
        final String metricTarget;
        final String action;
        final String statusPrefix;
        final String knownHostsSuffix;
        final String what;

        Kind(String table, String metricTarget, String action, String statusPrefix, String knownHostsSuffix,
             String what) {
            this.table = table;
            this.metricTarget = metricTarget;
            this.action = action;
            this.statusPrefix = statusPrefix;
            this.knownHostsSuffix = knownHostsSuffix;
            this.what = what;
        }
    }

    private final Kind kind;

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final Path dir;
    private final Duration firstDelay;
    private final Counter pushed;
    private final MeterRegistry registry;
    private final ScheduledExecutorService worker;
    private final ExecutorService transfers;
    private final Duration stallTimeout;
    private final CamelContext camel;
    private final ProducerTemplate producer;

    /** A campaign's push target. */
    public record Target(String campaign, String host, int port, String user, String directory, String location,
                         String hostKeyLine) {
        public Target {
            if (!HOST.matcher(host).matches() || port < 1 || port > 65535 || !USER.matcher(user).matches()
                    || !DIR.matcher(directory).matches() || directory.contains("..")) {
                throw new IllegalArgumentException("push target: invalid host, port, user or directory");
            }
            String[] key = hostKeyLine.strip().split("\\s+");
            if (key.length < 2 || !key[0].matches("ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512)|ssh-rsa")) {
                throw new IllegalArgumentException("push target: the host key must be an OpenSSH public key line");
            }
        }
    }

    /** Opens the plaintext of a list for sending. */
    @FunctionalInterface
    public interface ListSource {
        InputStream open(String campaign, String fileName) throws IOException;
    }

    public DialerPush(Database db, AuditLog audit, MeterRegistry registry, Clock clock, Path dir,
                      Duration firstDelay) throws Exception {
        this(Kind.DIALER, db, audit, registry, clock, dir, firstDelay, Duration.ofSeconds(60));
    }

    public DialerPush(Kind kind, Database db, AuditLog audit, MeterRegistry registry, Clock clock, Path dir,
                      Duration firstDelay, Duration stallTimeout) throws Exception {
        this.kind = kind;
        this.stallTimeout = stallTimeout;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.dir = dir;
        this.firstDelay = firstDelay;
        this.registry = registry;
        this.pushed = CallgateMetrics.pushes(registry, kind.metricTarget, kind.what);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        ensureKey();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callgate-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-push");
            t.setDaemon(true);
            return t;
        });
        // Cached, not single: a transfer that ignores the interrupt must not hold up the next one.
        this.transfers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "callgate-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-transfer");
            t.setDaemon(true);
            return t;
        });
        this.camel = new DefaultCamelContext();
        camel.start();
        this.producer = camel.createProducerTemplate();
    }

    private Counter failures(String reason) {
        return CallgateMetrics.pushFailures(registry, kind.metricTarget, kind.what, reason);
    }

    // ---------------------------------------------------------------- configuration

    public void configure(Target t) {
        db.withConnection(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + kind.table + " WHERE campaign = ?")) {
                del.setString(1, t.campaign());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + kind.table + "(campaign, host, port,"
                    + " username,"
                    + " directory, location, host_key) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.campaign());
                ps.setString(2, t.host());
                ps.setInt(3, t.port());
                ps.setString(4, t.user());
                ps.setString(5, t.directory());
                ps.setString(6, t.location());
                ps.setString(7, t.hostKeyLine().strip());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void disable(String campaign) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + kind.table + " WHERE campaign = ?")) {
                ps.setString(1, campaign);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Target> target(String campaign) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT host, port, username, directory, location, host_key"
                    + " FROM " + kind.table + " WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Target(campaign, rs.getString(1), rs.getInt(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6))) : Optional.empty();
                }
            }
        });
    }

    /** For {@code campaign show}: target and last outcome; empty if the campaign does not push. */
    public Map<String, Object> status(String campaign) {
        Map<String, Object> out = new LinkedHashMap<>();
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT host, port, username, directory, location,"
                    + " last_status, last_attempt_at, last_success_at, failures FROM " + kind.table
                    + " WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(kind.statusPrefix + "target", rs.getString(3) + "@" + rs.getString(1) + ":"
                                + rs.getInt(2) + "/" + rs.getString(4));
                        out.put(kind.statusPrefix + "location", rs.getString(5));
                        out.put(kind.statusPrefix + "last_status", rs.getString(6));
                        out.put(kind.statusPrefix + "last_attempt",
                                String.valueOf(rs.getObject(7, OffsetDateTime.class)));
                        out.put(kind.statusPrefix + "last_success",
                                String.valueOf(rs.getObject(8, OffsetDateTime.class)));
                        out.put(kind.statusPrefix + "failures", rs.getLong(9));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Callgate's push public key (OpenSSH line), to authorise on the dialer's SFTP server. */
    public String publicKey() throws IOException {
        return Files.readString(dir.resolve("push_ed25519.pub")).strip();
    }

    private void ensureKey() throws IOException, JSchException {
        Path key = dir.resolve("push_ed25519");
        if (Files.exists(key)) {
            return;
        }
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
        ByteArrayOutputStream priv = new ByteArrayOutputStream();
        pair.writeOpenSSHv1PrivateKey(priv, null);
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        pair.writePublicKey(pub, "callgate-push");
        // 600 from the first byte, synced, renamed into place: never readable by others, never half-written.
        MasterKey.SecretFiles.writeAtomically(key, priv.toByteArray());
        Files.write(dir.resolve("push_ed25519.pub"), pub.toByteArray());
        pair.dispose();
    }

    // ---------------------------------------------------------------- pushing

    public Kind kind() {
        return kind;
    }

    /**
     * Queues a file for pushing if its campaign pushes; returns at once. The queue entry is durable
     * ({@code push_queue}): it stays until the file is pushed, refused for good or gone, and {@link #resume}
     * queues it again after a restart.
     */
    public void submit(String campaign, String fileName, ListSource source) {
        if (target(campaign).isPresent()) {
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("MERGE INTO push_queue q USING (VALUES (?, ?, ?, ?))"
                        + " AS v(kind, campaign, file_name, queued_at) ON q.kind = v.kind AND q.campaign = v.campaign"
                        + " AND q.file_name = v.file_name WHEN NOT MATCHED THEN INSERT VALUES (v.kind, v.campaign,"
                        + " v.file_name, v.queued_at)")) {
                    ps.setString(1, kind.name());
                    ps.setString(2, campaign);
                    ps.setString(3, fileName);
                    ps.setObject(4, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                return null;
            });
            worker.execute(() -> attempt(campaign, fileName, source, 1));
        }
    }

    /**
     * Queues again every push a stop or a kill left undone (run once at start by the owner of the files,
     * with the same source it submits with). Entries whose campaign no longer pushes, or whose file is gone
     * (shredded meanwhile), are dropped.
     *
     * @return how many pushes were queued again
     */
    public int resume(ListSource source) {
        List<String[]> pending = db.query("SELECT campaign, file_name FROM push_queue WHERE kind = ?"
                + " ORDER BY queued_at, file_name", rs -> new String[] {rs.getString(1), rs.getString(2)}, kind.name());
        int n = 0;
        for (String[] p : pending) {
            String campaign = p[0];
            String fileName = p[1];
            if (target(campaign).isEmpty() || !exists(source, campaign, fileName)) {
                done(campaign, fileName);
                continue;
            }
            worker.execute(() -> attempt(campaign, fileName, source, 1));
            n++;
        }
        if (n > 0) {
            log.info("{} unfinished push(es) of {} queued again", n, kind.what);
        }
        return n;
    }

    private static boolean exists(ListSource source, String campaign, String fileName) {
        try (InputStream in = source.open(campaign, fileName)) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The file needs no more pushing (pushed, refused for good, or gone). */
    private void done(String campaign, String fileName) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM push_queue WHERE kind = ? AND campaign = ? AND file_name = ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, campaign);
                ps.setString(3, fileName);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void attempt(String campaign, String fileName, ListSource source, int n) {
        Optional<String> parked = db.writeRefusal();
        if (parked.isPresent()) {
            // A push records its outcome in the store, which takes no writes now; the durable queue entry
            // stays and is tried again when an EEA location is reloaded (or at the next start).
            log.warn("push of {} for {} parked: {}", fileName, campaign, parked.get());
            return;
        }
        Optional<Target> t = target(campaign);
        if (t.isEmpty()) {
            done(campaign, fileName);
            return;
        }
        EeaPolicy.Decision where = EeaPolicy.check(t.get().location());
        if (!where.allowed()) {
            // Refused before any connection; retrying cannot help until the target is changed.
            done(campaign, fileName);
            failures("location").increment();
            record(campaign, "refused: " + where.reason(), false);
            audit.record(AuditEvent.denied("callgate", null, kind.action, target(t.get(), fileName),
                    where.reason()));
            return;
        }
        try {
            send(t.get(), fileName, source);
            done(campaign, fileName);
            pushed.increment();
            record(campaign, "pushed " + fileName, true);
            audit.record(AuditEvent.ok("callgate", null, kind.action, target(t.get(), fileName),
                    "attempt=" + n));
        } catch (Exception e) {
            String why = rootMessage(e);
            failures("transfer").increment();
            record(campaign, "failed (attempt " + n + "/" + MAX_ATTEMPTS + "): " + why, false);
            log.warn("pushing {} to {} failed (attempt {}): {}", fileName, t.get().host(), n, why);
            if (n < MAX_ATTEMPTS) {
                long delay = firstDelay.toMillis() << (n - 1);
                worker.schedule(() -> attempt(campaign, fileName, source, n + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                // The queue entry stays: the next start tries again (the file is still in the outbox or
                // the lists area; nothing is lost, and the failure shows in campaign show and the metrics).
                audit.record(AuditEvent.failed("callgate", null, kind.action, target(t.get(), fileName),
                        "gave up after " + n + " attempts (tried again at the next start): " + why));
            }
        }
    }

    private void send(Target t, String fileName, ListSource source) throws IOException {
        Path knownHosts = dir.resolve(t.campaign() + kind.knownHostsSuffix + ".known_hosts");
        String hostPattern = t.port() == 22 ? t.host() : "[" + t.host() + "]:" + t.port();
        String[] key = t.hostKeyLine().strip().split("\\s+");
        Files.writeString(knownHosts, hostPattern + " " + key[0] + " " + key[1] + "\n");
        String uri = "sftp://" + t.host() + ":" + t.port() + "/" + t.directory()
                + "?username=" + enc(t.user())
                + "&privateKeyFile=" + enc(dir.resolve("push_ed25519").toString())
                + "&knownHostsFile=" + enc(knownHosts.toString())
                + "&useUserKnownHostsFile=false&strictHostKeyChecking=yes"
                + "&tempFileName=" + enc(".tmp-" + fileName) + "&fileExist=Override&autoCreate=false"
                + "&connectTimeout=10000&timeout=30000&disconnect=true&throwExceptionOnConnectFailed=true"
                + "&jschLoggingLevel=OFF&serverHostKeys=ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256";
        try (Progress in = new Progress(source.open(t.campaign(), fileName))) {
            Future<Exchange> transfer = transfers.submit(() -> producer.send(uri, e -> {
                e.getIn().setBody(in);
                e.getIn().setHeader(Exchange.FILE_NAME, fileName);
            }));
            Exchange ex = await(transfer, in);
            if (ex.getException() != null) {
                throw new IOException(ex.getException().getMessage(), ex.getException());
            }
        }
    }

    /** Waits for the transfer as long as it reads the file; aborts it after {@code stallTimeout} without progress. */
    private Exchange await(Future<Exchange> transfer, Progress in) throws IOException {
        long seen = in.bytes.get();
        long since = System.nanoTime();
        while (true) {
            try {
                return transfer.get(Math.min(1000, stallTimeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException waiting) {
                long now = System.nanoTime();
                if (in.bytes.get() != seen) {
                    seen = in.bytes.get();
                    since = now;
                } else if (now - since >= stallTimeout.toNanos()) {
                    transfer.cancel(true);
                    throw new IOException("transfer stalled: no progress for " + stallTimeout.toSeconds()
                            + " s after " + seen + " bytes; aborted");
                }
            } catch (ExecutionException e) {
                throw new IOException(rootMessage(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                transfer.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("push interrupted");
            }
        }
    }

    /** Counts the bytes the transfer has taken from the file: its progress. */
    private static final class Progress extends FilterInputStream {
        final AtomicLong bytes = new AtomicLong();

        Progress(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytes.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                bytes.addAndGet(n);
            }
            return n;
        }
    }

    private void record(String campaign, String status, boolean success) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + kind.table
                    + " SET last_status = ?, last_attempt_at = ?,"
                    + (success ? " last_success_at = ?" : " failures = failures + 1, last_success_at = last_success_at")
                    + " WHERE campaign = ?")) {
                OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                ps.setString(1, status.length() > 500 ? status.substring(0, 500) : status);
                ps.setObject(2, now);
                int i = 3;
                if (success) {
                    ps.setObject(i++, now);
                }
                ps.setString(i, campaign);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String target(Target t, String fileName) {
        return "sftp://" + t.user() + "@" + t.host() + ":" + t.port() + "/" + t.directory() + "/" + fileName;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        transfers.shutdownNow();
        try {
            camel.close();
        } catch (Exception e) {
            log.warn("push shutdown: {}", e.toString());
        }
    }

}
