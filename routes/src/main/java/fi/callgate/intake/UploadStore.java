package fi.callgate.intake;

import fi.callgate.domain.Area;
import fi.callgate.store.Database;
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
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The {@code upload} rows: the durable hand-off from the drop point to the pipeline. */
public final class UploadStore {
    private static final String COLUMNS = "id, campaign, area, account, original_name, spool_name, size_bytes,"
            + " sha256, spool_iv, state, received_at";
    private final Database db;

    public UploadStore(Database db) {
        this.db = db;
    }

    public void insert(Upload u) {
        OffsetDateTime at = OffsetDateTime.ofInstant(u.receivedAt(), ZoneOffset.UTC);
        db.withHandle(h -> h.createUpdate("INSERT INTO upload(" + COLUMNS + ", updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
                .bind(0, u.id()).bind(1, u.campaign()).bind(2, u.area().folderName()).bind(3, u.account())
                .bind(4, u.originalName()).bind(5, u.spoolName()).bind(6, u.sizeBytes()).bind(7, u.sha256().orElse(null))
                .bind(8, HexFormat.of().formatHex(u.spoolIv())).bind(9, u.state().name()).bind(10, at).bind(11, at)
                .execute());
    }

    public void updateState(String id, Upload.State state, String detail, Instant at) {
        db.withHandle(h -> h.createUpdate("UPDATE upload SET state = ?, detail = ?, updated_at = ? WHERE id = ?")
                .bind(0, state.name()).bind(1, detail).bind(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).bind(3, id)
                .execute());
    }

    public void setSha256(String id, String sha256) {
        db.update("UPDATE upload SET sha256 = ? WHERE id = ?", sha256, id);
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
            Optional<String> owner = db.withHandle(h -> {
                try {
                    h.execute("INSERT INTO upload_digest(campaign, area, sha256, upload_id) VALUES (?,?,?,?)",
                            u.campaign(), u.area().folderName(), sha256, u.id());
                    return Optional.of(u.id());
                } catch (UnableToExecuteStatementException e) {
                    if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException)) {
                        throw e;
                    }
                    // claimed before, by this upload (a re-run) or by another: the row says which
                }
                return h.createQuery("SELECT upload_id FROM upload_digest WHERE campaign = ? AND area = ? AND sha256 = ?")
                        .bind(0, u.campaign()).bind(1, u.area().folderName()).bind(2, sha256).mapTo(String.class)
                        .findFirst();
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
        return db.withHandle(h -> h.createQuery("SELECT 1 FROM upload WHERE id = ? AND audited_at IS NOT NULL")
                .bind(0, uploadId).mapTo(Integer.class).findFirst()).isPresent();
    }

    public void releaseContent(String uploadId) {
        db.update("DELETE FROM upload_digest WHERE upload_id = ?", uploadId);
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
        return db.withHandle(h -> {
            Query q = h.createQuery(sql);
            if (param != null) {
                q.bind(0, param);
            }
            return q.map((rs, ctx) -> read(rs)).list();
        });
    }

    private static Upload read(ResultSet rs) throws SQLException {
        return new Upload(rs.getString(1), rs.getString(2), Area.ofFolder(rs.getString(3)).orElseThrow(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                Optional.ofNullable(rs.getString(8)), HexFormat.of().parseHex(rs.getString(9)),
                Upload.State.valueOf(rs.getString(10)), rs.getObject(11, OffsetDateTime.class).toInstant());
    }
}
