package fi.callgate.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.BinaryPoint;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The blind indexes of every stored record in one Lucene index: a document per record holding its keyed
 * hashes ({@link BlindIndex}: phone, email, name + postal code) as exact-match points and its
 * {@link RecordAddress} as a 2-dimensional point (set, ordinal) and as doc values, with the record's place
 * in its part files. Nothing else: no plaintext, no unkeyed value, no campaign or upload name.
 *
 * <p>This index decides nothing about visibility: a document may belong to a set that is still staged or
 * already deleted, or to an erased record whose deletion is not yet merged away. The record sets and
 * tombstones in HSQLDB decide ({@link RecordStore}); a search filters its hits through them.
 *
 * <p>Why Lucene: its segments take inserts sequentially, so ingest does not slow down as the store grows
 * (the per-row B-tree walks of HSQLDB capped ingest at ~10 000 rows/s); points answer exact matches on
 * 16-byte keys in well under a millisecond at millions of documents. The merge policy drops deleted
 * documents entirely on {@link #purgeDeleted} (at Lucene's default 10 % allowance an erased record's
 * hashes were measured to stay on disk).
 */
final class RecordIndex implements AutoCloseable {
    static final String PHONE = "phone";
    static final String EMAIL = "email";
    static final String NAME_POSTAL = "name_postal";
    private static final String ADDRESS = "addr";
    private static final String DATASET = "ds";
    private static final String ORDINAL = "ord";
    private static final String LOCATION = "loc";
    private static final String NAME = "name";
    static final String COMMIT_UPLOAD = "upload";

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    RecordIndex(Path dir) throws IOException {
        this.directory = FSDirectory.open(dir);
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setForceMergeDeletesPctAllowed(0);
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setMergePolicy(merges)
                .setRAMBufferSizeMB(48)
                .setCommitOnClose(true);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, null);
    }

    /** One record's entry: the hashes it is found by and where it lives. */
    record Entry(RecordAddress address, long location, byte[] phone, Optional<byte[]> email,
                 Optional<byte[]> namePostal, byte[] name) {
    }

    /** What a search finds: the address, where the record lies, and its name hash (DSAR identity rule). */
    record Hit(RecordAddress address, long location, byte[] name) {
    }

    void add(Entry e) {
        Document d = new Document();
        d.add(new BinaryPoint(PHONE, e.phone()));
        e.email().ifPresent(h -> d.add(new BinaryPoint(EMAIL, h)));
        e.namePostal().ifPresent(h -> d.add(new BinaryPoint(NAME_POSTAL, h)));
        long ds = e.address().dataset();
        long ord = e.address().ordinal();
        d.add(new LongPoint(ADDRESS, ds, ord));
        d.add(new NumericDocValuesField(DATASET, ds));
        d.add(new NumericDocValuesField(ORDINAL, ord));
        d.add(new NumericDocValuesField(LOCATION, e.location()));
        d.add(new BinaryDocValuesField(NAME, new BytesRef(e.name())));
        try {
            writer.addDocument(d);
        } catch (IOException e2) {
            throw new UncheckedIOException("cannot index a record", e2);
        }
    }

    /**
     * Makes everything added or deleted so far durable, naming the upload whose step this is in the commit
     * data (for the operator reading a crash: which upload the last commit was for).
     */
    synchronized void commit(String upload) {
        try {
            writer.setLiveCommitData(Map.of(COMMIT_UPLOAD, upload).entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the record index", e);
        }
    }

    /** Lets searches see what was added (without a commit: visibility is the record sets' business). */
    void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refresh the record index", e);
        }
    }

    static Query exact(String field, byte[] hash) {
        return BinaryPoint.newExactQuery(field, hash);
    }

    static Query address(RecordAddress a) {
        return LongPoint.newRangeQuery(ADDRESS, new long[] {a.dataset(), a.ordinal()},
                new long[] {a.dataset(), a.ordinal()});
    }

    static Query dataset(long dataset) {
        return LongPoint.newRangeQuery(ADDRESS, new long[] {dataset, 0}, new long[] {dataset, Long.MAX_VALUE});
    }

    /** Documents of a set whose phone hash is one of these (block-list joins). */
    static Query phonesInDataset(long dataset, List<byte[]> phones) {
        return new BooleanQuery.Builder()
                .add(dataset(dataset), BooleanClause.Occur.FILTER)
                .add(BinaryPoint.newSetQuery(PHONE, phones.toArray(new byte[0][])), BooleanClause.Occur.FILTER)
                .build();
    }

    /** Every document matching, with its address, location and name hash. */
    List<Hit> search(Query query) {
        List<Hit> hits = new ArrayList<>();
        try {
            IndexSearcher s = searchers.acquire();
            try {
                s.search(query, new SimpleCollector() {
                    private NumericDocValues ds;
                    private NumericDocValues ord;
                    private NumericDocValues loc;
                    private BinaryDocValues name;

                    @Override
                    protected void doSetNextReader(LeafReaderContext context) throws IOException {
                        ds = context.reader().getNumericDocValues(DATASET);
                        ord = context.reader().getNumericDocValues(ORDINAL);
                        loc = context.reader().getNumericDocValues(LOCATION);
                        name = context.reader().getBinaryDocValues(NAME);
                    }

                    @Override
                    public void collect(int doc) throws IOException {
                        if (!ds.advanceExact(doc) || !ord.advanceExact(doc) || !loc.advanceExact(doc)
                                || !name.advanceExact(doc)) {
                            throw new StoreException("record index entry without its address");
                        }
                        BytesRef n = name.binaryValue();
                        hits.add(new Hit(new RecordAddress(ds.longValue(), ord.longValue()), loc.longValue(),
                                Arrays.copyOfRange(n.bytes, n.offset, n.offset + n.length)));
                    }

                    @Override
                    public ScoreMode scoreMode() {
                        return ScoreMode.COMPLETE_NO_SCORES;
                    }
                });
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the record index", e);
        }
        return hits;
    }

    /** How many documents match (deleted ones never count). */
    int count(Query query) {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return s.count(query);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the record index", e);
        }
    }

    /** Removes matching documents and commits at once: from then on no reader of the index finds them. */
    void deleteAndCommit(Query query, String upload) {
        deleteAndCommit(new Query[] {query}, upload);
    }

    void deleteAndCommit(Query[] queries, String upload) {
        try {
            writer.deleteDocuments(queries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete from the record index", e);
        }
        commit(upload);
    }

    /**
     * Rewrites the segments that hold deleted documents so their hashes and addresses leave the disk, then
     * commits; Lucene deletes the old segment files once no reader holds them.
     */
    void purgeDeleted() {
        try {
            writer.forceMergeDeletes(true);
            writer.commit();
            searchers.maybeRefreshBlocking();
            writer.deleteUnusedFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge deletions out of the record index", e);
        }
    }

    /** The upload named by the last commit, if any (diagnostics and tests). */
    Optional<String> lastCommittedUpload() {
        try (DirectoryReader r = DirectoryReader.open(directory)) {
            return Optional.ofNullable(r.getIndexCommit().getUserData().get(COMMIT_UPLOAD));
        } catch (org.apache.lucene.index.IndexNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            writer.close();
        } finally {
            directory.close();
        }
    }
}
