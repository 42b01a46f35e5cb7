package fi.callgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HSQLDB side of the record store: record sets (one per stored upload, with the state that alone
 * decides whether its records are visible) and tombstones of erased records. Small rows, a handful per
 * upload; the records themselves are in part files and the Lucene index.
 */
final class RecordSets {
    private static final String COLUMNS = "upload_id, campaign, state, dataset_no, record_count, parts, created_at,"
            + " purged_at, legacy_ids";

    private final Database db;

    RecordSets(Database db) {
        this.db = db;
    }

    /** One record set. {@code dataset} is 0 for a set of legacy rows (before V15). */
    record SetRow(String uploadId, String campaign, RecordStore.SetState state, long dataset, long count, int parts,
                  Instant createdAt, boolean purged, boolean legacyIds) {
    }

    /** A tombstone the purge has still to apply to the files. */
    record Pending(long dataset, long ordinal, long location) {
    }

    private static SetRow row(ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime purged = rs.getObject(8, OffsetDateTime.class);
        return new SetRow(rs.getString(1), rs.getString(2), RecordStore.SetState.valueOf(rs.getString(3)),
                rs.getLong(4), rs.getLong(5), rs.getInt(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
                purged != null, rs.getBoolean(9));
    }

    /** A new STAGED set with a fresh number; refuses an upload that already has a set. */
    SetRow create(String uploadId, String campaign, OffsetDateTime now) {
        return db.inTransaction(c -> {
            Optional<SetRow> existing = first(c, "upload_id = ?", uploadId);
            if (existing.isPresent()) {
                RecordStore.SetState st = existing.get().state();
                throw new IllegalStateException("upload " + uploadId + " already has " + st + " records"
                        + (st == RecordStore.SetState.STAGED ? "; discardStaged it first" : ""));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_set(upload_id, campaign, state,"
                    + " created_at, dataset_no) VALUES (?, ?, 'STAGED', ?, NEXT VALUE FOR record_dataset_seq)")) {
                ps.setString(1, uploadId);
                ps.setString(2, campaign);
                ps.setObject(3, now);
                ps.executeUpdate();
            }
            return first(c, "upload_id = ?", uploadId).orElseThrow();
        });
    }

    Optional<SetRow> byUpload(String uploadId) {
        return db.withConnection(c -> first(c, "upload_id = ?", uploadId));
    }

    Optional<SetRow> byDataset(long dataset) {
        return db.withConnection(c -> first(c, "dataset_no = ?", dataset));
    }

    List<SetRow> where(String condition, Object... params) {
        return db.query("SELECT " + COLUMNS + " FROM record_set WHERE " + condition, RecordSets::row, params);
    }

    private static Optional<SetRow> first(java.sql.Connection c, String condition, Object param)
            throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM record_set WHERE " + condition)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The last of the three commits of a staging: count and parts, in one statement. */
    void finishStaging(String uploadId, long count, int parts) {
        int n = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_set SET record_count = ?, parts = ?"
                    + " WHERE upload_id = ? AND state = 'STAGED'")) {
                ps.setLong(1, count);
                ps.setInt(2, parts);
                ps.setString(3, uploadId);
                return ps.executeUpdate();
            }
        });
        if (n != 1) {
            throw new IllegalStateException("upload " + uploadId + " is no longer staged");
        }
    }

    int update(String sql, Object... params) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** The pre-V15 id of a migrated record (a set with legacy ids). */
    Optional<String> legacyId(RecordAddress a) {
        List<String> id = db.query("SELECT record_id FROM legacy_record_id WHERE dataset_no = ? AND ordinal = ?",
                rs -> rs.getString(1), a.dataset(), a.ordinal());
        return id.stream().findFirst();
    }

    /** Where a pre-V15 record id now lives, if it is one. */
    Optional<RecordAddress> legacyAddress(String recordId) {
        return db.query("SELECT dataset_no, ordinal FROM legacy_record_id WHERE record_id = ?",
                rs -> new RecordAddress(rs.getLong(1), rs.getLong(2)), recordId).stream().findFirst();
    }

    /** Ordinals of the erased records of a set (few: only data-subject erasures make them). */
    Set<Long> tombstones(long dataset) {
        return new HashSet<>(db.query("SELECT ordinal FROM record_tombstone WHERE dataset_no = ?",
                rs -> rs.getLong(1), dataset));
    }

    /**
     * Tombstones these records and lowers their sets' counts in one transaction: a kill leaves both or
     * neither, and a re-run neither tombstones nor counts a record twice.
     *
     * @return how many were erased now
     */
    int erase(List<Pending> records, OffsetDateTime now) {
        return db.inTransaction(c -> {
            int erased = 0;
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT 1 FROM record_tombstone WHERE dataset_no = ? AND ordinal = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO record_tombstone(dataset_no, ordinal,"
                         + " location, erased_at) VALUES (?, ?, ?, ?)");
                 PreparedStatement lower = c.prepareStatement("UPDATE record_set SET record_count ="
                         + " GREATEST(record_count - 1, 0) WHERE dataset_no = ?")) {
                for (Pending p : records) {
                    exists.setLong(1, p.dataset());
                    exists.setLong(2, p.ordinal());
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                    insert.setLong(1, p.dataset());
                    insert.setLong(2, p.ordinal());
                    insert.setLong(3, p.location());
                    insert.setObject(4, now);
                    insert.executeUpdate();
                    lower.setLong(1, p.dataset());
                    lower.executeUpdate();
                    erased++;
                }
            }
            return erased;
        });
    }

    List<Pending> pendingPurge() {
        return db.query("SELECT dataset_no, ordinal, location FROM record_tombstone WHERE purged_at IS NULL"
                + " ORDER BY dataset_no, ordinal", rs -> new Pending(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    void markPurged(List<Pending> done, OffsetDateTime now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_tombstone SET purged_at = ?"
                    + " WHERE dataset_no = ? AND ordinal = ?")) {
                for (Pending p : done) {
                    ps.setObject(1, now);
                    ps.setLong(2, p.dataset());
                    ps.setLong(3, p.ordinal());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The oldest erasure not yet purged from the files, if any. */
    Optional<Instant> oldestUnpurged() {
        List<Instant> t = db.query("SELECT MIN(erased_at) FROM record_tombstone WHERE purged_at IS NULL",
                rs -> {
                    OffsetDateTime o = rs.getObject(1, OffsetDateTime.class);
                    return o == null ? null : o.toInstant();
                });
        return t.isEmpty() || t.get(0) == null ? Optional.empty() : Optional.of(t.get(0));
    }
}
