package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the records stored before V15 ({@code call_record} rows) into part files and the Lucene index, set
 * by set, in the background while the gateway serves ({@link #startInBackground}); reads meanwhile see each
 * set in whichever layout HSQLDB says holds it ({@link LegacyRecords}). Per set:
 * <ol>
 *   <li>a number is assigned once ({@code migration_no}); whatever an interrupted earlier attempt left
 *       under it (index entries, parts, id rows) is removed first, so each attempt starts clean;</li>
 *   <li>the rows are read {@value #PAGE} at a time in row order, decrypted (which also checks them), written
 *       to parts and the index with the hashes they already had, and their old ids recorded in
 *       {@code legacy_record_id} — those ids are out in dialer lists and results files and keep resolving.
 *       Nothing of it is visible: no set carries the number as {@code dataset_no} yet;</li>
 *   <li>parts forced, index committed (the three stores' order of every staging), then, with reads held off
 *       for that moment, one HSQLDB transaction switches the set ({@code dataset_no = migration_no}) if it is
 *       still ACTIVE; only then are its old rows deleted, in chunks.</li>
 * </ol>
 * A kill before step 3's commit leaves the set on its old rows and the next start moves it again; a kill
 * after it leaves old rows no reader looks at, deleted by the next pass. Rows a data-subject erasure deleted
 * after they were copied (the old layout erases by deleting the row) get tombstones in the switch's
 * transaction, so an erased record never comes back; a set withdrawn or shredded meanwhile fails the state
 * check (checked every page too) and its copy is discarded. Staged old sets are discarded (the
 * pipeline stages them again), deleted ones finish their deletion. Once {@code call_record} is empty it is
 * dropped, with {@code record_generation}; every start checks again, so the drop happens once, whenever the
 * last row goes.
 */
final class RecordMigration {
    private static final Logger log = LoggerFactory.getLogger(RecordMigration.class);
    static final int PAGE = 1000;
    /** Erasures that keep coming between finding them and the switch: left for the next pass after this. */
    private static final int ATTEMPTS = 3;
    /** Between passes while old rows remain (a failure, or sets of shredded campaigns left to the shredder). */
    static final Duration PAUSE = Duration.ofSeconds(30);

    private final Database db;
    private final RecordSets sets;
    private final RecordParts parts;
    private final RecordIndex index;
    private final CampaignKeyStore keys;
    private final LegacyRecords legacy;
    private volatile boolean stopping;
    private Thread worker;

    RecordMigration(Database db, RecordSets sets, RecordParts parts, RecordIndex index, CampaignKeyStore keys,
                    LegacyRecords legacy) {
        this.db = db;
        this.sets = sets;
        this.parts = parts;
        this.index = index;
        this.keys = keys;
        this.legacy = legacy;
    }

    private enum Outcome { MOVED, CHANGED, GONE, SKIPPED, STOPPED }

    /**
     * Runs passes on a thread of its own until the old tables are gone or {@link #stop}; a pass waits while
     * {@code mayWrite} says no (the storage location refused: moving records writes under data-dir).
     */
    synchronized void startInBackground(BooleanSupplier mayWrite) {
        if (!legacy.present() || worker != null) {
            return;
        }
        worker = new Thread(() -> {
            while (!stopping && legacy.present()) {
                long moved = 0;
                if (mayWrite.getAsBoolean()) {
                    try {
                        moved = run();
                    } catch (RuntimeException e) {
                        if (stopping) {
                            return; // the store is closing under the pass
                        }
                        log.error("moving pre-V15 records failed (retried in {} s): {}", PAUSE.toSeconds(),
                                e.toString());
                    }
                }
                // A pass that moved records goes again at once; one that could not waits.
                if (!legacy.present() || (moved == 0 && !pause(mayWrite.getAsBoolean() ? PAUSE : Duration.ofSeconds(1)))) {
                    return;
                }
            }
        }, "callgate-record-migration");
        worker.setDaemon(true);
        worker.start();
    }

    /** Stops the background pass between two pages and waits for it (before the index closes). */
    void stop() {
        Thread w;
        synchronized (this) {
            stopping = true;
            w = worker;
            notifyAll(); // ends a pause; never an interrupt, which would close the index's and parts' channels
        }
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized boolean pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        try {
            while (!stopping && System.nanoTime() < until) {
                wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopping;
    }

    /**
     * One pass: leftovers first, then every active set not yet moved, then the drop of the old tables if
     * they are empty.
     *
     * @return records moved by this pass
     */
    long run() {
        if (!legacy.present()) {
            return 0;
        }
        cleanUp();
        long moved = 0;
        List<RecordSets.SetRow> waiting = sets.where("dataset_no IS NULL AND state = 'ACTIVE' ORDER BY created_at");
        if (!waiting.isEmpty()) {
            log.info("moving the records of {} pre-V15 upload(s) into the part files and the index", waiting.size());
        }
        int done = 0;
        for (RecordSets.SetRow set : waiting) {
            if (stopping) {
                return moved;
            }
            if (keys.isDestroyed(set.campaign())) {
                log.warn("legacy records of upload {} belong to a shredded campaign: left for the shredder",
                        set.uploadId());
                continue;
            }
            long[] count = new long[1];
            Outcome o = move(set, count);
            if (o == Outcome.MOVED) {
                moved += count[0];
                legacy.deleteRows(set.uploadId());
                log.info("moved upload {} ({} record(s); {} of {})", set.uploadId(), count[0], ++done, waiting.size());
            } else if (o == Outcome.STOPPED) {
                return moved;
            }
        }
        if (legacy.dropIfEmpty()) {
            log.info("legacy record tables dropped: every record is in the part files and the index");
        }
        if (moved > 0) {
            log.info("moved {} legacy record(s) into the part files and the index", moved);
        }
        return moved;
    }

    /** What interrupted passes, deletions and stagings left behind; each step idempotent. */
    private void cleanUp() {
        // Sets already moved or deleted: their old rows are leftovers of an interrupted chunked delete.
        for (String upload : db.query("SELECT s.upload_id FROM record_set s WHERE (s.dataset_no IS NOT NULL"
                + " OR s.state = 'DELETED') AND EXISTS (SELECT 1 FROM call_record r WHERE r.upload_id = s.upload_id)",
                rs -> rs.getString(1))) {
            legacy.deleteRows(upload);
        }
        sets.update("UPDATE record_set SET purged_at = COALESCE(purged_at, ?) WHERE dataset_no IS NULL"
                + " AND state = 'DELETED'", now());
        // Copies of sets withdrawn or shredded while being moved.
        for (RecordSets.SetRow set : sets.where("dataset_no IS NULL AND migration_no IS NOT NULL AND state <> 'ACTIVE'")) {
            long number = db.query("SELECT migration_no FROM record_set WHERE upload_id = ?", rs -> rs.getLong(1),
                    set.uploadId()).get(0);
            discardCopy(number, set.uploadId());
            sets.update("UPDATE record_set SET migration_no = NULL WHERE upload_id = ?", set.uploadId());
        }
        for (RecordSets.SetRow set : sets.where("dataset_no IS NULL AND state = 'STAGED'")) {
            legacy.deleteRows(set.uploadId());
            sets.update("DELETE FROM record_set WHERE upload_id = ? AND state = 'STAGED' AND dataset_no IS NULL",
                    set.uploadId());
        }
    }

    private Outcome move(RecordSets.SetRow set, long[] moved) {
        String upload = set.uploadId();
        sets.update("UPDATE record_set SET migration_no = NEXT VALUE FOR record_dataset_seq WHERE upload_id = ?"
                + " AND migration_no IS NULL", upload);
        long number = db.query("SELECT migration_no FROM record_set WHERE upload_id = ?", rs -> rs.getLong(1), upload)
                .get(0);
        // Whatever an interrupted attempt left under this number goes first.
        discardCopy(number, upload);

        DataKey key;
        try {
            key = keys.forCampaign(set.campaign());
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            return Outcome.SKIPPED; // shredded meanwhile: the shredder deletes the rows
        }
        long ordinal = 0;
        int partCount;
        try (RecordParts.Writer writer = parts.writer(number, set.campaign(), upload, key)) {
            long after = Long.MIN_VALUE;
            while (true) {
                if (stopping) {
                    return Outcome.STOPPED; // the next start redoes the set from its first row
                }
                if (!stillActive(upload)) {
                    return gone(number, upload);
                }
                List<LegacyRecords.Row> page = legacy.page(upload, after, PAGE);
                List<Object[]> idRows = new ArrayList<>(page.size());
                for (LegacyRecords.Row row : page) {
                    CallRecord r = RecordCipher.open(key, set.campaign(), row.recordId(), row.rowNumber(),
                            row.payload());
                    byte[] plain = RecordCipher.serialise(r);
                    long location;
                    try {
                        location = writer.append(ordinal, row.rowNumber(), plain);
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                    index.add(new RecordIndex.Entry(new RecordAddress(number, ordinal), location, row.phone(),
                            Optional.ofNullable(row.email()), Optional.ofNullable(row.namePostal()), row.nameHash()));
                    idRows.add(new Object[] {row.recordId(), number, ordinal});
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
        index.commit(upload); // also refreshes the searchers: the copy is findable before the switch shows it
        long count = ordinal;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Rows a data-subject erasure deleted after they were copied: found outside the lock (a scan of
            // the set's id rows, only when the count says there are some), tombstoned in the switch.
            List<RecordSets.Pending> erased = legacy.count(upload) == count ? List.of() : erasedDuringCopy(number);
            Outcome o = legacy.switching(() -> {
                if (!stillActive(upload)) {
                    return Outcome.GONE;
                }
                if (legacy.count(upload) != count - erased.size()) {
                    return Outcome.CHANGED; // erased again since: look again
                }
                return switchLayout(upload, number, partCount, count, erased) ? Outcome.MOVED : Outcome.GONE;
            });
            if (o == Outcome.GONE) {
                return gone(number, upload);
            }
            if (o == Outcome.MOVED) {
                if (!erased.isEmpty()) {
                    index.deleteAndCommit(ErasurePurge.addresses(erased), "erase"); // ErasurePurge does the rest
                }
                moved[0] = count - erased.size();
                return o;
            }
        }
        log.info("upload {} kept changing while its records were being moved: left for the next pass", upload);
        discardCopy(number, upload);
        return Outcome.CHANGED;
    }

    /**
     * The switch, in one transaction: tombstones for the rows erased after they were copied, then the set
     * shown in the new layout with its count. A kill before the commit leaves neither.
     */
    private boolean switchLayout(String upload, long number, int partCount, long count,
                                 List<RecordSets.Pending> erased) {
        OffsetDateTime now = now();
        return db.inTransaction(c -> {
            try (PreparedStatement tomb = c.prepareStatement("INSERT INTO record_tombstone(dataset_no, ordinal,"
                    + " location, erased_at) VALUES (?, ?, ?, ?)")) {
                for (RecordSets.Pending p : erased) {
                    tomb.setLong(1, p.dataset());
                    tomb.setLong(2, p.ordinal());
                    tomb.setLong(3, p.location());
                    tomb.setObject(4, now);
                    tomb.addBatch();
                }
                if (!erased.isEmpty()) {
                    tomb.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_set SET dataset_no = migration_no,"
                    + " parts = ?, record_count = ?, legacy_ids = TRUE WHERE upload_id = ? AND state = 'ACTIVE'"
                    + " AND dataset_no IS NULL AND migration_no = ?")) {
                ps.setInt(1, partCount);
                ps.setLong(2, count - erased.size());
                ps.setString(3, upload);
                ps.setLong(4, number);
                if (ps.executeUpdate() != 1) {
                    c.rollback();
                    return false;
                }
            }
            return true;
        });
    }

    /** Copied records whose old row is gone (erased meanwhile), with where the copy put them. */
    private List<RecordSets.Pending> erasedDuringCopy(long number) {
        List<RecordSets.Pending> out = new ArrayList<>();
        for (long ordinal : db.query("SELECT l.ordinal FROM legacy_record_id l LEFT JOIN call_record r"
                + " ON r.record_id = l.record_id WHERE l.dataset_no = ? AND r.record_id IS NULL", rs -> rs.getLong(1),
                number)) {
            for (RecordIndex.Hit h : index.search(RecordIndex.address(new RecordAddress(number, ordinal)))) {
                out.add(new RecordSets.Pending(number, ordinal, h.location()));
            }
        }
        return out;
    }

    private boolean stillActive(String upload) {
        return sets.byUpload(upload).filter(s -> s.state() == RecordStore.SetState.ACTIVE).isPresent();
    }

    /** The set was withdrawn or shredded under the copy: the copy goes, then the old rows. */
    private Outcome gone(long number, String upload) {
        discardCopy(number, upload);
        sets.update("UPDATE record_set SET migration_no = NULL WHERE upload_id = ? AND dataset_no IS NULL", upload);
        legacy.deleteRows(upload);
        return Outcome.GONE;
    }

    /** Index entries (committed), part files and id rows written under a number no set shows. */
    private void discardCopy(long number, String upload) {
        index.deleteAndCommit(RecordIndex.dataset(number), upload);
        try {
            parts.delete(number);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear an interrupted migration of upload " + upload, e);
        }
        sets.update("DELETE FROM legacy_record_id WHERE dataset_no = ?", number);
        sets.update("DELETE FROM record_tombstone WHERE dataset_no = ?", number); // only a switch writes them
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


    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
