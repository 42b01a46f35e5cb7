package fi.callgate.store;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The decided outcome of each upload ({@code upload_report}); see the migration for why it is plaintext. */
public final class UploadReportStore {
    private final Database db;
    private final Clock clock;

    public UploadReportStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A stored outcome. */
    public record Outcome(boolean accepted, String reasonCode, long rowsAccepted, long rowsRejected, String csv) {
    }

    /** Replaces any earlier outcome of the same upload (a stage re-run after a crash decides again). */
    public void save(String uploadId, Outcome o) {
        db.transaction(h -> {
            h.execute("DELETE FROM upload_report WHERE upload_id = ?", uploadId);
            return h.createUpdate("INSERT INTO upload_report(upload_id, accepted, reason_code, rows_accepted,"
                            + " rows_rejected, report_csv, created_at) VALUES (?,?,?,?,?,?,?)")
                    .bind(0, uploadId).bind(1, o.accepted()).bind(2, o.reasonCode()).bind(3, o.rowsAccepted())
                    .bind(4, o.rowsRejected()).bind(5, o.csv())
                    .bind(6, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).execute();
        });
    }

    public Optional<Outcome> find(String uploadId) {
        return db.withHandle(h -> h.createQuery("SELECT accepted, reason_code, rows_accepted, rows_rejected, report_csv"
                        + " FROM upload_report WHERE upload_id = ?").bind(0, uploadId)
                .map((rs, ctx) -> new Outcome(rs.getBoolean(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5))).findFirst());
    }

    /**
     * Adds lines to a report not yet sent (a later stage's findings, e.g. rows withheld from a dialer list),
     * once: nothing happens if the report already holds {@code marker}.
     */
    public void appendOnce(String uploadId, String marker, String lines) {
        db.transaction(h -> {
            Optional<String> csv = h.createQuery("SELECT report_csv FROM upload_report WHERE upload_id = ?")
                    .bind(0, uploadId).mapTo(String.class).findFirst();
            if (csv.isEmpty() || csv.get().contains(marker)) {
                return null;
            }
            return h.execute("UPDATE upload_report SET report_csv = ? WHERE upload_id = ?", csv.get() + lines, uploadId);
        });
    }

    /** The outbox file name chosen for the upload's report, once chosen. */
    public Optional<String> reportFile(String uploadId) {
        return db.withHandle(h -> h.createQuery("SELECT report_file FROM upload_report WHERE upload_id = ?")
                .bind(0, uploadId).mapTo(String.class).findFirst());
    }

    public void setReportFile(String uploadId, String name) {
        db.update("UPDATE upload_report SET report_file = ? WHERE upload_id = ?", name, uploadId);
    }
}
