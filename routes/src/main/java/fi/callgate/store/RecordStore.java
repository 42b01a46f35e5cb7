package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The accepted records of call lists. Three stores, each doing what it is good at:
 * <ul>
 *   <li>the records themselves, in row order, in sealed part files under the campaign key
 *       ({@link RecordParts}, {@code data-dir/records/parts});</li>
 *   <li>their blind indexes in one Lucene index ({@link RecordIndex}, {@code data-dir/records/index});</li>
 *   <li>in HSQLDB, the record sets whose state alone decides visibility, and tombstones of erased
 *       records ({@link RecordSets}).</li>
 * </ul>
 * A record is addressed by (set number, ordinal); its public id is that address encrypted ({@link RecordIds}).
 *
 * <h2>Exactly once across the three</h2>
 * {@link #stage} creates the set STAGED in HSQLDB first (so a crash at any later point leaves a row saying
 * "discard me"); {@link Staging#finish} forces the parts to disk, commits the Lucene index with the upload
 * id in its commit data, then records count and parts in HSQLDB; {@link #publish} makes the set ACTIVE in
 * one statement. A STAGED set is invisible whatever the part files and index hold, and {@link #discardStaged}
 * (run by the validate stage before staging again) removes its index entries and parts — a kill between any
 * two of the commits never shows half a list and never duplicates one.
 *
 * <h2>Memory</h2>
 * Nothing here grows with a list: parts are written and read a 64 KiB segment at a time, the index writer
 * has a fixed RAM buffer, and a search holds only its hits.
 */
public final class RecordStore implements AutoCloseable {
    /** How often the gateway runs {@link #purgeErased}: erased bytes are gone from the disk within this. */
    public static final java.time.Duration PURGE_PERIOD = java.time.Duration.ofMinutes(1);

    private final Database db;
    private final RecordSets sets;
    private final RecordParts parts;
    private final RecordIndex recordIndex;
    private final RecordIds ids;
    private final CampaignKeyStore keys;
    private final BlindIndex index;
    private final Clock clock;
    private final LegacyRecords legacy;
    private final RecordFinder finder;
    private final RecordMigration migration;

    public RecordStore(Database db, MasterKey master, CampaignKeyStore keys, BlindIndex index, Clock clock) {
        this.db = db;
        this.sets = new RecordSets(db);
        this.keys = keys;
        this.index = index;
        this.clock = clock;
        this.ids = new RecordIds(master);
        this.legacy = new LegacyRecords(db);
        Path root = db.location().getParent().resolve("records");
        try {
            this.parts = new RecordParts(root.resolve("parts"));
            this.recordIndex = new RecordIndex(root.resolve("index"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the record store in " + root, e);
        }
        this.finder = new RecordFinder(sets, parts, recordIndex, ids, keys, legacy);
        this.migration = new RecordMigration(db, sets, parts, recordIndex, keys, legacy);
    }

    /** A decrypted record with where it lives. */
    public record StoredRecord(String recordId, String campaign, String uploadId, CallRecord record,
                               Instant createdAt) {
        @Override
        public String toString() {
            return "StoredRecord[" + recordId + ", " + campaign + ", " + uploadId + "]";
        }
    }

    /** A record by id and set, without its contents (DSAR bookkeeping). */
    public record RecordRef(String recordId, String campaign, String uploadId) {
    }

    /** The state of an upload's record set: STAGED, ACTIVE or DELETED. */
    public enum SetState { STAGED, ACTIVE, DELETED }

    // ---------------------------------------------------------------- writing

    /**
     * Starts storing the records of one upload, invisible until {@link #publish}. Refuses an upload that
     * already has a record set (staged: discard it first; active or deleted: it was processed already) and
     * a campaign whose key was destroyed.
     */
    public Staging stage(String uploadId, String campaign) {
        DataKey key = keys.forCampaign(campaign);
        RecordSets.SetRow set = sets.create(uploadId, campaign, now());
        try {
            return new Staging(set, parts.writer(set.dataset(), campaign, uploadId, key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start storing upload " + uploadId, e);
        }
    }

    /**
     * Writes one upload's records. Not thread-safe: one writer per upload. Call {@link #finish} when every
     * record is added, then {@link RecordStore#publish}; {@link #close} without finish leaves a STAGED
     * (invisible) set for {@link RecordStore#discardStaged}.
     */
    public final class Staging implements AutoCloseable {
        private final RecordSets.SetRow set;
        private final RecordParts.Writer writer;
        private long count;
        private int partCount = -1;
        private boolean indexCommitted;
        private boolean finished;

        private Staging(RecordSets.SetRow set, RecordParts.Writer writer) {
            this.set = set;
            this.writer = writer;
        }

        /** Writes one record and its index entry; returns its record id. */
        public String add(CallRecord r) {
            return add(r, index.of(r));
        }

        /** As {@link #add(CallRecord)}, with the blind-index entries the caller already computed. */
        public String add(CallRecord r, BlindIndex.Entries idx) {
            if (finished) {
                throw new IllegalStateException("staging of upload " + set.uploadId() + " is finished");
            }
            RecordAddress address = new RecordAddress(set.dataset(), count);
            byte[] plain = RecordCipher.serialise(r);
            long location;
            try {
                location = writer.append(count, r.rowNumber(), plain);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store a record of upload " + set.uploadId(), e);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            recordIndex.add(new RecordIndex.Entry(address, location, idx.phone(), idx.email(), idx.namePostal(),
                    idx.name()));
            count++;
            return ids.id(address);
        }

        /** Records added so far. */
        public long count() {
            return count;
        }

        /**
         * The first two commits and the count: {@link #forceParts}, {@link #commitIndex}, {@link #recordCount}.
         */
        public long finish() {
            forceParts();
            commitIndex();
            return recordCount();
        }

        /** Commit 1 of 3: the last segment sealed, every part and the directory forced to disk. */
        public void forceParts() {
            try {
                partCount = writer.finish();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish the parts of upload " + set.uploadId(), e);
            }
        }

        /** Commit 2 of 3: the index, with the upload id in the commit data. */
        public void commitIndex() {
            if (partCount < 0) {
                throw new IllegalStateException("parts of upload " + set.uploadId() + " not forced yet");
            }
            recordIndex.commit(set.uploadId());
            indexCommitted = true;
        }

        /** Commit 3 of 3: count and parts on the (still STAGED) set in HSQLDB. */
        public long recordCount() {
            if (!indexCommitted) {
                throw new IllegalStateException("index of upload " + set.uploadId() + " not committed yet");
            }
            sets.finishStaging(set.uploadId(), count, partCount);
            finished = true;
            return count;
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    /**
     * Makes every record of the upload visible at once (the last commit: one statement). Idempotent:
     * publishing an active set again returns its count.
     *
     * @return the number of records published
     */
    public long publish(String uploadId) {
        sets.update("UPDATE record_set SET state = 'ACTIVE', published_at = ? WHERE upload_id = ? AND state = 'STAGED'",
                now(), uploadId);
        RecordSets.SetRow set = sets.byUpload(uploadId).filter(s -> s.state() == SetState.ACTIVE)
                .orElseThrow(() -> new IllegalStateException("upload " + uploadId + " has no staged records to publish"));
        recordIndex.refresh();
        return set.count();
    }

    /**
     * Removes the records of an upload that was never published (restart after a crash mid-staging), so it
     * can be staged again: index entries (committed at once), part files, then the set row. Refuses a
     * published upload: that is {@link #deleteByUpload}.
     *
     * @return the number of staged records removed
     */
    public long discardStaged(String uploadId) {
        Optional<RecordSets.SetRow> found = sets.byUpload(uploadId);
        if (found.isEmpty()) {
            return 0;
        }
        RecordSets.SetRow set = found.get();
        if (set.state() != SetState.STAGED) {
            throw new IllegalStateException("upload " + uploadId + " is " + set.state() + ", not staged");
        }
        removeFiles(set);
        sets.update("DELETE FROM record_set WHERE upload_id = ? AND state = 'STAGED'", uploadId);
        return set.count();
    }

    /** STAGED, ACTIVE, DELETED, or empty if the upload never stored records. */
    public Optional<SetState> state(String uploadId) {
        return sets.byUpload(uploadId).map(RecordSets.SetRow::state);
    }

    // ---------------------------------------------------------------- reading (RecordFinder: both layouts)

    /**
     * The published records of an upload in row order, decrypted lazily a segment (or, for a set still in
     * the pre-V15 layout, a page) at a time; erased records are skipped. Empty if the upload is not
     * published. Close the stream if you stop early.
     */
    public Stream<StoredRecord> activeRecords(String uploadId) {
        return finder.activeRecords(uploadId);
    }

    /** Published records with this phone, in every campaign. */
    public List<StoredRecord> findByPhone(PhoneNumber phone) {
        return finder.active(RecordIndex.PHONE, "phone_idx", index.phone(phone));
    }

    /** Published records with this email (trimmed, case-insensitive), in every campaign. */
    public List<StoredRecord> findByEmail(String email) {
        return finder.active(RecordIndex.EMAIL, "email_idx", index.email(email));
    }

    /** Published records with this name and postal code (case, spacing and Unicode form ignored). */
    public List<StoredRecord> findByNamePostal(String firstName, String lastName, String postalCode) {
        return finder.active(RecordIndex.NAME_POSTAL, "name_postal_idx",
                index.namePostal(firstName, lastName, postalCode));
    }

    /**
     * Records in any set state (not erased, not purged) whose blind index of this kind ({@code phone},
     * {@code email}, {@code name_address}) equals the hash: a data-subject erasure re-runs its search so.
     */
    public List<RecordRef> refsByIndex(String kind, byte[] hash) {
        return switch (kind) {
            case "phone" -> finder.refs(RecordIndex.PHONE, "phone_idx", hash);
            case "email" -> finder.refs(RecordIndex.EMAIL, "email_idx", hash);
            case "name_address" -> finder.refs(RecordIndex.NAME_POSTAL, "name_postal_idx", hash);
            default -> throw new IllegalArgumentException("unknown criteria kind");
        };
    }

    /** Is this record still stored (any set state, not erased)? */
    public boolean isStored(String recordId) {
        return finder.isStored(recordId);
    }

    /**
     * Published records by id (a data-subject erasure reads the phones to block before deleting). Ids of
     * records that are gone or not published are skipped.
     */
    public List<StoredRecord> findByIds(Collection<String> recordIds) {
        return finder.findByIds(recordIds);
    }

    /**
     * Does the record carry this first and last name? For the DSAR identity rule (a name must match what
     * was found by phone or email); a name alone is never a search key, so there is no findByName.
     */
    public boolean nameMatches(String recordId, String firstName, String lastName) {
        return finder.nameMatches(recordId, index.name(firstName, lastName));
    }

    /**
     * The published record with this id, if it belongs to this campaign. A record of another campaign is
     * "not found" as much as an unknown id, so a results file cannot probe other campaigns.
     */
    public Optional<StoredRecord> findInCampaign(String recordId, String campaign) {
        return finder.findInCampaign(recordId, campaign);
    }

    /** Published records of a campaign. */
    public long count(String campaign) {
        return finder.count(campaign);
    }

    /**
     * What is physically left of a campaign's records in any state: index documents, part files and pre-V15
     * rows of its sets. Zero after a shredding or a withdrawal has finished (tests and the lifecycle
     * invariants).
     */
    public long storedRecords(String campaign) {
        return finder.storedRecords(campaign);
    }

    /** Records of the upload still stored (any set state; erased ones not counted). */
    public long liveCount(String uploadId) {
        return finder.liveCount(uploadId);
    }

    /** Ids of the upload's stored, not erased records with one of these phone hashes (block-list joins). */
    public List<String> idsWithPhones(String uploadId, List<byte[]> phoneHashes) {
        return finder.idsWithPhones(uploadId, phoneHashes);
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Deletes every record of an upload, whatever its state. The set becomes invisible at once (DELETED in
     * HSQLDB) and stays as a tombstone so the upload can never be stored again; then its index entries go
     * (committed) and its part files are shredded. Idempotent.
     *
     * @return records deleted by this call
     */
    public long deleteByUpload(String uploadId) {
        sets.update("UPDATE record_set SET state = 'DELETED', deleted_at = COALESCE(deleted_at, ?) WHERE upload_id = ?",
                now(), uploadId);
        return sets.byUpload(uploadId).map(this::purgeSet).orElse(0L);
    }

    /** Deletes every record of a campaign (all its uploads, whatever their state). Idempotent. */
    public long deleteByCampaign(String campaign) {
        sets.update("UPDATE record_set SET state = 'DELETED', deleted_at = COALESCE(deleted_at, ?) WHERE campaign = ?",
                now(), campaign);
        long total = 0;
        for (RecordSets.SetRow set : sets.where("campaign = ?", campaign)) {
            total += purgeSet(set);
        }
        return total;
    }

    /**
     * Erases individual records (a data-subject erasure): tombstones and counts in one HSQLDB transaction
     * (invisible from then on), the index entries deleted and committed at once; {@link #purgeErased}
     * later rewrites the parts without them.
     *
     * @return how many were erased by this call
     */
    public int deleteRecords(List<String> recordIds) {
        // Under the layout lock: a record of a set not yet moved is erased as an old row, and the set cannot
        // switch layout between finding it there and deleting it (RecordMigration then redoes the set).
        return legacy.reading(() -> {
            List<RecordSets.Pending> targets = new ArrayList<>();
            List<String> old = new ArrayList<>();
            for (String id : recordIds) {
                RecordFinder.Located l = finder.locate(id);
                l.old().ifPresent(r -> old.add(r.recordId()));
                l.moved().ifPresent(r -> targets.add(new RecordSets.Pending(r.hit().address().dataset(),
                        r.hit().address().ordinal(), r.hit().location())));
            }
            int erased = legacy.erase(old);
            if (!targets.isEmpty()) {
                erased += sets.erase(targets, now());
                deleteIndexEntries(targets);
            }
            return erased;
        });
    }

    private void deleteIndexEntries(List<RecordSets.Pending> targets) {
        recordIndex.deleteAndCommit(ErasurePurge.addresses(targets), "erase");
    }

    /**
     * The batched purge of erased records ({@link ErasurePurge}). Run at start and by a timer.
     *
     * @return tombstones purged
     */
    public synchronized int purgeErased() {
        return new ErasurePurge(sets, parts, recordIndex, keys).run(now());
    }

    /** When the oldest erasure still waiting for {@link #purgeErased} was made, if one is waiting. */
    public Optional<Instant> oldestUnpurgedErasure() {
        return sets.oldestUnpurged();
    }

    /**
     * Finishes deletions a crash interrupted (DELETED sets whose files or index entries may remain) and
     * erasures not yet purged. Run at start.
     */
    public long purgeDeleted() {
        long n = 0;
        for (RecordSets.SetRow set : sets.where("state = 'DELETED' AND purged_at IS NULL")) {
            n += purgeSet(set);
        }
        purgeErased();
        return n;
    }

    /** Index entries (committed), part files, then purged_at: each step idempotent. */
    private long purgeSet(RecordSets.SetRow set) {
        if (set.purged()) {
            return 0;
        }
        removeFiles(set);
        sets.update("UPDATE record_set SET purged_at = ? WHERE upload_id = ?", now(), set.uploadId());
        return set.count();
    }

    private void removeFiles(RecordSets.SetRow set) {
        legacy.deleteRows(set.uploadId()); // a set not yet moved, or a moved one's leftover rows (RecordMigration)
        if (set.dataset() <= 0) {
            return;
        }
        recordIndex.deleteAndCommit(RecordIndex.dataset(set.dataset()), set.uploadId());
        try {
            parts.delete(set.dataset());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the parts of set " + set.dataset(), e);
        }
    }

    /**
     * Moves records stored before V15 into the part files and the index ({@link RecordMigration}), one pass
     * in the caller's thread. Resumable: a kill at any point loses and doubles nothing.
     *
     * @return records moved by this call
     */
    public long migrateLegacy() {
        return migration.run();
    }

    /**
     * Starts moving records stored before V15 in the background, while the gateway serves: reads see every
     * record once, from whichever layout holds it ({@link LegacyRecords}); new uploads are stored in the new
     * layout only. Returns at once; passes wait while {@code mayWrite} is false. Stopped by {@link #close}.
     */
    public void migrateLegacyInBackground(java.util.function.BooleanSupplier mayWrite) {
        migration.startInBackground(mayWrite);
    }

    /** Are records stored before V15 still waiting to be moved (the old tables still there)? */
    public boolean legacyRecordsLeft() {
        return legacy.present();
    }

    /** Where the record files live (for the plaintext scans of the tests). */
    public Path directory() {
        return parts.dir(0).getParent().getParent();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    public void close() throws IOException {
        migration.stop(); // between two pages, before the index it writes to closes
        recordIndex.close();
    }
}
