package fi.callgate.results;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code call_result} and {@code export_batch} rows (V7). The two steps that must be all-or-nothing are
 * single transactions here: storing a results file's rows together with its report and its upload state,
 * and opening an export batch together with taking its results.
 */
public final class ResultStore {
    private final Database db;

    public ResultStore(Database db) {
        this.db = db;
    }

    /** One result ready to store: its sealed details (null when nothing is exported). */
    record NewResult(long row, String recordId, String listUploadId, Outcome outcome, byte[] payload) {
    }

    /** What the results report says, stored with the rows (counts, row numbers, reasons: nothing personal). */
    record Report(boolean accepted, String reasonCode, long rowsAccepted, long rowsRejected, String csv) {
    }

    /**
     * Stores every accepted row, the report and the upload's new state STORED in one transaction: after a
     * crash either all of it is there (the next step resumes) or none (the file is processed again).
     */
    void store(String uploadId, String campaign, List<NewResult> rows, Report report, Instant now) {
        OffsetDateTime at = utc(now);
        db.transaction(h -> {
            String insert = "INSERT INTO call_result(upload_id, campaign, row_number, record_id, list_upload_id,"
                    + " outcome, final_outcome, export_kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            for (NewResult r : rows) {
                // One statement a row: HSQLDB refuses JDBC batches mixing NULL and binary payloads.
                h.createUpdate(insert).bind(0, uploadId).bind(1, campaign).bind(2, r.row()).bind(3, r.recordId())
                        .bind(4, r.listUploadId()).bind(5, r.outcome().code()).bind(6, r.outcome().isFinal())
                        .bind(7, r.outcome().exportKind().map(Outcome.ExportKind::code).orElse(null))
                        .bind(8, r.payload()).bind(9, at).execute();
            }
            h.createUpdate("INSERT INTO upload_report(upload_id, accepted, reason_code, rows_accepted, rows_rejected,"
                            + " report_csv, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, uploadId).bind(1, report.accepted()).bind(2, report.reasonCode())
                    .bind(3, report.rowsAccepted()).bind(4, report.rowsRejected()).bind(5, report.csv()).bind(6, at)
                    .execute();
            if (h.createUpdate("UPDATE upload SET state = 'STORED', updated_at = ? WHERE id = ? AND state = 'RECEIVED'")
                    .bind(0, at).bind(1, uploadId).execute() != 1) {
                throw new IllegalStateException("results upload " + uploadId + " is no longer RECEIVED");
            }
            return null;
        });
    }

    /** A stored result with its sealed details. */
    record Stored(long id, String uploadId, long row, String recordId, Outcome outcome, byte[] payload,
                  Instant createdAt, String listUploadId) {
    }

    List<Stored> bansOf(String uploadId) {
        return stored("WHERE upload_id = ? AND outcome = 'call_ban' ORDER BY row_number", uploadId);
    }

    List<Stored> ofBatch(String batchId) {
        return stored("WHERE batch_id = ? ORDER BY created_at, upload_id, row_number", batchId);
    }

    /** The call lists the results of this upload concern. */
    List<String> listsOf(String uploadId) {
        return strings("SELECT DISTINCT list_upload_id FROM call_result WHERE upload_id = ?", uploadId);
    }

    /** Ids of the list's records that have a final outcome (calling them has ended). */
    List<String> finalRecordIds(String listUploadId) {
        return strings("SELECT DISTINCT record_id FROM call_result WHERE list_upload_id = ? AND final_outcome",
                listUploadId);
    }

    /** Every blocked phone's blind index (a blocked number never reaches the dialer). */
    List<byte[]> blockedPhoneHashes() {
        return db.withHandle(h -> h.createQuery("SELECT phone_idx FROM blocked_phone").mapTo(byte[].class).list());
    }

    /**
     * DSAR hook: removes every result of these records (their sealed details included). Results already in
     * a published export stay only in that file, which the outbox housekeeping shreds.
     */
    public int deleteByRecords(List<String> recordIds) {
        return db.transaction(h -> {
            int n = 0;
            for (String id : recordIds) {
                n += h.createUpdate("DELETE FROM call_result WHERE record_id = ?").bind(0, id).execute();
            }
            return n;
        });
    }

    /** A result about a record, with the export batch that took it (if any): for a data-subject answer. */
    public record OfRecord(String recordId, String campaign, String uploadId, long row, String outcome,
                           Instant reportedAt, boolean exported, byte[] payload, Optional<Batch> batch) {
    }

    /** Every result about these records, oldest first per record (DSAR: what is held about the person). */
    public List<OfRecord> ofRecords(java.util.Collection<String> recordIds) {
        List<OfRecord> out = new ArrayList<>();
        for (String recordId : recordIds) {
            List<String> batchIds = new ArrayList<>();
            List<OfRecord> rows = db.withHandle(h -> h.createQuery("SELECT campaign, upload_id, row_number, outcome,"
                            + " created_at, export_kind, payload, batch_id FROM call_result WHERE record_id = ?"
                            + " ORDER BY created_at, upload_id, row_number").bind(0, recordId)
                    .map((rs, ctx) -> {
                        batchIds.add(rs.getString(8));
                        return new OfRecord(recordId, rs.getString(1), rs.getString(2), rs.getLong(3),
                                rs.getString(4), instant(rs, 5), rs.getString(6) != null, rs.getBytes(7),
                                Optional.empty());
                    }).list());
            for (int i = 0; i < rows.size(); i++) {
                OfRecord r = rows.get(i);
                String b = batchIds.get(i);
                out.add(b == null ? r : new OfRecord(r.recordId(), r.campaign(), r.uploadId(), r.row(), r.outcome(),
                        r.reportedAt(), r.exported(), r.payload(), batch(b)));
            }
        }
        return out;
    }

    /** Removes the results of a campaign (when it is shredded). */
    public int deleteByCampaign(String campaign) {
        return db.update("DELETE FROM call_result WHERE campaign = ?", campaign);
    }

    // ------------------------------------------------------------------ export batches

    public enum BatchState { OPEN, PUBLISHED, SHREDDED }

    public record Batch(String id, String campaign, Outcome.ExportKind kind, String fileName, BatchState state,
                        long rowCount, Instant createdAt, Optional<Instant> publishedAt,
                        Optional<Instant> downloadedAt, Optional<Instant> shreddedAt) {
    }

    /** Campaigns with results waiting for an export, or a batch a crash left open. */
    List<String> campaignsWithWork() {
        return strings("SELECT DISTINCT campaign FROM call_result WHERE export_kind IS NOT NULL AND batch_id IS NULL"
                + " UNION SELECT DISTINCT campaign FROM export_batch WHERE state = 'OPEN'", null);
    }

    List<Batch> open(String campaign) {
        return batches("WHERE campaign = ? AND state = 'OPEN' ORDER BY created_at, file_name", campaign);
    }

    public List<Batch> all() {
        return batches("ORDER BY created_at, file_name", null);
    }

    List<Batch> published() {
        return batches("WHERE state = 'PUBLISHED' ORDER BY created_at", null);
    }

    Optional<Batch> byName(String campaign, String fileName) {
        return db.withHandle(h -> h.createQuery("SELECT id FROM export_batch WHERE campaign = ? AND file_name = ?")
                .bind(0, campaign).bind(1, fileName).mapTo(String.class).findFirst()).flatMap(this::batch);
    }

    Optional<Batch> batch(String id) {
        List<Batch> b = batches("WHERE id = ?", id);
        return b.isEmpty() ? Optional.empty() : Optional.of(b.get(0));
    }

    /**
     * Opens a batch of the campaign's pending results of one kind, if any: in one transaction the batch row
     * with its file name is written and the results are marked as taken by it. {@code name} gets a
     * candidate second offset and must give a file name; names already used are skipped.
     */
    Optional<Batch> openBatch(String campaign, Outcome.ExportKind kind, Function<Integer, String> name, Instant now) {
        String id = UUID.randomUUID().toString();
        Optional<String> opened = db.transaction(h -> {
            String file = null;
            for (int i = 0; file == null; i++) {
                String candidate = name.apply(i);
                if (!nameUsed(h, campaign, candidate)) {
                    file = candidate;
                }
            }
            h.createUpdate("INSERT INTO export_batch(id, campaign, kind, file_name, state, row_count, created_at)"
                    + " VALUES (?, ?, ?, ?, 'OPEN', 0, ?)")
                    .bind(0, id).bind(1, campaign).bind(2, kind.code()).bind(3, file).bind(4, utc(now)).execute();
            int taken = h.createUpdate("UPDATE call_result SET batch_id = ? WHERE campaign = ? AND export_kind = ?"
                    + " AND batch_id IS NULL").bind(0, id).bind(1, campaign).bind(2, kind.code()).execute();
            if (taken == 0) {
                h.rollback();
                return Optional.<String>empty();
            }
            h.createUpdate("UPDATE export_batch SET row_count = ? WHERE id = ?").bind(0, (long) taken).bind(1, id)
                    .execute();
            return Optional.of(id);
        });
        return opened.flatMap(this::batch);
    }

    /** The file is in the outbox: the batch is published and its results' sealed details are dropped. */
    void published(String batchId, Instant now) {
        db.transaction(h -> {
            h.createUpdate("UPDATE export_batch SET state = 'PUBLISHED', published_at = ? WHERE id = ? AND state = 'OPEN'")
                    .bind(0, utc(now)).bind(1, batchId).execute();
            h.createUpdate("UPDATE call_result SET payload = NULL WHERE batch_id = ?").bind(0, batchId).execute();
            return null;
        });
    }

    /** The controller downloaded the file whole; the first time counts. */
    public boolean downloaded(String campaign, String fileName, Instant now) {
        return db.update("UPDATE export_batch SET downloaded_at = ? WHERE campaign = ? AND file_name = ?"
                + " AND state = 'PUBLISHED' AND downloaded_at IS NULL", utc(now), campaign, fileName) > 0;
    }

    void shredded(String batchId, Instant now) {
        db.update("UPDATE export_batch SET state = 'SHREDDED', shredded_at = ? WHERE id = ?", utc(now), batchId);
    }

    // ------------------------------------------------------------------ internals

    private static boolean nameUsed(Handle h, String campaign, String file) {
        return h.createQuery("SELECT 1 FROM export_batch WHERE campaign = ? AND file_name = ?")
                .bind(0, campaign).bind(1, file).mapTo(Integer.class).findFirst().isPresent();
    }

    private List<Stored> stored(String where, String param) {
        return db.withHandle(h -> h.createQuery("SELECT id, upload_id, row_number, record_id, outcome, payload,"
                        + " created_at, list_upload_id FROM call_result " + where).bind(0, param)
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        Outcome.of(rs.getString(5)).orElseThrow(), rs.getBytes(6), instant(rs, 7), rs.getString(8)))
                .list());
    }

    private List<Batch> batches(String where, String param) {
        return db.withHandle(h -> optional(h.createQuery("SELECT id, campaign, kind, file_name, state, row_count,"
                        + " created_at, published_at, downloaded_at, shredded_at FROM export_batch " + where), param)
                .map((rs, ctx) -> new Batch(rs.getString(1), rs.getString(2), Outcome.ExportKind.ofCode(rs.getString(3)),
                        rs.getString(4), BatchState.valueOf(rs.getString(5)), rs.getLong(6), instant(rs, 7),
                        Optional.ofNullable(instant(rs, 8)), Optional.ofNullable(instant(rs, 9)),
                        Optional.ofNullable(instant(rs, 10)))).list());
    }

    private List<String> strings(String sql, String param) {
        return db.withHandle(h -> optional(h.createQuery(sql), param).map((rs, ctx) -> rs.getString(1)).list());
    }

    /** Binds the one parameter of a query that has one; a null param means the query has none. */
    private static Query optional(Query q, String param) {
        return param == null ? q : q.bind(0, param);
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
