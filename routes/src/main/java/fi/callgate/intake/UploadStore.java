package fi.callgate.intake;

import fi.callgate.domain.Area;
import fi.callgate.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.HandleCallback;

/** The {@code upload} rows: the durable hand-off from the drop point to the pipeline. */
public final class UploadStore {
    private static final String COLUMNS = "id, campaign, area, account, original_name, spool_name, size_bytes,"
            + " sha256, spool_iv, state, received_at";
    private final Database db;

    public UploadStore(Database db) {
        this.db = db;
    }

    public void insert(Upload u) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload(" + COLUMNS
                    + ", updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, u.id());
                ps.setString(2, u.campaign());
                ps.setString(3, u.area().folderName());
                ps.setString(4, u.account());
                ps.setString(5, u.originalName());
                ps.setString(6, u.spoolName());
                ps.setLong(7, u.sizeBytes());
                ps.setString(8, u.sha256().orElse(null));
                ps.setString(9, HexFormat.of().formatHex(u.spoolIv()));
                ps.setString(10, u.state().name());
                OffsetDateTime at = OffsetDateTime.ofInstant(u.receivedAt(), ZoneOffset.UTC);
                ps.setObject(11, at);
                ps.setObject(12, at);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void updateState(String id, Upload.State state, String detail, Instant at) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE upload SET state = ?, detail = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, detail);
                ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void setSha256(String id, String sha256) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload SET sha256 = ? WHERE id = ?")) {
                ps.setString(1, sha256);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Claims the upload's content for its campaign and area, unless an earlier upload already holds it:
     * returns that earlier upload (this one repeats it), or empty (this one is the original and is
     * processed). Idempotent, and atomic through the primary key, so a re-run after a kill gets the same
     * answer and of two concurrent copies exactly one wins.
     */
    public Optional<Upload> claimContent(Upload u, String sha256) {
        // Twice at most: the owner seen by a failed insert may give its claim up before the look-up.
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> owner = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO upload_digest(campaign, area, sha256, upload_id) VALUES (?,?,?,?)")) {
                    ps.setString(1, u.campaign());
                    ps.setString(2, u.area().folderName());
                    ps.setString(3, sha256);
                    ps.setString(4, u.id());
                    ps.executeUpdate();
                    return Optional.of(u.id());
                } catch (SQLIntegrityConstraintViolationException taken) {
                    // claimed before, by this upload (a re-run) or by another: the row says which
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT upload_id FROM upload_digest WHERE campaign = ? AND area = ? AND sha256 = ?")) {
                    ps.setString(1, u.campaign());
                    ps.setString(2, u.area().folderName());
                    ps.setString(3, sha256);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
            if (owner.isPresent()) {
                return owner.get().equals(u.id()) ? Optional.empty() : find(owner.get());
            }
        }
        throw new IllegalStateException("upload " + u.id() + ": content claim kept changing hands");
    }

    /** A rejected original gives its content up: the same bytes may be sent again and are then processed. */
    /**
     * Marks the upload's final audit entry ({@code upload.processed} / {@code results.processed}) as written:
     * run it with {@link fi.callgate.audit.AuditLog#record(fi.callgate.audit.AuditEvent, HandleCallback)} so
     * the mark commits in the same transaction (on the same handle) as the entry.
     */
    public HandleCallback<Integer, SQLException> markAudited(String uploadId, Instant at) {
        return h -> h.createUpdate("UPDATE upload SET audited_at = ? WHERE id = ?")
                .bind(0, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).bind(1, uploadId).execute();
    }

    /** Has the upload's final audit entry been written (by an earlier run, before a kill)? A primary-key read. */
    public boolean audited(String uploadId) {
        return !db.query("SELECT 1 FROM upload WHERE id = ? AND audited_at IS NOT NULL", rs -> 1, uploadId).isEmpty();
    }

    public void releaseContent(String uploadId) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM upload_digest WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Upload> find(String id) {
        List<Upload> found = query("SELECT " + COLUMNS + " FROM upload WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every upload not yet in a final state, oldest first: what a restart must pick up again. */
    public List<Upload> unfinished() {
        return query("SELECT " + COLUMNS + " FROM upload WHERE state NOT IN ('ACCEPTED', 'REJECTED')"
                + " ORDER BY received_at, id", null);
    }

    private List<Upload> query(String sql, String param) {
        return param == null ? db.query(sql, UploadStore::read) : db.query(sql, UploadStore::read, param);
    }

    private static Upload read(ResultSet rs) throws SQLException {
        return new Upload(rs.getString(1), rs.getString(2), Area.ofFolder(rs.getString(3)).orElseThrow(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                Optional.ofNullable(rs.getString(8)), HexFormat.of().parseHex(rs.getString(9)),
                Upload.State.valueOf(rs.getString(10)), rs.getObject(11, OffsetDateTime.class).toInstant());
    }
}
