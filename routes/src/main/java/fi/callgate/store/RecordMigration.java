package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the records stored before V15 ({@code call_record} rows) into part files and the Lucene index, set
 * by set, at start. Per set:
 * <ol>
 *   <li>a number is assigned once ({@code migration_no}); whatever an interrupted earlier attempt left
 *       under it (index entries, parts, id rows) is removed first, so each attempt starts clean;</li>
 *   <li>the rows are read page by page in row order, decrypted (which also checks them), written to parts
 *       and the index with the hashes they already had, and their old ids recorded in
 *       {@code legacy_record_id} — those ids are out in dialer lists and results files and keep resolving;</li>
 *   <li>parts forced, index committed, then one HSQLDB statement switches the set to the new layout
 *       ({@code dataset_no = migration_no}); only then are its legacy rows deleted, in chunks.</li>
 * </ol>
 * A kill before step 3's statement leaves the set on its legacy rows and the next start moves it again; a
 * kill after it leaves legacy rows no reader looks at, deleted at the next start. Staged legacy sets are
 * discarded (the pipeline stages them again), deleted ones finish their deletion. Once {@code call_record}
 * is empty it is dropped, with {@code record_generation}.
 */
final class RecordMigration {
    private static final Logger log = LoggerFactory.getLogger(RecordMigration.class);
    static final int PAGE = 1000;
    static final int DELETE_CHUNK = 5000;

    private final Database db;
    private final RecordSets sets;
    private final RecordParts parts;
    private final RecordIndex index;
    private final CampaignKeyStore keys;

    RecordMigration(Database db, RecordSets sets, RecordParts parts, RecordIndex index, CampaignKeyStore keys) {
        this.db = db;
        this.sets = sets;
        this.parts = parts;
        this.index = index;
        this.keys = keys;
    }

    long run() {
        if (!legacyTableExists()) {
            return 0;
        }
        // Sets already moved or deleted: their legacy rows are leftovers of an interrupted chunked delete.
        for (String upload : db.query("SELECT s.upload_id FROM record_set s WHERE (s.dataset_no IS NOT NULL"
                + " OR s.state = 'DELETED') AND EXISTS (SELECT 1 FROM call_record r WHERE r.upload_id = s.upload_id)",
                rs -> rs.getString(1))) {
            deleteLegacyRows(upload);
        }
        sets.update("UPDATE record_set SET purged_at = COALESCE(purged_at, ?) WHERE dataset_no IS NULL"
                + " AND state = 'DELETED'", now());
        for (RecordSets.SetRow set : sets.where("dataset_no IS NULL AND state = 'STAGED'")) {
            deleteLegacyRows(set.uploadId());
            sets.update("DELETE FROM record_set WHERE upload_id = ? AND state = 'STAGED' AND dataset_no IS NULL",
                    set.uploadId());
        }
        long moved = 0;
        for (RecordSets.SetRow set : sets.where("dataset_no IS NULL AND state = 'ACTIVE'")) {
            if (keys.isDestroyed(set.campaign())) {
                log.warn("legacy records of upload {} belong to a shredded campaign: left for the shredder",
                        set.uploadId());
                continue;
            }
            moved += move(set);
            deleteLegacyRows(set.uploadId());
        }
        long left = db.query("SELECT COUNT(*) FROM call_record", rs -> rs.getLong(1)).get(0);
        if (left == 0) {
            sets.update("DROP TABLE call_record");
            sets.update("DROP TABLE record_generation IF EXISTS");
            log.info("legacy record tables dropped: every record is in the part files and the index");
        }
        if (moved > 0) {
            log.info("moved {} legacy record(s) into the part files and the index", moved);
        }
        return moved;
    }

    private long move(RecordSets.SetRow set) {
        String upload = set.uploadId();
        sets.update("UPDATE record_set SET migration_no = NEXT VALUE FOR record_dataset_seq WHERE upload_id = ?"
                + " AND migration_no IS NULL", upload);
        long number = db.query("SELECT migration_no FROM record_set WHERE upload_id = ?", rs -> rs.getLong(1), upload)
                .get(0);
        // Whatever an interrupted attempt left under this number goes first.
        index.deleteAndCommit(RecordIndex.dataset(number), upload);
        try {
            parts.delete(number);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear an interrupted migration of upload " + upload, e);
        }
        sets.update("DELETE FROM legacy_record_id WHERE dataset_no = ?", number);

        DataKey key = keys.forCampaign(set.campaign());
        long ordinal = 0;
        int partCount;
        try (RecordParts.Writer writer = parts.writer(number, set.campaign(), upload, key)) {
            long after = Long.MIN_VALUE;
            while (true) {
                List<Legacy> page = page(upload, after);
                List<Object[]> idRows = new ArrayList<>(page.size());
                for (Legacy row : page) {
                    CallRecord r = RecordCipher.open(key, set.campaign(), row.id(), row.rowNumber(), row.payload());
                    byte[] plain = RecordCipher.serialise(r);
                    long location;
                    try {
                        location = writer.append(ordinal, row.rowNumber(), plain);
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                    index.add(new RecordIndex.Entry(new RecordAddress(number, ordinal), location, row.phone(),
                            Optional.ofNullable(row.email()), Optional.ofNullable(row.namePostal()), row.name()));
                    idRows.add(new Object[] {row.id(), number, ordinal});
                    ordinal++;
                }
                insertIds(idRows);
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).rowNumber();
            }
            partCount = writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the parts of migrated upload " + upload, e);
        }
        index.commit(upload);
        long count = ordinal;
        int switched = sets.update("UPDATE record_set SET dataset_no = migration_no, parts = ?, record_count = ?,"
                + " legacy_ids = TRUE WHERE upload_id = ? AND dataset_no IS NULL AND migration_no = ?",
                partCount, count, upload, number);
        if (switched != 1) {
            throw new IllegalStateException("upload " + upload + " changed while its records were being moved");
        }
        return count;
    }

    private record Legacy(String id, long rowNumber, byte[] payload, byte[] phone, byte[] email, byte[] namePostal,
                          byte[] name) {
    }

    private List<Legacy> page(String upload, long after) {
        return db.query("SELECT record_id, row_number, payload, phone_idx, email_idx, name_postal_idx, name_idx"
                + " FROM call_record WHERE upload_id = ? AND row_number > ? ORDER BY upload_id, row_number LIMIT "
                + PAGE, rs -> new Legacy(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4),
                rs.getBytes(5), rs.getBytes(6), rs.getBytes(7)), upload, after);
    }

    private void insertIds(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO legacy_record_id(record_id, dataset_no, ordinal) VALUES (?, ?, ?)")) {
                for (Object[] r : rows) {
                    ps.setString(1, (String) r[0]);
                    ps.setLong(2, (Long) r[1]);
                    ps.setLong(3, (Long) r[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private void deleteLegacyRows(String upload) {
        while (true) {
            int n = sets.update("DELETE FROM call_record WHERE upload_id = ? LIMIT " + DELETE_CHUNK, upload);
            if (n < DELETE_CHUNK) {
                return;
            }
        }
    }

    private boolean legacyTableExists() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'CALL_RECORD'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
