package fi.callgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM upload_report WHERE upload_id = ?")) {
                del.setString(1, uploadId);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_report(upload_id, accepted,"
                    + " reason_code, rows_accepted, rows_rejected, report_csv, created_at) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, uploadId);
                ps.setBoolean(2, o.accepted());
                ps.setString(3, o.reasonCode());
                ps.setLong(4, o.rowsAccepted());
                ps.setLong(5, o.rowsRejected());
                ps.setString(6, o.csv());
                ps.setObject(7, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Outcome> find(String uploadId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT accepted, reason_code, rows_accepted,"
                    + " rows_rejected, report_csv FROM upload_report WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Outcome>empty();
                    }
                    return Optional.of(new Outcome(rs.getBoolean(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5)));
                }
            }
        });
    }

    /**
     * Adds lines to a report not yet sent (a later stage's findings, e.g. rows withheld from a dialer list),
     * once: nothing happens if the report already holds {@code marker}.
     */
    public void appendOnce(String uploadId, String marker, String lines) {
        db.inTransaction(c -> {
            String csv;
            try (PreparedStatement ps = c.prepareStatement("SELECT report_csv FROM upload_report WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    csv = rs.getString(1);
                }
            }
            if (csv.contains(marker)) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_report SET report_csv = ? WHERE upload_id = ?")) {
                ps.setString(1, csv + lines);
                ps.setString(2, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The outbox file name chosen for the upload's report, once chosen. */
    public Optional<String> reportFile(String uploadId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report_file FROM upload_report WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    public void setReportFile(String uploadId, String name) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_report SET report_file = ? WHERE upload_id = ?")) {
                ps.setString(1, name);
                ps.setString(2, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
