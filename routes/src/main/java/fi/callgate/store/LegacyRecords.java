package fi.callgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The records stored before V15 — {@code call_record} rows — for as long as {@link RecordMigration} is
 * moving them into part files and the index in the background while the gateway serves.
 *
 * <h2>Which layout holds a record: decided in HSQLDB, one set at a time</h2>
 * A record set whose {@code dataset_no} is NULL is in the old layout: its records are its upload's
 * {@code call_record} rows, and whatever the index and part files hold under its {@code migration_no} (a
 * move in progress) is invisible because no set carries that number as {@code dataset_no}. Once
 * {@code dataset_no} is set, its records are in parts and the index and its {@code call_record} rows are
 * leftovers that no reader looks at. The move flips that column in one statement, under the write side
 * of {@link #switching}; every read or erasure that looks at both layouts holds the read side
 * ({@link #reading}), so it sees each set in exactly one layout: each record once, never twice, never not
 * at all. The flip waits at most for the reads in flight (milliseconds each); long streams
 * ({@link RecordFinder#activeRecords}) take the lock per page instead and carry on in the new layout
 * after the last row they returned.
 *
 * <h2>Why a lock and not only the database</h2>
 * A read that combines the two layouts consults two stores (the Lucene searcher, then HSQLDB); without the
 * lock a flip between the two could hide a set from both. All readers and the migration live in this one
 * process around one {@link RecordStore}, so an in-process lock suffices.
 */
final class LegacyRecords {
    static final int DELETE_CHUNK = 5000;
    private static final String COLUMNS = "r.record_id, r.campaign, r.upload_id, r.row_number, r.payload, r.name_idx,"
            + " r.created_at, s.state, r.phone_idx, r.email_idx, r.name_postal_idx";

    private final Database db;
    private final ReentrantReadWriteLock layout = new ReentrantReadWriteLock();
    private volatile boolean present;

    LegacyRecords(Database db) {
        this.db = db;
        this.present = tableExists();
    }

    /**
     * One old-layout record: sealed payload and blind-index hashes as stored before V15 (email and name +
     * postal code may be null), with its set's state.
     */
    record Row(String recordId, String campaign, String uploadId, long rowNumber, byte[] payload, byte[] nameHash,
               Instant createdAt, RecordStore.SetState state, byte[] phone, byte[] email, byte[] namePostal) {
        @Override
        public String toString() {
            return "LegacyRow[" + recordId + ", " + uploadId + "]";
        }
    }

    /** Runs a read (or a legacy erasure) with every set's layout fixed meanwhile. */
    <T> T reading(Supplier<T> work) {
        layout.readLock().lock();
        try {
            return work.get();
        } finally {
            layout.readLock().unlock();
        }
    }

    /** Runs a layout flip (or the drop of the old tables) while no read is in flight. */
    <T> T switching(Supplier<T> work) {
        layout.writeLock().lock();
        try {
            return work.get();
        } finally {
            layout.writeLock().unlock();
        }
    }

    /** Do the old tables still exist? False for good once they were dropped. */
    boolean present() {
        return present;
    }

    /**
     * Rows of old-layout sets (not purged) whose blind-index column equals the hash. One probe of the
     * (gen, column) index per generation (V10): the join from record_generation gives HSQLDB both columns.
     */
    List<Row> byIndex(String column, byte[] hash) {
        if (!List.of("phone_idx", "email_idx", "name_postal_idx").contains(column)) {
            throw new IllegalArgumentException("not a searchable blind index: " + column);
        }
        if (!present) {
            return List.of();
        }
        return db.query("SELECT " + COLUMNS + " FROM record_generation g JOIN call_record r ON r.gen = g.gen AND r."
                + column + " = ? JOIN record_set s ON s.upload_id = r.upload_id WHERE s.dataset_no IS NULL"
                + " AND s.purged_at IS NULL", LegacyRecords::row, (Object) hash);
    }

    /** The old-layout row with this id, if its set is still in the old layout and not purged. */
    Optional<Row> byId(String recordId) {
        if (!present) {
            return Optional.empty();
        }
        return db.query("SELECT " + COLUMNS + " FROM call_record r JOIN record_set s ON s.upload_id = r.upload_id"
                + " WHERE r.record_id = ? AND s.dataset_no IS NULL AND s.purged_at IS NULL", LegacyRecords::row,
                recordId).stream().findFirst();
    }

    /**
     * Up to {@code limit} rows of the upload after this row number, in row order, along the (upload_id,
     * row_number) index; the caller checks the set's layout (a join would make HSQLDB sort the whole upload
     * for every page).
     */
    List<Row> page(String uploadId, long after, int limit) {
        if (!present) {
            return List.of();
        }
        return db.query("SELECT r.record_id, r.campaign, r.upload_id, r.row_number, r.payload, r.name_idx,"
                + " r.created_at, 'ACTIVE', r.phone_idx, r.email_idx, r.name_postal_idx FROM call_record r WHERE r.upload_id = ? AND r.row_number > ?"
                + " ORDER BY r.upload_id, r.row_number LIMIT " + limit, LegacyRecords::row, uploadId, after);
    }

    /** Ids of the upload's rows with one of these phone hashes (block-list joins). */
    List<String> idsWithPhones(String uploadId, List<byte[]> phoneHashes) {
        if (!present || phoneHashes.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        // The phone index leads with the generation, so walk the upload's rows and compare: a block-list
        // join runs per list, not per request, and the upload is read along its unique index.
        java.util.Set<java.nio.ByteBuffer> wanted = new java.util.HashSet<>();
        for (byte[] h : phoneHashes) {
            wanted.add(java.nio.ByteBuffer.wrap(h));
        }
        long after = Long.MIN_VALUE;
        while (true) {
            record Phone(String id, long row, byte[] hash) {
            }
            List<Phone> page = db.query("SELECT record_id, row_number, phone_idx FROM call_record WHERE upload_id = ?"
                    + " AND row_number > ? ORDER BY upload_id, row_number LIMIT 5000",
                    rs -> new Phone(rs.getString(1), rs.getLong(2), rs.getBytes(3)), uploadId, after);
            for (Phone p : page) {
                if (wanted.contains(java.nio.ByteBuffer.wrap(p.hash()))) {
                    out.add(p.id());
                }
            }
            if (page.size() < 5000) {
                return out;
            }
            after = page.get(page.size() - 1).row();
        }
    }

    /** Rows the upload still has in the old table. */
    long count(String uploadId) {
        if (!present) {
            return 0;
        }
        return db.query("SELECT COUNT(*) FROM call_record WHERE upload_id = ?", rs -> rs.getLong(1), uploadId).get(0);
    }

    /**
     * Erases old-layout records (a data-subject erasure of a set not yet moved): the rows are deleted in one
     * transaction, the old layout's way. Call under {@link #reading}, with ids {@link #byId} found there.
     */
    int erase(List<String> recordIds) {
        if (!present || recordIds.isEmpty()) {
            return 0;
        }
        return db.inTransaction(c -> {
            int deleted = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM call_record WHERE record_id = ?")) {
                for (String id : recordIds) {
                    ps.setString(1, id);
                    deleted += ps.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** Deletes the upload's rows in small committed chunks, so no transaction grows with the list. */
    long deleteRows(String uploadId) {
        if (!present) {
            return 0;
        }
        return reading(() -> {
            if (!present) {
                return 0L;
            }
            long total = 0;
            while (true) {
                int n = db.update("DELETE FROM call_record WHERE upload_id = ? LIMIT " + DELETE_CHUNK, uploadId);
                total += n;
                if (n < DELETE_CHUNK) {
                    return total;
                }
            }
        });
    }

    /**
     * Drops the old tables if no row is left (idempotent: nothing to do once dropped). Under the write side of
     * the lock, so no read is using them at that moment and none will again.
     *
     * @return whether they are gone now
     */
    boolean dropIfEmpty() {
        if (!present) {
            return true;
        }
        return switching(() -> {
            long left = db.query("SELECT COUNT(*) FROM call_record", rs -> rs.getLong(1)).get(0);
            if (left > 0) {
                return false;
            }
            db.update("DROP TABLE call_record");
            db.update("DROP TABLE record_generation IF EXISTS");
            present = false;
            return true;
        });
    }

    private boolean tableExists() {
        return !db.query("SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                + " AND TABLE_NAME = 'CALL_RECORD'", rs -> 1).isEmpty();
    }

    private static Row row(ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5),
                rs.getBytes(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
                RecordStore.SetState.valueOf(rs.getString(8)), rs.getBytes(9), rs.getBytes(10), rs.getBytes(11));
    }
}
