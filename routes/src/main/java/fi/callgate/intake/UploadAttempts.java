package fi.callgate.intake;

import fi.callgate.store.Database;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/**
 * How many pipeline passes each upload has had, and why the last one failed: the durable half of the retry
 * cap. A pass is counted before it starts, in its own statement, so a restart does not reset the count and a
 * pass cut short by a kill (or a crash the upload itself caused) is counted all the same.
 */
public final class UploadAttempts {
    private final Database db;

    public UploadAttempts(Database db) {
        this.db = db;
    }

    /** Counts a new pass of an unfinished upload; returns the passes so far, or empty if it is final (or unknown). */
    public Optional<Integer> begin(String uploadId) {
        int updated = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload SET attempts = attempts + 1"
                    + " WHERE id = ? AND state NOT IN ('ACCEPTED', 'REJECTED')")) {
                ps.setString(1, uploadId);
                return ps.executeUpdate();
            }
        });
        return updated == 0 ? Optional.empty() : Optional.of(count(uploadId));
    }

    /** Gives back a pass that did not run through no fault of the upload (its storage location was refused). */
    public void refund(String uploadId) {
        update("UPDATE upload SET attempts = attempts - 1 WHERE id = ? AND attempts > 0", uploadId, null);
    }

    /** Records the cause of a failed pass: exception class and message, shortened, on one line. */
    public void failed(String uploadId, String cause) {
        update("UPDATE upload SET last_failure = ? WHERE id = ?", uploadId, cause);
    }

    public int count(String uploadId) {
        List<Integer> n = db.query("SELECT attempts FROM upload WHERE id = ?", rs -> rs.getInt(1), uploadId);
        return n.isEmpty() ? 0 : n.get(0);
    }

    public Optional<String> lastFailure(String uploadId) {
        List<String> s = db.query("SELECT last_failure FROM upload WHERE id = ?", rs -> rs.getString(1), uploadId);
        return s.isEmpty() ? Optional.empty() : Optional.ofNullable(s.get(0));
    }

    private void update(String sql, String uploadId, String text) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (text != null) {
                    ps.setString(i++, text);
                }
                ps.setString(i, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
