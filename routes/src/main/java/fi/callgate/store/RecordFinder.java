package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.store.RecordStore.RecordRef;
import fi.callgate.store.RecordStore.SetState;
import fi.callgate.store.RecordStore.StoredRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the record store: DSAR searches, record ids resolved to records (results join, DSAR
 * erasure), block-list joins, an upload's records in row order (dialer lists). Reads both layouts while
 * {@link RecordMigration} moves old records in the background: each set is read from the layout HSQLDB
 * says holds it at that moment ({@link LegacyRecords} explains the rule and its lock), so every record is
 * seen exactly once.
 */
final class RecordFinder {
    private static final Logger log = LoggerFactory.getLogger(RecordFinder.class);
    static final int PAGE = 1000;

    private final RecordSets sets;
    private final RecordParts parts;
    private final RecordIndex recordIndex;
    private final RecordIds ids;
    private final CampaignKeyStore keys;
    private final LegacyRecords legacy;

    RecordFinder(RecordSets sets, RecordParts parts, RecordIndex recordIndex, RecordIds ids, CampaignKeyStore keys,
                 LegacyRecords legacy) {
        this.sets = sets;
        this.parts = parts;
        this.recordIndex = recordIndex;
        this.ids = ids;
        this.keys = keys;
        this.legacy = legacy;
    }

    /** Where a record found by id lives now: in the new layout (with its index hit) or as an old row. */
    record Located(Optional<Resolved> moved, Optional<LegacyRecords.Row> old) {
    }

    record Resolved(RecordIndex.Hit hit, RecordSets.SetRow set) {
    }

    // ---------------------------------------------------------------- an upload in row order

    /**
     * The published records of an upload in row order, decrypted lazily; erased records are skipped. A set
     * still in the old layout is read a page at a time, its layout checked per page: if it moved meanwhile,
     * the stream carries on in the part files after the last row it returned.
     */
    Stream<StoredRecord> activeRecords(String uploadId) {
        return legacy.reading(() -> {
            Optional<RecordSets.SetRow> found = sets.byUpload(uploadId).filter(s -> s.state() == SetState.ACTIVE);
            if (found.isEmpty()) {
                return Stream.<StoredRecord>empty();
            }
            if (found.get().dataset() > 0) {
                return fromParts(found.get(), Long.MIN_VALUE);
            }
            OldThenMoved pages = new OldThenMoved(uploadId);
            return StreamSupport.stream(pages, false).onClose(pages::close);
        });
    }

    /** The set's records from its part files, those after a row number only. */
    private Stream<StoredRecord> fromParts(RecordSets.SetRow set, long afterRow) {
        DataKey key;
        try {
            key = keys.forCampaign(set.campaign());
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            return Stream.empty(); // a shredded campaign's records are gone, whatever the files still hold
        }
        Set<Long> erased = sets.tombstones(set.dataset());
        RecordParts.Cursor cursor = parts.cursor(set.dataset(), set.campaign(), set.uploadId(), key, set.parts());
        Iterable<RecordParts.Entry> entries = () -> cursor;
        return StreamSupport.stream(entries.spliterator(), false)
                .filter(e -> e.ordinal() >= 0 && !erased.contains(e.ordinal()) && e.rowNumber() > afterRow)
                .map(e -> stored(set, key, e))
                .onClose(cursor::close);
    }

    /** An old-layout set read page by page, continued from the part files if it moves mid-way. */
    private final class OldThenMoved extends Spliterators.AbstractSpliterator<StoredRecord> {
        private final String uploadId;
        private final Deque<StoredRecord> page = new ArrayDeque<>(PAGE);
        private long after = Long.MIN_VALUE;
        private boolean exhausted;
        private Iterator<StoredRecord> moved;
        private Stream<StoredRecord> movedStream;

        OldThenMoved(String uploadId) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.uploadId = uploadId;
        }

        @Override
        public boolean tryAdvance(Consumer<? super StoredRecord> action) {
            if (moved != null) {
                if (!moved.hasNext()) {
                    return false;
                }
                action.accept(moved.next());
                return true;
            }
            if (page.isEmpty() && !exhausted) {
                legacy.reading(this::fill);
                if (moved != null) {
                    return tryAdvance(action);
                }
            }
            StoredRecord next = page.poll();
            if (next == null) {
                return false;
            }
            after = next.record().rowNumber();
            action.accept(next);
            return true;
        }

        private Void fill() {
            Optional<RecordSets.SetRow> set = sets.byUpload(uploadId);
            if (set.isEmpty() || set.get().state() != SetState.ACTIVE) {
                exhausted = true;
                return null;
            }
            if (set.get().dataset() > 0) {
                // Moved since the last page: the rest, from the part files (closed with this stream).
                movedStream = fromParts(set.get(), after);
                moved = movedStream.iterator();
                return null;
            }
            List<LegacyRecords.Row> rows = legacy.page(uploadId, after, PAGE);
            Optional<DataKey> key = key(set.get().campaign());
            if (key.isEmpty()) {
                exhausted = true;
                return null;
            }
            for (LegacyRecords.Row r : rows) {
                page.add(open(key.get(), r));
            }
            exhausted = rows.size() < PAGE;
            return null;
        }

        void close() {
            if (movedStream != null) {
                movedStream.close();
            }
        }
    }

    // ---------------------------------------------------------------- searches

    /** Published records with this blind-index hash, from both layouts, oldest set first. */
    List<StoredRecord> active(String field, String column, byte[] hash) {
        return legacy.reading(() -> {
            List<StoredRecord> out = new ArrayList<>();
            for (Resolved r : resolve(recordIndex.search(RecordIndex.exact(field, hash)), SetState.ACTIVE)) {
                read(r).ifPresent(out::add);
            }
            for (LegacyRecords.Row r : legacy.byIndex(column, hash)) {
                if (r.state() == SetState.ACTIVE) {
                    key(r.campaign()).ifPresent(k -> out.add(open(k, r)));
                }
            }
            out.sort(Comparator.comparing(StoredRecord::createdAt).thenComparing(StoredRecord::recordId));
            return out;
        });
    }

    /** Records in any set state (not erased, not purged) with this hash, from both layouts. */
    List<RecordRef> refs(String field, String column, byte[] hash) {
        return legacy.reading(() -> {
            List<RecordRef> out = new ArrayList<>();
            for (Resolved r : resolve(recordIndex.search(RecordIndex.exact(field, hash)), null)) {
                out.add(new RecordRef(publicId(r.set(), r.hit().address()), r.set().campaign(), r.set().uploadId()));
            }
            for (LegacyRecords.Row r : legacy.byIndex(column, hash)) {
                out.add(new RecordRef(r.recordId(), r.campaign(), r.uploadId()));
            }
            return out;
        });
    }

    /** Where this id's record lives now (any live set state), in whichever layout. */
    Located locate(String recordId) {
        return legacy.reading(() -> {
            Optional<LegacyRecords.Row> old = legacy.byId(recordId);
            if (old.isPresent()) {
                return new Located(Optional.empty(), old);
            }
            return new Located(byId(recordId, null), Optional.empty());
        });
    }

    boolean isStored(String recordId) {
        Located l = locate(recordId);
        return l.moved().isPresent() || l.old().isPresent();
    }

    List<StoredRecord> findByIds(Collection<String> recordIds) {
        List<StoredRecord> out = new ArrayList<>();
        for (String id : recordIds) {
            activeById(id).ifPresent(out::add);
        }
        return out;
    }

    boolean nameMatches(String recordId, byte[] nameHash) {
        Located l = locate(recordId);
        return l.moved().map(r -> Arrays.equals(r.hit().name(), nameHash))
                .or(() -> l.old().map(r -> Arrays.equals(r.nameHash(), nameHash))).orElse(false);
    }

    Optional<StoredRecord> findInCampaign(String recordId, String campaign) {
        return activeById(recordId).filter(r -> r.campaign().equals(campaign));
    }

    /** The published record with this id, decrypted, from whichever layout holds it. */
    private Optional<StoredRecord> activeById(String recordId) {
        return legacy.reading(() -> {
            Optional<LegacyRecords.Row> old = legacy.byId(recordId);
            if (old.isPresent()) {
                LegacyRecords.Row r = old.get();
                return r.state() == SetState.ACTIVE ? key(r.campaign()).map(k -> open(k, r)) : Optional.empty();
            }
            return byId(recordId, SetState.ACTIVE).flatMap(this::read);
        });
    }

    /** Published records of a campaign. */
    long count(String campaign) {
        return legacy.reading(() -> sets.where("campaign = ? AND state = 'ACTIVE'", campaign).stream()
                .mapToLong(this::live).sum());
    }

    /** Records of the upload still stored (any set state; erased ones not counted). */
    long liveCount(String uploadId) {
        return legacy.reading(() -> sets.byUpload(uploadId).filter(s -> !s.purged()).map(this::live).orElse(0L));
    }

    /**
     * A set's live records: its count for a moved set; for an old one its rows (before V15 an erasure deleted
     * rows without lowering the count).
     */
    private long live(RecordSets.SetRow set) {
        return set.dataset() > 0 ? set.count() : legacy.count(set.uploadId());
    }

    /**
     * What is physically left of a campaign's records in any state: index documents, part files and old rows
     * of its sets. Zero after a shredding or a withdrawal has finished.
     */
    long storedRecords(String campaign) {
        return legacy.reading(() -> {
            long n = 0;
            for (RecordSets.SetRow set : sets.where("campaign = ?", campaign)) {
                n += legacy.count(set.uploadId());
                if (set.dataset() > 0) {
                    n += recordIndex.count(RecordIndex.dataset(set.dataset()));
                    java.io.File[] files = parts.dir(set.dataset()).toFile().listFiles();
                    n += files == null ? 0 : files.length;
                }
            }
            return n;
        });
    }

    /** Ids of the upload's stored, not erased records with one of these phone hashes (block-list joins). */
    List<String> idsWithPhones(String uploadId, List<byte[]> phoneHashes) {
        if (phoneHashes.isEmpty()) {
            return List.of();
        }
        return legacy.reading(() -> {
            Optional<RecordSets.SetRow> found = sets.byUpload(uploadId).filter(s -> !s.purged());
            if (found.isEmpty()) {
                return List.<String>of();
            }
            RecordSets.SetRow set = found.get();
            if (set.dataset() <= 0) {
                return legacy.idsWithPhones(uploadId, phoneHashes);
            }
            Set<Long> erased = sets.tombstones(set.dataset());
            return recordIndex.search(RecordIndex.phonesInDataset(set.dataset(), phoneHashes)).stream()
                    .filter(h -> !erased.contains(h.address().ordinal()))
                    .map(h -> publicId(set, h.address())).toList();
        });
    }

    // ---------------------------------------------------------------- internals

    /**
     * Keeps the hits whose set is in this state (any live state if null) and that are not erased: the
     * HSQLDB rows decide, whatever the index still holds (a move in progress writes under a number no set
     * carries yet).
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

    /** The id the dialer and results see: the encrypted address, or for a moved set its pre-V15 id. */
    String publicId(RecordSets.SetRow set, RecordAddress a) {
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
        Optional<DataKey> key = key(r.set().campaign());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        RecordParts.Entry e = parts.read(r.set().dataset(), r.set().campaign(), r.set().uploadId(), key.get(),
                r.hit().location(), r.hit().address().ordinal());
        return Optional.of(stored(r.set(), key.get(), e));
    }

    StoredRecord stored(RecordSets.SetRow set, DataKey key, RecordParts.Entry e) {
        try {
            CallRecord r = RecordCipher.deserialise(e.rowNumber(), e.plain());
            return new StoredRecord(publicId(set, new RecordAddress(set.dataset(), e.ordinal())), set.campaign(),
                    set.uploadId(), r, set.createdAt());
        } finally {
            Arrays.fill(e.plain(), (byte) 0);
        }
    }

    private static StoredRecord open(DataKey key, LegacyRecords.Row r) {
        CallRecord rec = RecordCipher.open(key, r.campaign(), r.recordId(), r.rowNumber(), r.payload());
        return new StoredRecord(r.recordId(), r.campaign(), r.uploadId(), rec, r.createdAt());
    }

    private Optional<DataKey> key(String campaign) {
        try {
            return Optional.of(keys.forCampaign(campaign));
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            log.debug("a record of shredded campaign skipped");
            return Optional.empty();
        }
    }
}
