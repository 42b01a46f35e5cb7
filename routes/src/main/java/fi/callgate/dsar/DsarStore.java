package fi.callgate.dsar;

import fi.callgate.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM dsar_request WHERE id = ?")) {
                ps.setString(1, r.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dsar_request(id, opened_at, due_at, opened_by,"
                    + " criteria_kind, criteria_hash, records_found, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')")) {
                ps.setString(1, r.id());
                ps.setObject(2, utc(r.openedAt()));
                ps.setObject(3, utc(r.dueAt()));
                ps.setString(4, r.openedBy());
                ps.setString(5, r.criteriaKind());
                ps.setBytes(6, r.criteriaHash());
                ps.setInt(7, r.recordsFound());
                ps.executeUpdate();
            }
            addFound(c, r.id(), found);
            return true;
        });
    }

    /** Adds records (found again at erase time) to a request; ids already there are skipped. */
    void addFound(String requestId, List<Found> found) {
        db.inTransaction(c -> {
            addFound(c, requestId, found);
            return null;
        });
    }

    private static void addFound(Connection c, String requestId, List<Found> found) throws SQLException {
        if (found.isEmpty()) {
            return; // HSQLDB refuses an empty batch
        }
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO dsar_record t USING (VALUES (?, ?, ?, ?))"
                + " AS v(request_id, record_id, campaign, upload_id) ON t.request_id = v.request_id"
                + " AND t.record_id = v.record_id WHEN NOT MATCHED THEN INSERT VALUES"
                + " (v.request_id, v.record_id, v.campaign, v.upload_id)")) {
            for (Found f : found) {
                ps.setString(1, requestId);
                ps.setString(2, f.recordId());
                ps.setString(3, f.campaign());
                ps.setString(4, f.uploadId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
        return db.withConnection(c -> {
            List<Found> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT record_id, campaign, upload_id FROM dsar_record"
                    + " WHERE request_id = ? ORDER BY campaign, upload_id, record_id")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Found(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /** open → erasing, with the notices (receipt names fixed) in one transaction; false if not open. */
    boolean beginErase(String id, String by, boolean block, List<Notice> notices) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dsar_request SET status = 'erasing', erased_by = ?,"
                    + " blocked = ? WHERE id = ? AND status = 'open'")) {
                ps.setString(1, by);
                ps.setBoolean(2, block);
                ps.setString(3, id);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            if (notices.isEmpty()) {
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dsar_notice(request_id, campaign, erased_count,"
                    + " uploads, receipt_file, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Notice n : notices) {
                    ps.setString(1, n.requestId());
                    ps.setString(2, n.campaign());
                    ps.setInt(3, n.erasedCount());
                    ps.setString(4, n.uploads());
                    ps.setString(5, n.receiptFile());
                    ps.setObject(6, utc(n.createdAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
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
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM shred_run WHERE receipt_file = ?"
                    + " UNION ALL SELECT 1 FROM dsar_notice WHERE receipt_file = ?")) {
                ps.setString(1, name);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    long countOpen() {
        return count("SELECT COUNT(*) FROM dsar_request WHERE status IN ('open', 'erasing')", null);
    }

    long countOverdue(Instant now) {
        return count("SELECT COUNT(*) FROM dsar_request WHERE status IN ('open', 'erasing') AND due_at < ?", utc(now));
    }

    private List<Notice> notices(String where, String param) {
        return db.withConnection(c -> {
            List<Notice> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, campaign, erased_count, uploads,"
                    + " receipt_file, receipt_sha256, created_at, notified_at FROM dsar_notice" + where
                    + " ORDER BY created_at, request_id, campaign")) {
                ps.setString(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Notice(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), Optional.ofNullable(rs.getString(6)), instant(rs, 7),
                                Optional.ofNullable(instant(rs, 8))));
                    }
                }
            }
            return out;
        });
    }

    private List<Request> requests(String where, String param) {
        return db.withConnection(c -> {
            List<Request> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, opened_at, due_at, opened_by, criteria_kind,"
                    + " criteria_hash, records_found, status, erased_count, blocked, closed_at FROM dsar_request"
                    + where + " ORDER BY due_at, id")) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int erased = rs.getInt(9);
                        Optional<Integer> e = rs.wasNull() ? Optional.empty() : Optional.of(erased);
                        out.add(new Request(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4),
                                rs.getString(5), rs.getBytes(6), rs.getInt(7), rs.getString(8), e,
                                rs.getBoolean(10), Optional.ofNullable(instant(rs, 11))));
                    }
                }
            }
            return out;
        });
    }

    private long count(String sql, Object param) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (param != null) {
                    ps.setObject(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
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
