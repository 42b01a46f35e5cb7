package fi.callgate.blocklist;

import fi.callgate.domain.PhoneNumber;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.Database;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The do-not-call list: phone numbers a campaign must never call, whatever list they arrive in.
 *
 * <p>Only blind indexes are kept ({@link BlindIndex#phone}, keyed HMAC of the E.164 form), in the
 * {@code blocked_phone} table and mirrored in memory ({@link IndexSet}) so that filtering a list costs
 * one O(1) lookup a row. The table is the truth: the set is loaded from it at start, and a number enters
 * the set only after its insert is committed, so the memory never claims more than the store holds
 * (a crash can only lose an addition whose command did not report success). Writers are serialised —
 * additions are rare and the dedup check must see every earlier addition.
 *
 * <p>Listeners run after each completed addition (a command's numbers, or a whole import), outside the
 * lock: that is how lists not yet downloaded are re-published without a newly blocked number.
 */
public final class BlockList {
    static final int BATCH = 5000;
    private final Database db;
    private final BlindIndex index;
    private final Clock clock;
    private final IndexSet set = new IndexSet();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object writer = new Object();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public BlockList(Database db, BlindIndex index, Clock clock) {
        this.db = db;
        this.index = index;
        this.clock = clock;
        load();
    }

    private void load() {
        db.withHandle(h -> {
            lock.writeLock().lock();
            try {
                // forEach streams the rows into the set: no second list of every key on the way
                h.createQuery("SELECT phone_idx FROM blocked_phone").map((rs, ctx) -> rs.getBytes(1)).forEach(set::add);
            } finally {
                lock.writeLock().unlock();
            }
            return null;
        });
    }

    /** Called after numbers were added (not for each number). */
    public void onBlocked(Runnable listener) {
        listeners.add(listener);
    }

    public boolean contains(PhoneNumber phone) {
        return containsIndex(index.phone(phone));
    }

    /** For callers that already hold a record's phone index. */
    public boolean containsIndex(byte[] phoneIndex) {
        lock.readLock().lock();
        try {
            return set.contains(phoneIndex);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return set.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Blocks the numbers; returns how many were new (already blocked ones are not an error). */
    public int add(Collection<PhoneNumber> phones, String addedBy) {
        int added;
        try (Import imp = startImport(addedBy)) {
            phones.forEach(imp::add);
            added = imp.finish();
        }
        return added;
    }

    /** A bulk addition: numbers are committed in batches of {@value #BATCH}; memory stays flat. */
    public Import startImport(String addedBy) {
        return new Import(addedBy);
    }

    /** One streaming addition. Not thread-safe; {@link #finish} once, then close. */
    public final class Import implements AutoCloseable {
        private final String addedBy;
        private final IndexSet batch = new IndexSet();
        private final java.util.ArrayList<byte[]> pending = new java.util.ArrayList<>(BATCH);
        private int added;
        private int duplicates;
        private boolean finished;

        private Import(String addedBy) {
            this.addedBy = addedBy;
        }

        public void add(PhoneNumber phone) {
            byte[] key = index.phone(phone);
            if (containsIndex(key) || !batch.add(key)) {
                duplicates++;
                return;
            }
            pending.add(key);
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        /** Numbers already blocked (or repeated in this import). */
        public int duplicates() {
            return duplicates;
        }

        /** Commits the rest, tells the listeners; returns how many numbers were new. */
        public int finish() {
            flush();
            finished = true;
            if (added > 0) {
                listeners.forEach(Runnable::run);
            }
            return added;
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            synchronized (writer) {
                OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                List<byte[]> fresh = new java.util.ArrayList<>(pending.size());
                for (byte[] k : pending) {
                    if (!containsIndex(k)) { // another writer may have added it since
                        fresh.add(k);
                    }
                }
                db.transaction(h -> insert(h, fresh, now));
                lock.writeLock().lock();
                try {
                    fresh.forEach(set::add);
                } finally {
                    lock.writeLock().unlock();
                }
                added += fresh.size();
                duplicates += pending.size() - fresh.size();
            }
            pending.clear();
            batch.clear();
        }

        private Void insert(Handle h, List<byte[]> keys, OffsetDateTime now) {
            PreparedBatch batch = h.prepareBatch("INSERT INTO blocked_phone(phone_idx, added_at, added_by) VALUES (?, ?, ?)");
            for (byte[] k : keys) {
                batch.add(k, now, addedBy);
            }
            if (!keys.isEmpty()) { // HSQLDB refuses an empty batch ("statement is not in batch mode")
                batch.execute();
            }
            return null;
        }

        /**
         * Without {@link #finish} (an aborted import) numbers not yet flushed are dropped; batches already
         * committed stay blocked, and the listeners still hear of them.
         */
        @Override
        public void close() {
            if (!finished) {
                pending.clear();
                finished = true;
                if (added > 0) {
                    listeners.forEach(Runnable::run);
                }
            }
        }

        /** Numbers committed so far. */
        public int added() {
            return added;
        }
    }

    /** For tests and the store's own checks: the persisted count. */
    public long storedCount() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM blocked_phone").mapTo(Long.class).one());
    }

}
