package fi.callgate.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batched purge of erased records, after their tombstones made them invisible: index entries deleted
 * again (in case a kill fell between the tombstone and the index commit), each affected part rewritten
 * with them zeroed ({@link RecordParts#purge}), the index force-merged so no segment file keeps their
 * hashes; then the tombstones are marked purged. Tombstones of a set still being staged wait until it is
 * published (its parts are being written); those of a set whose files are gone or whose key is destroyed
 * are settled without a rewrite.
 */
final class ErasurePurge {
    private static final Logger log = LoggerFactory.getLogger(ErasurePurge.class);

    private final RecordSets sets;
    private final RecordParts parts;
    private final RecordIndex index;
    private final CampaignKeyStore keys;

    ErasurePurge(RecordSets sets, RecordParts parts, RecordIndex index, CampaignKeyStore keys) {
        this.sets = sets;
        this.parts = parts;
        this.index = index;
        this.keys = keys;
    }

    /** Queries matching the index documents of these records, in chunks under Lucene's clause limit. */
    static Query[] addresses(List<RecordSets.Pending> targets) {
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += 512) {
            BooleanQuery.Builder q = new BooleanQuery.Builder();
            for (RecordSets.Pending p : targets.subList(i, Math.min(targets.size(), i + 512))) {
                q.add(RecordIndex.address(new RecordAddress(p.dataset(), p.ordinal())), BooleanClause.Occur.SHOULD);
            }
            out.add(q.build());
        }
        return out.toArray(new Query[0]);
    }

    /** @return tombstones purged */
    int run(OffsetDateTime now) {
        List<RecordSets.Pending> pending = sets.pendingPurge();
        if (pending.isEmpty()) {
            return 0;
        }
        index.deleteAndCommit(addresses(pending), "erase");
        Map<Long, Map<Integer, Set<Long>>> byPart = new TreeMap<>();
        for (RecordSets.Pending p : pending) {
            byPart.computeIfAbsent(p.dataset(), k -> new TreeMap<>())
                    .computeIfAbsent(RecordParts.partOf(p.location()), k -> new java.util.HashSet<>())
                    .add(RecordParts.offsetOf(p.location()));
        }
        List<RecordSets.Pending> done = new ArrayList<>();
        for (Map.Entry<Long, Map<Integer, Set<Long>>> ds : byPart.entrySet()) {
            Optional<RecordSets.SetRow> set = sets.byDataset(ds.getKey());
            List<RecordSets.Pending> ofSet = pending.stream().filter(p -> p.dataset() == ds.getKey()).toList();
            if (set.isPresent() && set.get().state() == RecordStore.SetState.STAGED) {
                continue; // its parts are still being written: purged once the set is published
            }
            if (set.isPresent() && !set.get().purged() && !keys.isDestroyed(set.get().campaign())) {
                DataKey key = keys.forCampaign(set.get().campaign());
                for (Map.Entry<Integer, Set<Long>> part : ds.getValue().entrySet()) {
                    try {
                        parts.purge(ds.getKey(), set.get().campaign(), set.get().uploadId(), key, part.getKey(),
                                part.getValue());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot purge erased records of set " + ds.getKey(), e);
                    }
                }
            } // else the set's files are gone (discarded, shredded) or its key is destroyed: nothing to rewrite
            done.addAll(ofSet);
        }
        index.purgeDeleted();
        sets.markPurged(done, now);
        log.info("purged {} erased record(s) from the record files and the index", done.size());
        return done.size();
    }
}
