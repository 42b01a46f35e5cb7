package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted records of call lists, encrypted under their campaign's data key ({@link RecordCipher}),
 * findable through blind indexes ({@link BlindIndex}).
 *
 * <h2>Visibility</h2>
 * The records of one upload form a record set ({@code record_set}) whose state decides, for all of them at
 * once, whether readers see them: STAGED while {@link Staging} writes them (committed in batches, so memory
 * and transaction size stay flat however long the list), ACTIVE after {@link #publish}, DELETED after a
 * deletion. Publishing is one single-row UPDATE — atomic, constant time, constant memory — so a crash at any
 * moment never shows half a list. After a crash mid-staging, {@link #discardStaged} removes the partial rows
 * and the upload is staged again from the start.
 *
 * <h2>Memory</h2>
 * Nothing here grows with the list: inserts go in JDBC batches of {@value #BATCH} rows, and reading an upload
 * pages through it by row number ({@value #PAGE} rows a query) rather than holding one result set open,
 * because HSQLDB's in-process driver materialises a whole result set in memory whatever the fetch size.
 * Bulk deletions first make the rows invisible (one UPDATE of the record set), then delete in chunks of
 * {@value #DELETE_CHUNK} rows, each its own small transaction; {@link #purgeDeleted} finishes a deletion a
 * crash interrupted.
 */
public final class RecordStore {
    private static final Logger log = LoggerFactory.getLogger(RecordStore.class);
    static final int BATCH = 1000;
    static final int PAGE = 1000;
    static final int DELETE_CHUNK = 5000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT = "SELECT r.record_id, r.campaign, r.upload_id, r.row_number, r.payload,"
            + " r.created_at FROM call_record r JOIN record_set s ON s.upload_id = r.upload_id";

    private final Database db;
    private final CampaignKeyStore keys;
    private final BlindIndex index;
    private final Clock clock;
    private final RecordGenerations generations;

    public RecordStore(Database db, CampaignKeyStore keys, BlindIndex index, Clock clock) {
        this(db, keys, index, clock, RecordGenerations.SIZE);
    }

    /** With another generation size ({@link RecordGenerations}): for tests. */
    RecordStore(Database db, CampaignKeyStore keys, BlindIndex index, Clock clock, int generationSize) {
        this.db = db;
        this.keys = keys;
        this.index = index;
        this.clock = clock;
        this.generations = new RecordGenerations(db, clock, generationSize);
    }

    /** A decrypted record with where it lives. */
    public record StoredRecord(String recordId, String campaign, String uploadId, CallRecord record,
                               Instant createdAt) {
        @Override
        public String toString() {
            return "StoredRecord[" + recordId + ", " + campaign + ", " + uploadId + "]";
        }
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
        OffsetDateTime now = now();
        db.inTransaction(c -> {
            Optional<SetState> existing = state(c, uploadId);
            if (existing.isPresent()) {
                throw new IllegalStateException("upload " + uploadId + " already has " + existing.get()
                        + " records" + (existing.get() == SetState.STAGED ? "; discardStaged it first" : ""));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_set(upload_id, campaign, state,"
                    + " created_at) VALUES (?, ?, 'STAGED', ?)")) {
                ps.setString(1, uploadId);
                ps.setString(2, campaign);
                ps.setObject(3, now);
                ps.executeUpdate();
            }
            return null;
        });
        return new Staging(uploadId, campaign, key, now);
    }

    /**
     * Writes one upload's records in batches, each committed. Not thread-safe: one writer per upload. Call
     * {@link #finish} when every record is added, then {@link RecordStore#publish}; {@link #close} without
     * finish leaves committed rows STAGED (invisible) for {@link RecordStore#discardStaged}.
     */
    public final class Staging implements AutoCloseable {
        private final String uploadId;
        private final String campaign;
        private final DataKey key;
        private final OffsetDateTime createdAt;
        private final Connection connection;
        private final PreparedStatement insert;
        private int pending;
        private long count;
        private boolean finished;
        private final java.util.SortedSet<Integer> generationsUsed = new java.util.TreeSet<>();

        private Staging(String uploadId, String campaign, DataKey key, OffsetDateTime createdAt) {
            this.uploadId = uploadId;
            this.campaign = campaign;
            this.key = key;
            this.createdAt = createdAt;
            try {
                connection = db.connection();
                connection.setAutoCommit(false);
                insert = connection.prepareStatement("INSERT INTO call_record(record_id, campaign, upload_id,"
                        + " row_number, payload, phone_idx, email_idx, name_postal_idx, name_idx, created_at, gen)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            } catch (SQLException e) {
                throw new StoreException("cannot start staging upload " + uploadId + ": " + e.getMessage(), e);
            }
        }

        /** Encrypts and queues one record; returns its new record id. */
        public String add(CallRecord r) {
            if (finished) {
                throw new IllegalStateException("staging of upload " + uploadId + " is finished");
            }
            String id = newRecordId();
            BlindIndex.Entries idx = index.of(r);
            try {
                insert.setString(1, id);
                insert.setString(2, campaign);
                insert.setString(3, uploadId);
                insert.setLong(4, r.rowNumber());
                insert.setBytes(5, RecordCipher.seal(key, campaign, id, r));
                insert.setBytes(6, idx.phone());
                insert.setBytes(7, idx.email().orElse(null));
                insert.setBytes(8, idx.namePostal().orElse(null));
                insert.setBytes(9, idx.name());
                insert.setObject(10, createdAt);
                int gen = generations.next();
                generationsUsed.add(gen);
                insert.setInt(11, gen);
                insert.addBatch();
                if (++pending >= BATCH) {
                    flush();
                }
            } catch (SQLException e) {
                throw new StoreException("cannot stage a record of upload " + uploadId + ": " + e.getMessage(), e);
            }
            count++;
            return id;
        }

        /** Records added so far. */
        public long count() {
            return count;
        }

        /** Writes the last batch and records the count; the set stays STAGED until published. */
        public long finish() {
            try {
                flush();
                try (PreparedStatement ps = connection.prepareStatement(
                        "UPDATE record_set SET record_count = ? WHERE upload_id = ? AND state = 'STAGED'")) {
                    ps.setLong(1, count);
                    ps.setString(2, uploadId);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("upload " + uploadId + " is no longer staged");
                    }
                }
                // A prune running while this staging's rows of a generation were still uncommitted may have
                // dropped that generation as empty; searches would then skip these rows. Re-assert every
                // generation used, in the same transaction as the count (a handful of rows).
                generations.ensure(connection, generationsUsed);
                connection.commit();
            } catch (SQLException e) {
                throw new StoreException("cannot finish staging upload " + uploadId + ": " + e.getMessage(), e);
            }
            finished = true;
            return count;
        }

        private void flush() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                connection.commit();
                pending = 0;
            }
        }

        /** Releases the connection; uncommitted records of an unfinished staging are rolled back. */
        @Override
        public void close() {
            try {
                if (!finished) {
                    connection.rollback();
                }
                insert.close();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                log.warn("closing staging of upload {}: {}", uploadId, e.getMessage());
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.warn("releasing connection of upload {}: {}", uploadId, e.getMessage());
                }
            }
        }
    }

    /**
     * Makes every record of the upload visible at once. Idempotent: publishing an active set again returns
     * its count.
     *
     * @return the number of records published
     */
    public long publish(String uploadId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_set SET state = 'ACTIVE',"
                    + " published_at = ? WHERE upload_id = ? AND state = 'STAGED'")) {
                ps.setObject(1, now());
                ps.setString(2, uploadId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, record_count FROM record_set WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"ACTIVE".equals(rs.getString(1))) {
                        throw new IllegalStateException("upload " + uploadId + " has no staged records to publish");
                    }
                    return rs.getLong(2);
                }
            }
        });
    }

    /**
     * Removes the records of an upload that was never published (restart after a crash mid-staging), so it
     * can be staged again. Refuses a published upload: that is {@link #deleteByUpload}.
     *
     * @return the number of staged records removed
     */
    public long discardStaged(String uploadId) {
        Optional<SetState> st = state(uploadId);
        if (st.isEmpty()) {
            return 0;
        }
        if (st.get() != SetState.STAGED) {
            throw new IllegalStateException("upload " + uploadId + " is " + st.get() + ", not staged");
        }
        long removed = deleteInChunks(uploadId);
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM record_set WHERE upload_id = ? AND state = 'STAGED'")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
        return removed;
    }

    /** STAGED, ACTIVE, DELETED, or empty if the upload never stored records. */
    public Optional<SetState> state(String uploadId) {
        return db.withConnection(c -> state(c, uploadId));
    }

    // ---------------------------------------------------------------- reading

    /**
     * The published records of an upload in row order, decrypted lazily page by page. Holds no connection
     * between pages, so the stream need not be closed; memory is one page whatever the list size. Empty if
     * the upload is not published.
     */
    public Stream<StoredRecord> activeRecords(String uploadId) {
        Spliterator<StoredRecord> pages = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private final Deque<StoredRecord> page = new ArrayDeque<>(PAGE);
            private long after = Long.MIN_VALUE;
            private boolean exhausted;

            @Override
            public boolean tryAdvance(Consumer<? super StoredRecord> action) {
                if (page.isEmpty() && !exhausted) {
                    fill();
                }
                StoredRecord next = page.poll();
                if (next == null) {
                    return false;
                }
                action.accept(next);
                return true;
            }

            private void fill() {
                // Visibility is checked per page rather than joined: with the join HSQLDB sorts the whole
                // upload for every page; alone, ORDER BY upload_id, row_number walks the unique index.
                if (state(uploadId).orElse(null) != SetState.ACTIVE) {
                    exhausted = true;
                    return;
                }
                List<StoredRecord> rows = query("SELECT r.record_id, r.campaign, r.upload_id, r.row_number,"
                        + " r.payload, r.created_at FROM call_record r WHERE r.upload_id = ? AND r.row_number > ?"
                        + " ORDER BY r.upload_id, r.row_number LIMIT " + PAGE, ps -> {
                    ps.setString(1, uploadId);
                    ps.setLong(2, after);
                });
                page.addAll(rows);
                exhausted = rows.size() < PAGE;
                if (!rows.isEmpty()) {
                    after = rows.get(rows.size() - 1).record().rowNumber();
                }
            }
        };
        return StreamSupport.stream(pages, false);
    }

    /** Published records with this phone, in every campaign. */
    public List<StoredRecord> findByPhone(PhoneNumber phone) {
        return byBlindIndex("phone_idx", index.phone(phone));
    }

    /** Published records with this email (trimmed, case-insensitive), in every campaign. */
    public List<StoredRecord> findByEmail(String email) {
        return byBlindIndex("email_idx", index.email(email));
    }

    /** Published records with this name and postal code (case, spacing and Unicode form ignored). */
    public List<StoredRecord> findByNamePostal(String firstName, String lastName, String postalCode) {
        return byBlindIndex("name_postal_idx", index.namePostal(firstName, lastName, postalCode));
    }

    /**
     * One probe of the (gen, column) index per live generation ({@link RecordGenerations}): the join from
     * record_generation gives HSQLDB both columns as the index's start condition.
     */
    private List<StoredRecord> byBlindIndex(String column, byte[] hash) {
        return query(activeByBlindIndex(column), ps -> ps.setBytes(1, hash));
    }

    /** The published records whose blind-index column equals {@code ?}, for {@link #query}. */
    static String activeByBlindIndex(String column) {
        return blindIndexQuery(column, "r.payload, r.created_at")
                + " JOIN record_set s ON s.upload_id = r.upload_id WHERE s.state = 'ACTIVE'"
                + " ORDER BY r.created_at, r.record_id";
    }

    /**
     * {@code SELECT r.record_id, r.campaign, r.upload_id, r.row_number, <more> FROM record_generation g JOIN
     * call_record r} on the generation and the blind-index column ({@code ?}): the one way every blind-index
     * search is written, so each uses the (gen, column) index.
     */
    public static String blindIndexQuery(String column, String more) {
        if (!List.of("phone_idx", "email_idx", "name_postal_idx").contains(column)) {
            throw new IllegalArgumentException("not a searchable blind index: " + column);
        }
        return "SELECT r.record_id, r.campaign, r.upload_id, r.row_number" + (more.isEmpty() ? "" : ", " + more)
                + " FROM record_generation g JOIN call_record r ON r.gen = g.gen AND r." + column + " = ?";
    }

    /**
     * Published records by id (a data-subject erasure reads the phones to block before deleting). Ids of
     * records that are gone or not published are skipped.
     */
    public List<StoredRecord> findByIds(java.util.Collection<String> recordIds) {
        List<StoredRecord> out = new ArrayList<>();
        for (String id : recordIds) {
            out.addAll(query(SELECT + " WHERE r.record_id = ? AND s.state = 'ACTIVE'", ps -> ps.setString(1, id)));
        }
        return out;
    }

    /**
     * Does the record carry this first and last name? For the DSAR identity rule (a name must match what
     * was found by phone or email); a name alone is never a search key, so there is no findByName.
     */
    public boolean nameMatches(String recordId, String firstName, String lastName) {
        byte[] h = index.name(firstName, lastName);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM call_record WHERE record_id = ? AND name_idx = ?")) {
                ps.setString(1, recordId);
                ps.setBytes(2, h);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * The published record with this id, if it belongs to this campaign. A record of another campaign is
     * "not found" as much as an unknown id, so a results file cannot probe other campaigns.
     */
    public Optional<StoredRecord> findInCampaign(String recordId, String campaign) {
        List<StoredRecord> found = query(SELECT + " WHERE r.record_id = ? AND r.campaign = ? AND s.state = 'ACTIVE'",
                ps -> {
                    ps.setString(1, recordId);
                    ps.setString(2, campaign);
                });
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Published records of a campaign. */
    public long count(String campaign) {
        return db.withConnection(c -> {
            // Through record_set: call_record has no campaign index (V9), each upload's rows are reached
            // by the (upload_id, row_number) index.
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM record_set s JOIN call_record r"
                    + " ON r.upload_id = s.upload_id WHERE s.campaign = ? AND s.state = 'ACTIVE'")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Deletes every record of an upload, whatever its state. The set becomes invisible at once and stays as
     * a DELETED tombstone so the upload can never be stored again. Idempotent.
     *
     * @return records deleted by this call
     */
    public long deleteByUpload(String uploadId) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_set SET state = 'DELETED',"
                    + " deleted_at = COALESCE(deleted_at, ?) WHERE upload_id = ?")) {
                ps.setObject(1, now());
                ps.setString(2, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
        long n = deleteInChunks(uploadId);
        generations.prune();
        return n;
    }

    /** Deletes every record of a campaign (all its uploads, whatever their state). Idempotent. */
    public long deleteByCampaign(String campaign) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_set SET state = 'DELETED',"
                    + " deleted_at = COALESCE(deleted_at, ?) WHERE campaign = ?")) {
                ps.setObject(1, now());
                ps.setString(2, campaign);
                ps.executeUpdate();
            }
            return null;
        });
        List<String> uploads = db.query("SELECT upload_id FROM record_set WHERE campaign = ?",
                rs -> rs.getString(1), campaign);
        // Upload by upload: call_record has no campaign index (V9), and every row belongs to a record set.
        long total = 0;
        for (String uploadId : uploads) {
            total += deleteInChunks(uploadId);
        }
        generations.prune();
        return total;
    }

    /** Deletes individual records (a data-subject erasure), in one transaction. */
    public int deleteRecords(List<String> recordIds) {
        if (recordIds.isEmpty()) {
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

    /** Finishes deletions a crash interrupted: rows of DELETED sets still present. Run at start. */
    public long purgeDeleted() {
        List<String> sets = db.query("SELECT s.upload_id FROM record_set s WHERE s.state = 'DELETED'"
                + " AND EXISTS (SELECT 1 FROM call_record r WHERE r.upload_id = s.upload_id)", rs -> rs.getString(1));
        long n = 0;
        for (String id : sets) {
            n += deleteInChunks(id);
        }
        generations.prune();
        return n;
    }

    // ---------------------------------------------------------------- internals

    /** Deletes an upload's rows in small committed chunks so no single transaction grows with the list. */
    private long deleteInChunks(String uploadId) {
        long total = 0;
        while (true) {
            int n = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM call_record WHERE upload_id = ? LIMIT " + DELETE_CHUNK)) {
                    ps.setString(1, uploadId);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < DELETE_CHUNK) {
                return total;
            }
        }
    }

    private static Optional<SetState> state(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM record_set WHERE upload_id = ?")) {
            ps.setString(1, uploadId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SetState.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs a {@link #SELECT} and decrypts each row; rows of shredded campaigns are skipped. */
    private List<StoredRecord> query(String sql, Binder binder) {
        record Raw(String id, String campaign, String upload, long row, byte[] payload, Instant at) {
        }
        List<Raw> raws = db.withConnection(c -> {
            List<Raw> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Raw(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getBytes(5), rs.getObject(6, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
        // Decrypt outside the connection: the pool is small and AES is the slow part.
        List<StoredRecord> result = new ArrayList<>(raws.size());
        int shredded = 0;
        for (Raw raw : raws) {
            DataKey key;
            try {
                key = keys.forCampaign(raw.campaign());
            } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
                shredded++;
                continue;
            }
            CallRecord r = RecordCipher.open(key, raw.campaign(), raw.id(), raw.row(), raw.payload());
            result.add(new StoredRecord(raw.id(), raw.campaign(), raw.upload(), r, raw.at()));
        }
        if (shredded > 0) {
            log.debug("{} rows of shredded campaigns skipped", shredded);
        }
        return result;
    }

    /**
     * 48 bits of the current millisecond then 80 random bits, base32 lower case without padding: 26
     * characters of [a-z2-7], never the start of a CSV formula. Time first so that new ids land on the right
     * edge of the primary-key index, which stays in HSQLDB's cache, instead of a random leaf that has to be
     * read from disk once the table outgrows the cache; 80 random bits still make an id unguessable.
     */
    static String newRecordId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        long millis = System.currentTimeMillis();
        for (int k = 0; k < 6; k++) {
            b[k] = (byte) (millis >>> (40 - 8 * k));
        }
        final String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder s = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return s.toString();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
