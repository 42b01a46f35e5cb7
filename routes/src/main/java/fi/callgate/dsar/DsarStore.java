package fi.callgate.dsar;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** The {@code dsar_request}, {@code dsar_record} and {@code dsar_notice} rows (V6). No plaintext personal data. */
public final class DsarStore {
    private final Database db;

    public DsarStore(Database db) {
        this.db = db;
    }

    /** One request as stored. */
    public record Request(String id, Instant openedAt, Instant dueAt, String openedBy, String criteriaKind,
                          byte[] criteriaHash, int recordsFound, String status, Optional<Integer> erasedCount,
                          boolean blocked, Optional<Instant> closedAt) {
        public boolean isOpen() {
            return status.equals("open") || status.equals("erasing");
        }
    }

    /** A record a request found, by its opaque id. */
    public record Found(String recordId, String campaign, String uploadId) {
    }

    /** A campaign an erase touched. */
    public record Notice(String requestId, String campaign, int erasedCount, String uploads, String receiptFile,
                         Optional<String> receiptSha256, Instant createdAt, Optional<Instant> notifiedAt) {
    }

    /** Inserts the request with what it found; false if the id is taken (the caller draws another). */
    boolean insert(Request r, List<Found> found) {
        return db.transaction(h -> {
            if (h.createQuery("SELECT 1 FROM dsar_request WHERE id = ?").bind(0, r.id()).mapTo(Integer.class)
                    .findFirst().isPresent()) {
                return false;
            }
            h.createUpdate("INSERT INTO dsar_request(id, opened_at, due_at, opened_by, criteria_kind, criteria_hash,"
                            + " records_found, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')")
                    .bind(0, r.id()).bind(1, utc(r.openedAt())).bind(2, utc(r.dueAt())).bind(3, r.openedBy())
                    .bind(4, r.criteriaKind()).bind(5, r.criteriaHash()).bind(6, r.recordsFound()).execute();
            addFound(h, r.id(), found);
            return true;
        });
    }

    /** Adds records (found again at erase time) to a request; ids already there are skipped. */
    void addFound(String requestId, List<Found> found) {
        db.transaction(h -> {
            addFound(h, requestId, found);
            return null;
        });
    }

    private static void addFound(Handle h, String requestId, List<Found> found) {
        if (found.isEmpty()) {
            return; // HSQLDB refuses an empty batch
        }
        PreparedBatch batch = h.prepareBatch("MERGE INTO dsar_record t USING (VALUES (?, ?, ?, ?))"
                + " AS v(request_id, record_id, campaign, upload_id) ON t.request_id = v.request_id"
                + " AND t.record_id = v.record_id WHEN NOT MATCHED THEN INSERT VALUES"
                + " (v.request_id, v.record_id, v.campaign, v.upload_id)");
        for (Found f : found) {
            batch.add(requestId, f.recordId(), f.campaign(), f.uploadId());
        }
        batch.execute();
    }

    public Optional<Request> find(String id) {
        List<Request> l = requests(" WHERE id = ?", id);
        return l.stream().findFirst();
    }

    /** Open (and half-erased) requests, earliest due first. */
    public List<Request> open() {
        return requests(" WHERE status IN ('open', 'erasing')", null);
    }

    public List<Found> found(String requestId) {
        return db.withHandle(h -> h.createQuery("SELECT record_id, campaign, upload_id FROM dsar_record"
                        + " WHERE request_id = ? ORDER BY campaign, upload_id, record_id").bind(0, requestId)
                .map((rs, ctx) -> new Found(rs.getString(1), rs.getString(2), rs.getString(3))).list());
    }

    /** open → erasing, with the notices (receipt names fixed) in one transaction; false if not open. */
    boolean beginErase(String id, String by, boolean block, List<Notice> notices) {
        return db.transaction(h -> {
            if (h.createUpdate("UPDATE dsar_request SET status = 'erasing', erased_by = ?, blocked = ?"
                    + " WHERE id = ? AND status = 'open'").bind(0, by).bind(1, block).bind(2, id).execute() != 1) {
                return false;
            }
            if (notices.isEmpty()) {
                return true;
            }
            PreparedBatch batch = h.prepareBatch("INSERT INTO dsar_notice(request_id, campaign, erased_count,"
                    + " uploads, receipt_file, created_at) VALUES (?, ?, ?, ?, ?, ?)");
            for (Notice n : notices) {
                batch.add(n.requestId(), n.campaign(), n.erasedCount(), n.uploads(), n.receiptFile(),
                        utc(n.createdAt()));
            }
            batch.execute();
            return true;
        });
    }

    void setReceiptSha256(String id, String campaign, String sha) {
        update("UPDATE dsar_notice SET receipt_sha256 = ? WHERE request_id = ? AND campaign = ?", sha, id, campaign);
    }

    /** erasing → erased; true only the first time. */
    boolean finishErase(String id, int erased, Instant at) {
        return update("UPDATE dsar_request SET status = 'erased', erased_count = ?, closed_at = ? WHERE id = ?"
                + " AND status = 'erasing'", erased, utc(at), id) == 1;
    }

    /** open → closed (answered, nothing to erase); true only from open. */
    boolean close(String id, Instant at) {
        return update("UPDATE dsar_request SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
                utc(at), id) == 1;
    }

    public List<Notice> notices(String requestId) {
        return notices(" WHERE request_id = ?", requestId);
    }

    /**
     * For the export work: the erasures a campaign's controller has not been told of yet. After the export
     * that tells them is out, call {@link #markNotified}.
     */
    public List<Notice> pendingNotices(String campaign) {
        return notices(" WHERE campaign = ? AND notified_at IS NULL", campaign);
    }

    public void markNotified(String requestId, String campaign, Instant at) {
        update("UPDATE dsar_notice SET notified_at = ? WHERE request_id = ? AND campaign = ? AND notified_at IS NULL",
                utc(at), requestId, campaign);
    }

    /** Is a deletion-receipt file name taken by a shred run or an erasure? */
    boolean receiptNameTaken(String name) {
        return db.withHandle(h -> h.createQuery("SELECT 1 FROM shred_run WHERE receipt_file = ?"
                        + " UNION ALL SELECT 1 FROM dsar_notice WHERE receipt_file = ?")
                .bind(0, name).bind(1, name).mapTo(Integer.class).findFirst()).isPresent();
    }

    long countOpen() {
        return count("SELECT COUNT(*) FROM dsar_request WHERE status IN ('open', 'erasing')", null);
    }

    long countOverdue(Instant now) {
        return count("SELECT COUNT(*) FROM dsar_request WHERE status IN ('open', 'erasing') AND due_at < ?", utc(now));
    }

    private List<Notice> notices(String where, String param) {
        return db.withHandle(h -> h.createQuery("SELECT request_id, campaign, erased_count, uploads, receipt_file,"
                        + " receipt_sha256, created_at, notified_at FROM dsar_notice" + where
                        + " ORDER BY created_at, request_id, campaign").bind(0, param)
                .map((rs, ctx) -> new Notice(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), Optional.ofNullable(rs.getString(6)), instant(rs, 7),
                        Optional.ofNullable(instant(rs, 8)))).list());
    }

    private List<Request> requests(String where, String param) {
        return db.withHandle(h -> {
            Query q = h.createQuery("SELECT id, opened_at, due_at, opened_by, criteria_kind, criteria_hash,"
                    + " records_found, status, erased_count, blocked, closed_at FROM dsar_request" + where
                    + " ORDER BY due_at, id");
            if (param != null) {
                q.bind(0, param);
            }
            return q.map((rs, ctx) -> {
                int erased = rs.getInt(9);
                Optional<Integer> e = rs.wasNull() ? Optional.empty() : Optional.of(erased);
                return new Request(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getInt(7), rs.getString(8), e,
                        rs.getBoolean(10), Optional.ofNullable(instant(rs, 11)));
            }).list();
        });
    }

    private long count(String sql, Object param) {
        return db.withHandle(h -> {
            Query q = h.createQuery(sql);
            if (param != null) {
                q.bind(0, param);
            }
            return q.mapTo(Long.class).one();
        });
    }

    private int update(String sql, Object... params) {
        return db.update(sql, params);
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
