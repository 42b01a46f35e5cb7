package fi.callgate.pipeline.stage;

import fi.callgate.dialer.StagedList;
import fi.callgate.domain.CallRecord;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.RecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link RecordStore.Staging} and the upload's {@link StagedList dialer list} on their own thread, fed
 * through a bounded queue, so that parsing and validating a list (CSV, phone numbers: one core) and storing
 * it (serialising, sealing segments, blind-index HMACs, index documents, the dialer list's line: the other)
 * overlap. Each record's blind indexes are computed once: the store keeps them, the dialer list checks the
 * phone's against the block list. Records travel in batches of {@value #BATCH}
 * (one queue hand-off per batch, not per row); at most {@value #DEPTH} batches wait, so memory is bounded
 * whatever the list size and a slow store slows the parser down instead of piling up rows.
 *
 * <p>A failure on the storing side is rethrown to the parsing side at its next {@link #accept} or at
 * {@link #finish}; {@link #close} without finish stops the worker and leaves the set STAGED for discard.
 */
final class StagingPipe implements Consumer<CallRecord>, AutoCloseable {
    static final int BATCH = 512;
    static final int DEPTH = 16;
    private static final List<CallRecord> END = List.of();

    private final BlockingQueue<List<CallRecord>> queue = new ArrayBlockingQueue<>(DEPTH);
    private final Thread worker;
    private volatile Throwable failure;
    private List<CallRecord> batch = new ArrayList<>(BATCH);
    private boolean ended;

    StagingPipe(RecordStore.Staging staging, StagedList list, String uploadId) {
        worker = new Thread(() -> drain(staging, list), "callgate-store-" + uploadId);
        worker.setDaemon(true);
        worker.start();
    }

    private void drain(RecordStore.Staging staging, StagedList list) {
        try {
            while (true) {
                List<CallRecord> b = queue.take();
                if (b == END) {
                    return;
                }
                for (CallRecord r : b) {
                    BlindIndex.Entries idx = staging.indexOf(r);
                    list.add(staging.add(r, idx), r, idx.phone());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            queue.clear(); // unblocks a parser waiting to put
        }
    }

    @Override
    public void accept(CallRecord r) {
        batch.add(r);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void hand(List<CallRecord> b) {
        try {
            while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!worker.isAlive()) {
                    throw new IllegalStateException("the storing thread stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing records", e);
        }
        rethrow();
    }

    /** Hands over the last batch and waits until every record is stored. */
    void finish() {
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>(0);
        }
        hand(END);
        ended = true;
        join();
        rethrow();
    }

    private void join() {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing records", e);
        }
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    @Override
    public void close() {
        if (!ended) {
            worker.interrupt();
            join();
        }
    }
}
