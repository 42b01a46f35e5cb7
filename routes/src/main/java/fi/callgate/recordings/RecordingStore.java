package fi.callgate.recordings;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/** SQL for {@code recording_agreement} and {@code recording}. */
public final class RecordingStore {
    private static final String COLUMNS = "upload_id, campaign, record_id, file_name, audio_format, size_bytes, state,"
            + " delivered_at, downloaded_at";
    private final Database db;
    private final Clock clock;

    public RecordingStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A recording in (or once in) the outbox. */
    public record Delivered(String uploadId, String campaign, String recordId, String fileName, String format,
                            long sizeBytes, String state, Instant deliveredAt, Optional<Instant> downloadedAt) {
    }

    public void setAgreement(String campaign, String agreement, String by) {
        update("MERGE INTO recording_agreement a USING (VALUES(?, ?, ?, ?)) AS v(campaign, agreement, set_at, set_by)"
                + " ON a.campaign = v.campaign WHEN MATCHED THEN UPDATE SET agreement = v.agreement, set_at = v.set_at,"
                + " set_by = v.set_by WHEN NOT MATCHED THEN INSERT VALUES v.campaign, v.agreement, v.set_at, v.set_by",
                campaign, agreement, now(), by);
    }

    public boolean removeAgreement(String campaign) {
        return update("DELETE FROM recording_agreement WHERE campaign = ?", campaign) > 0;
    }

    public Optional<Delivered> ofUpload(String uploadId) {
        return select("WHERE upload_id = ?", uploadId).stream().findFirst();
    }

    public boolean fileNameTaken(String campaign, String fileName) {
        return db.withHandle(h -> h.createQuery("SELECT 1 FROM recording WHERE campaign = ? AND file_name = ?")
                .bind(0, campaign).bind(1, fileName).mapTo(Integer.class).findFirst()).isPresent();
    }

    /** Recorded before the file is published, so a re-run after a crash writes the same name again. */
    public void insert(String uploadId, String campaign, String recordId, String fileName, AudioFormat format,
                       long size) {
        update("INSERT INTO recording(upload_id, campaign, record_id, file_name, audio_format, size_bytes, state,"
                + " delivered_at) VALUES (?,?,?,?,?,?,'DELIVERED',?)", uploadId, campaign, recordId, fileName,
                format.name().toLowerCase(java.util.Locale.ROOT), size, now());
    }

    public boolean downloaded(String campaign, String fileName, Instant at) {
        return update("UPDATE recording SET state = 'DOWNLOADED', downloaded_at = ? WHERE campaign = ? AND file_name = ?"
                + " AND state = 'DELIVERED'", at.atOffset(ZoneOffset.UTC), campaign, fileName) > 0;
    }

    public void removed(String uploadId, String reason, Instant at) {
        update("UPDATE recording SET state = 'REMOVED', removed_at = ?, removed_reason = ? WHERE upload_id = ?"
                + " AND state <> 'REMOVED'", at.atOffset(ZoneOffset.UTC), reason, uploadId);
    }

    /** Every recording still in an outbox. */
    public List<Delivered> held() {
        return select("WHERE state <> 'REMOVED' ORDER BY delivered_at", null);
    }

    /** The recordings of these records still in an outbox (for data-subject requests). */
    public List<Delivered> heldFor(Collection<String> recordIds) {
        return held().stream().filter(d -> recordIds.contains(d.recordId())).toList();
    }

    public long awaitingDownload() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM recording WHERE state = 'DELIVERED'")
                .mapTo(Long.class).one());
    }

    public Optional<Instant> oldestAwaitingDownload() {
        return db.withHandle(h -> h.createQuery("SELECT MIN(delivered_at) FROM recording WHERE state = 'DELIVERED'")
                .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class)).findFirst()).map(OffsetDateTime::toInstant);
    }

    private List<Delivered> select(String where, String param) {
        return db.withHandle(h -> {
            Query q = h.createQuery("SELECT " + COLUMNS + " FROM recording " + where);
            if (param != null) {
                q.bind(0, param);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    private static Delivered row(ResultSet rs) throws SQLException {
        OffsetDateTime dl = rs.getObject(9, OffsetDateTime.class);
        return new Delivered(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                Optional.ofNullable(dl).map(OffsetDateTime::toInstant));
    }

    private int update(String sql, Object... params) {
        return db.update(sql, params);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
