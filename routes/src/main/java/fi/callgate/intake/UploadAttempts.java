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

    /** What {@link #begin} found: a new pass counted, the cap reached, or nothing to do (final or unknown). */
    public record Begin(boolean proceed, boolean exhausted, int attempts) {
    }

    /**
     * Counts a new pass of an unfinished upload that has had fewer than {@code max}; otherwise says why not.
     * The count is committed before the pass does anything.
     */
    public Begin begin(String uploadId, int max) {
        int updated = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload SET attempts = attempts + 1"
                    + " WHERE id = ? AND attempts < ? AND state NOT IN ('ACCEPTED', 'REJECTED')")) {
                ps.setString(1, uploadId);
                ps.setInt(2, max);
                return ps.executeUpdate();
            }
        });
        if (updated == 1) {
            return new Begin(true, false, count(uploadId));
        }
        List<String> state = db.query("SELECT state FROM upload WHERE id = ?", rs -> rs.getString(1), uploadId);
        boolean open = !state.isEmpty() && !state.get(0).equals("ACCEPTED") && !state.get(0).equals("REJECTED");
        return new Begin(false, open, count(uploadId));
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
