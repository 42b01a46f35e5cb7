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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(RecordStore.class);
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

    public RecordStore(Database db, MasterKey master, CampaignKeyStore keys, BlindIndex index, Clock clock) {
        this.db = db;
        this.sets = new RecordSets(db);
        this.keys = keys;
        this.index = index;
        this.clock = clock;
        this.ids = new RecordIds(master);
        Path root = db.location().getParent().resolve("records");
        try {
            this.parts = new RecordParts(root.resolve("parts"));
            this.recordIndex = new RecordIndex(root.resolve("index"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the record store in " + root, e);
        }
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

        /**
         * The record's blind-index entries, for {@link #add(CallRecord, BlindIndex.Entries)}: a caller that
         * also needs the phone's (the dialer list's block-list check) computes them once.
         */
        public BlindIndex.Entries indexOf(CallRecord r) {
            return index.of(r);
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

    /**
     * Is the upload's set published with none of its records erased since it was staged? Then a dialer list
     * written while staging still holds exactly the records a rendering from the store would.
     */
    public boolean isActiveAndWhole(String uploadId) {
        return sets.byUpload(uploadId).filter(s -> s.state() == SetState.ACTIVE && !s.purged() && s.dataset() > 0)
                .map(s -> sets.tombstones(s.dataset()).isEmpty()).orElse(false);
    }

    /** STAGED, ACTIVE, DELETED, or empty if the upload never stored records. */
    public Optional<SetState> state(String uploadId) {
        return sets.byUpload(uploadId).map(RecordSets.SetRow::state);
    }

    // ---------------------------------------------------------------- reading

    /**
     * The published records of an upload in row order, decrypted lazily a segment at a time; erased records
     * are skipped. Empty if the upload is not published. Close the stream if you stop early.
     */
    public Stream<StoredRecord> activeRecords(String uploadId) {
        Optional<RecordSets.SetRow> found = sets.byUpload(uploadId).filter(s -> s.state() == SetState.ACTIVE);
        if (found.isEmpty()) {
            return Stream.empty();
        }
        RecordSets.SetRow set = found.get();
        DataKey key;
        try {
            key = keys.forCampaign(set.campaign());
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            return Stream.empty(); // a shredded campaign's records are gone, whatever the files still hold
        }
        Set<Long> erased = sets.tombstones(set.dataset());
        RecordParts.Cursor cursor = parts.cursor(set.dataset(), set.campaign(), uploadId, key, set.parts());
        Iterable<RecordParts.Entry> entries = () -> cursor;
        return StreamSupport.stream(entries.spliterator(), false)
                .filter(e -> e.ordinal() >= 0 && !erased.contains(e.ordinal()))
                .map(e -> stored(set, key, e))
                .onClose(cursor::close);
    }

    private StoredRecord stored(RecordSets.SetRow set, DataKey key, RecordParts.Entry e) {
        try {
            CallRecord r = RecordCipher.deserialise(e.rowNumber(), e.plain());
            return new StoredRecord(publicId(set, new RecordAddress(set.dataset(), e.ordinal())), set.campaign(),
                    set.uploadId(), r, set.createdAt());
        } finally {
            Arrays.fill(e.plain(), (byte) 0);
        }
    }

    /** Published records with this phone, in every campaign. */
    public List<StoredRecord> findByPhone(PhoneNumber phone) {
        return activeHits(RecordIndex.exact(RecordIndex.PHONE, index.phone(phone)));
    }

    /** Published records with this email (trimmed, case-insensitive), in every campaign. */
    public List<StoredRecord> findByEmail(String email) {
        return activeHits(RecordIndex.exact(RecordIndex.EMAIL, index.email(email)));
    }

    /** Published records with this name and postal code (case, spacing and Unicode form ignored). */
    public List<StoredRecord> findByNamePostal(String firstName, String lastName, String postalCode) {
        return activeHits(RecordIndex.exact(RecordIndex.NAME_POSTAL, index.namePostal(firstName, lastName, postalCode)));
    }

    /**
     * Records in any set state (not erased, not purged) whose blind index of this kind ({@code phone},
     * {@code email}, {@code name_address}) equals the hash: a data-subject erasure re-runs its search so.
     */
    public List<RecordRef> refsByIndex(String kind, byte[] hash) {
        String field = switch (kind) {
            case "phone" -> RecordIndex.PHONE;
            case "email" -> RecordIndex.EMAIL;
            case "name_address" -> RecordIndex.NAME_POSTAL;
            default -> throw new IllegalArgumentException("unknown criteria kind");
        };
        List<RecordRef> out = new ArrayList<>();
        for (Resolved r : resolve(recordIndex.search(RecordIndex.exact(field, hash)), null)) {
            out.add(new RecordRef(publicId(r.set(), r.hit().address()), r.set().campaign(), r.set().uploadId()));
        }
        return out;
    }

    /** Is this record still stored (any set state, not erased)? */
    public boolean isStored(String recordId) {
        return byId(recordId, null).isPresent();
    }

    /**
     * Published records by id (a data-subject erasure reads the phones to block before deleting). Ids of
     * records that are gone or not published are skipped.
     */
    public List<StoredRecord> findByIds(Collection<String> recordIds) {
        List<StoredRecord> out = new ArrayList<>();
        for (String id : recordIds) {
            byId(id, SetState.ACTIVE).ifPresent(r -> read(r).ifPresent(out::add));
        }
        return out;
    }

    /**
     * Does the record carry this first and last name? For the DSAR identity rule (a name must match what
     * was found by phone or email); a name alone is never a search key, so there is no findByName.
     */
    public boolean nameMatches(String recordId, String firstName, String lastName) {
        byte[] h = index.name(firstName, lastName);
        return byId(recordId, null).map(r -> Arrays.equals(r.hit().name(), h)).orElse(false);
    }

    /**
     * The published record with this id, if it belongs to this campaign. A record of another campaign is
     * "not found" as much as an unknown id, so a results file cannot probe other campaigns.
     */
    public Optional<StoredRecord> findInCampaign(String recordId, String campaign) {
        return byId(recordId, SetState.ACTIVE).filter(r -> r.set().campaign().equals(campaign)).flatMap(this::read);
    }

    /** Published records of a campaign. */
    public long count(String campaign) {
        return sets.where("campaign = ? AND state = 'ACTIVE'", campaign).stream()
                .mapToLong(RecordSets.SetRow::count).sum();
    }

    /**
     * What is physically left of a campaign's records in any state: index documents plus part files of its
     * sets. Zero after a shredding or a withdrawal has finished (tests and the lifecycle invariants).
     */
    public long storedRecords(String campaign) {
        long n = 0;
        for (RecordSets.SetRow set : sets.where("campaign = ?", campaign)) {
            if (set.dataset() > 0) {
                n += recordIndex.count(RecordIndex.dataset(set.dataset()));
                java.io.File[] files = parts.dir(set.dataset()).toFile().listFiles();
                n += files == null ? 0 : files.length;
            }
        }
        return n;
    }

    /** Records of the upload still stored (any set state; erased ones not counted). */
    public long liveCount(String uploadId) {
        return sets.byUpload(uploadId).filter(s -> !s.purged()).map(RecordSets.SetRow::count).orElse(0L);
    }

    /** Ids of the upload's stored, not erased records with one of these phone hashes (block-list joins). */
    public List<String> idsWithPhones(String uploadId, List<byte[]> phoneHashes) {
        Optional<RecordSets.SetRow> set = sets.byUpload(uploadId).filter(s -> s.dataset() > 0 && !s.purged());
        if (set.isEmpty() || phoneHashes.isEmpty()) {
            return List.of();
        }
        Set<Long> erased = sets.tombstones(set.get().dataset());
        return recordIndex.search(RecordIndex.phonesInDataset(set.get().dataset(), phoneHashes)).stream()
                .filter(h -> !erased.contains(h.address().ordinal()))
                .map(h -> publicId(set.get(), h.address())).toList();
    }

    // ---------------------------------------------------------------- internals of reading

    private record Resolved(RecordIndex.Hit hit, RecordSets.SetRow set) {
    }

    /** Published records among the hits, decrypted, oldest set first. */
    private List<StoredRecord> activeHits(Query query) {
        List<StoredRecord> out = new ArrayList<>();
        for (Resolved r : resolve(recordIndex.search(query), SetState.ACTIVE)) {
            read(r).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(StoredRecord::createdAt).thenComparing(StoredRecord::recordId));
        return out;
    }

    /**
     * Keeps the hits whose set is in this state (any live state if null) and that are not erased: the
     * HSQLDB rows decide, whatever the index still holds.
     */
    private List<Resolved> resolve(List<RecordIndex.Hit> hits, SetState wanted) {
        Map<Long, Optional<RecordSets.SetRow>> setCache = new HashMap<>();
        Map<Long, Set<Long>> erasedCache = new HashMap<>();
        List<Resolved> out = new ArrayList<>();
        for (RecordIndex.Hit h : hits) {
            long ds = h.address().dataset();
            Optional<RecordSets.SetRow> set = setCache.computeIfAbsent(ds, sets::byDataset);
            if (set.isEmpty() || set.get().purged() || (wanted != null && set.get().state() != wanted)) {
                continue;
            }
            if (erasedCache.computeIfAbsent(ds, sets::tombstones).contains(h.address().ordinal())) {
                continue;
            }
            out.add(new Resolved(h, set.get()));
        }
        return out;
    }

    /** The id the dialer and results see: the encrypted address, or for a migrated set its pre-V15 id. */
    private String publicId(RecordSets.SetRow set, RecordAddress a) {
        return set.legacyIds() ? sets.legacyId(a).orElseThrow(() -> new StoreException("migrated record "
                + a.ordinal() + " of set " + a.dataset() + " has no id")) : ids.id(a);
    }

    private Optional<Resolved> byId(String recordId, SetState wanted) {
        Optional<RecordAddress> address = ids.address(recordId).or(() -> sets.legacyAddress(recordId));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        List<Resolved> r = resolve(recordIndex.search(RecordIndex.address(address.get())), wanted);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Decrypts a resolved hit; empty if its campaign was shredded meanwhile. */
    private Optional<StoredRecord> read(Resolved r) {
        DataKey key;
        try {
            key = keys.forCampaign(r.set().campaign());
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            log.debug("a record of shredded campaign skipped");
            return Optional.empty();
        }
        RecordParts.Entry e = parts.read(r.set().dataset(), r.set().campaign(), r.set().uploadId(), key,
                r.hit().location(), r.hit().address().ordinal());
        return Optional.of(stored(r.set(), key, e));
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
        List<RecordSets.Pending> targets = new ArrayList<>();
        for (String id : recordIds) {
            byId(id, null).ifPresent(r -> targets.add(new RecordSets.Pending(r.hit().address().dataset(),
                    r.hit().address().ordinal(), r.hit().location())));
        }
        if (targets.isEmpty()) {
            return 0;
        }
        int erased = sets.erase(targets, now());
        deleteIndexEntries(targets);
        return erased;
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
     * Moves records stored before V15 into the part files and the index ({@link RecordMigration}); run at
     * start, before anything reads. Resumable: a kill at any point loses and doubles nothing.
     *
     * @return records moved by this call
     */
    public long migrateLegacy() {
        return new RecordMigration(db, sets, parts, recordIndex, keys).run();
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
        recordIndex.close();
    }
}
