package fi.callgate.intake;

import fi.callgate.store.Database;
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
        int updated = db.update("UPDATE upload SET attempts = attempts + 1"
                + " WHERE id = ? AND attempts < ? AND state NOT IN ('ACCEPTED', 'REJECTED')", uploadId, max);
        if (updated == 1) {
            return new Begin(true, false, count(uploadId));
        }
        Optional<String> state = column("state", uploadId, String.class);
        boolean open = state.isPresent() && !state.get().equals("ACCEPTED") && !state.get().equals("REJECTED");
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
        return column("attempts", uploadId, Integer.class).orElse(0);
    }

    public Optional<String> lastFailure(String uploadId) {
        return column("last_failure", uploadId, String.class);
    }

    /** One column of the upload's row; empty if there is no such upload (or the column is NULL). */
    private <T> Optional<T> column(String name, String uploadId, Class<T> type) {
        return db.withHandle(h -> h.createQuery("SELECT " + name + " FROM upload WHERE id = ?").bind(0, uploadId)
                .mapTo(type).findFirst());
    }

    private void update(String sql, String uploadId, String text) {
        if (text != null) {
            db.update(sql, text, uploadId);
        } else {
            db.update(sql, uploadId);
        }
    }
}
