package fi.callgate.audit;

import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, tamper-evident audit log. Each entry's hash is an HMAC (key derived from the master
 * key) over its own fields and the previous entry's hash, so editing, inserting or deleting a row breaks
 * the chain at that point, and nobody without the master key can re-seal it. Appends are serialised so
 * that the chain stays a line; each append commits before it returns.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger("callgate.audit");
    private static final String GENESIS = "0".repeat(64);
    private static final String INSERT = "INSERT INTO audit_log(seq, logged_at, actor, source, action, target, outcome,"
            + " detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)";
    private static final String SELECT = "SELECT seq, logged_at, actor, source, action, target, outcome, detail,"
            + " prev_hash, hash FROM audit_log";

    private final Database db;
    private final Clock clock;
    private final SecretKeySpec chainKey;
    private long lastSeq;
    private String lastHash;

    public AuditLog(Database db, MasterKey masterKey, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.chainKey = new SecretKeySpec(masterKey.derive("audit-chain"), "HmacSHA256");
        Optional<Long> seq = db.withHandle(h -> h.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> {
                    lastHash = rs.getString(2);
                    return rs.getLong(1);
                }).findFirst());
        lastSeq = seq.orElse(0L);
        if (seq.isEmpty()) {
            lastHash = GENESIS;
        }
    }

    /**
     * Appends and commits; the entry is durable when this returns. While the storage location is refused
     * nothing may be written under data-dir, the audit table included: the entry then goes to the process log
     * only (logger {@code callgate.audit}, marked "not stored"), outside the chain, and is returned with
     * sequence number 0.
     */
    public AuditEvent.Entry record(AuditEvent raw) {
        return record(raw, h -> null);
    }

    /**
     * Appends the entry and runs {@code alongside} (typically: set the {@code audited_at} column of the row
     * the entry is about) in ONE transaction, so the entry and the mark are committed together or not at
     * all. That is what lets a resumed stage decide "already audited?" from its own row instead of
     * searching this log: a kill can never leave an entry without its mark, nor a mark without its entry.
     * {@code alongside} gets the transaction's own Jdbi handle ({@code getConnection()} for plain JDBC).
     * While the storage location is refused nothing is stored, {@code alongside} included.
     */
    public synchronized AuditEvent.Entry record(AuditEvent raw, HandleCallback<?, SQLException> alongside) {
        AuditEvent event = sanitise(raw);
        Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Optional<String> refused = db.writeRefusal();
        if (refused.isPresent()) {
            log.warn("audit (not stored: {}) {} {} {} {} {} {}", refused.get(), at, event.actor(), event.action(),
                    event.outcome(), event.target() == null ? "" : event.target(),
                    event.detail() == null ? "" : event.detail());
            return new AuditEvent.Entry(0, at, event, lastHash, lastHash);
        }
        long seq = lastSeq + 1;
        String hash = hash(seq, at, event, lastHash);
        String prev = lastHash;
        db.transaction(h -> {
            h.createUpdate(INSERT).bind(0, seq).bind(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .bind(2, event.actor()).bind(3, event.source()).bind(4, event.action()).bind(5, event.target())
                    .bind(6, event.outcome().name()).bind(7, event.detail()).bind(8, prev).bind(9, hash)
                    .execute();
            alongside.withHandle(h);
            return null;
        });
        lastSeq = seq;
        lastHash = hash;
        log.info("audit #{} {} {} {} {} {}", seq, event.actor(), event.action(), event.outcome(),
                event.target() == null ? "" : event.target(), event.detail() == null ? "" : event.detail());
        return new AuditEvent.Entry(seq, at, event, prev, hash);
    }

    public void record(String actor, String source, String action, String target, AuditEvent.Outcome outcome,
                       String detail) {
        record(new AuditEvent(actor, source, action, target, outcome, detail));
    }

    /** The last {@code n} entries, oldest first. */
    public List<AuditEvent.Entry> tail(int n) {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE seq > ? ORDER BY seq")
                .bind(0, Math.max(0, currentSeq() - n)).map(this::read).list());
    }

    /** Entries whose action starts with a prefix, newest last; for tests and investigations. */
    public List<AuditEvent.Entry> find(String actionPrefix, String target) {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE action LIKE ? AND (? IS NULL OR target = ?) ORDER BY seq")
                .bind(0, actionPrefix + "%").bind(1, target).bind(2, target).map(this::read).list());
    }

    private synchronized long currentSeq() {
        return lastSeq;
    }

    /**
     * Walks the whole chain from the first entry. Streams the rows, so it runs in constant memory
     * however long the log is.
     */
    public Verification verify() {
        return db.withHandle(h -> verify(h));
    }

    private Verification verify(Handle h) {
        String prev = GENESIS;
        long expected = 1;
        try (ResultIterator<AuditEvent.Entry> entries = h.createQuery(SELECT + " ORDER BY seq").setFetchSize(1000)
                .map(this::read).iterator()) {
            while (entries.hasNext()) {
                AuditEvent.Entry e = entries.next();
                if (e.seq() != expected) {
                    return Verification.broken(expected, "entry " + expected + " is missing");
                }
                if (!e.prevHash().equals(prev)) {
                    return Verification.broken(e.seq(), "entry " + e.seq()
                            + " does not follow from the entry before it");
                }
                if (!hash(e.seq(), e.at(), e.event(), e.prevHash()).equals(e.hash())) {
                    return Verification.broken(e.seq(), "entry " + e.seq() + " was altered");
                }
                prev = e.hash();
                expected++;
            }
        }
        return Verification.intact(expected - 1);
    }

    /** The outcome of {@link #verify()}: how many entries were checked, and where the chain broke. */
    public record Verification(boolean ok, long entries, Optional<Long> brokenAt, String message) {
        static Verification intact(long entries) {
            return new Verification(true, entries, Optional.empty(), entries + " entries, chain intact");
        }

        static Verification broken(long seq, String message) {
            return new Verification(false, seq - 1, Optional.of(seq), message);
        }
    }

    private AuditEvent.Entry read(ResultSet rs, StatementContext context) throws SQLException {
        OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
        AuditEvent event = new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                AuditEvent.Outcome.valueOf(rs.getString(7)), rs.getString(8));
        return new AuditEvent.Entry(rs.getLong(1), at.toInstant(), event, rs.getString(9), rs.getString(10));
    }

    private String hash(long seq, Instant at, AuditEvent e, String prev) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(chainKey);
            mac.update(ByteBuffer.allocate(8).putLong(seq).array());
            field(mac, prev);
            field(mac, at.toString());
            field(mac, e.actor());
            field(mac, e.source());
            field(mac, e.action());
            field(mac, e.target());
            field(mac, e.outcome().name());
            field(mac, e.detail());
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    /** Length-prefixed so that moving characters between fields changes the hash. */
    private static void field(Mac mac, String value) {
        if (value == null) {
            mac.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }

    private static AuditEvent sanitise(AuditEvent e) {
        return new AuditEvent(SafeText.of(orEmpty(e.actor()), 64), SafeText.of(e.source(), 64),
                SafeText.of(e.action(), 64), SafeText.of(e.target(), 1000), e.outcome(),
                SafeText.of(e.detail(), 3900));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

}
