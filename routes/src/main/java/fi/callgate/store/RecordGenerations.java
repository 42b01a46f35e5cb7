package fi.callgate.store;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Hands out the generation each stored record goes into: a new one every {@value #SIZE} records. The blind
 * indexes of {@code call_record} lead with the generation (V10), so the part of each index that inserts touch
 * is the current generation's — small enough to stay in HSQLDB's row cache however large the table grows —
 * instead of random leaves all over a tree of millions, read back from disk one by one. A search pays for
 * it with one index probe per live generation ({@code record_generation}), which stays a few dozen because
 * retention deletes old records and {@link #prune} drops generations left empty.
 *
 * <p>Shared by all concurrent stagings; a generation is committed before any record refers to it, so a
 * rolled-back staging leaves at worst an empty generation for {@link #prune}.
 */
public final class RecordGenerations {
    /** Records per generation: well inside the row cache Database sizes (500 000 rows). */
    public static final int SIZE = 250_000;

    private final Database db;
    private final Clock clock;
    private final int size;
    private int current;
    private long rowsInCurrent;

    RecordGenerations(Database db, Clock clock) {
        this(db, clock, SIZE);
    }

    /** With another generation size: for tests, which cannot afford {@value #SIZE} rows. */
    RecordGenerations(Database db, Clock clock, int size) {
        this.db = db;
        this.clock = clock;
        this.size = size;
        // Continue the newest generation after a restart rather than open one per start.
        this.current = db.query("SELECT MAX(gen) FROM record_generation", rs -> rs.getInt(1)).get(0);
        this.rowsInCurrent = db.query("SELECT COUNT(*) FROM call_record WHERE gen = ?", rs -> rs.getLong(1),
                current).get(0);
    }

    /** The generation for the next record stored. */
    synchronized int next() {
        if (rowsInCurrent >= size) {
            int gen = current + 1;
            db.withConnection(c -> {
                try (var ps = c.prepareStatement("INSERT INTO record_generation(gen, opened_at) VALUES (?, ?)")) {
                    ps.setInt(1, gen);
                    ps.setObject(2, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                return null;
            });
            current = gen;
            rowsInCurrent = 0;
        }
        rowsInCurrent++;
        return current;
    }

    /**
     * Makes sure these generations are listed (on the caller's connection and transaction): a staging calls
     * it before its last commit, see {@link RecordStore.Staging#finish}.
     */
    void ensure(java.sql.Connection c, java.util.Collection<Integer> gens) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("MERGE INTO record_generation g USING (VALUES (?, ?)) AS v(gen, opened_at)"
                + " ON g.gen = v.gen WHEN NOT MATCHED THEN INSERT VALUES (v.gen, v.opened_at)")) {
            for (int gen : gens) {
                ps.setInt(1, gen);
                ps.setObject(2, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
    }

    /** Forgets generations (but the current one) that hold no record any more, so searches skip them. */
    int prune() {
        int keep;
        synchronized (this) {
            keep = current;
        }
        return db.withConnection(c -> {
            try (var ps = c.prepareStatement("DELETE FROM record_generation g WHERE g.gen < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM call_record r WHERE r.gen = g.gen)")) {
                ps.setInt(1, keep);
                return ps.executeUpdate();
            }
        });
    }
}
