package fi.callgate.retention;

import fi.callgate.crypto.PgpException;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.RecordStore;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys every dataset whose deadline has come, one run per campaign per pass, each run ending in one
 * signed deletion receipt in the campaign's outbox.
 *
 * <h2>A run, step by step (each step committed before the next)</h2>
 * <ol>
 *   <li>open: the run row with its receipt file name, and its datasets HELD → SHREDDING, in one
 *       transaction;</li>
 *   <li>per dataset: its records ({@link RecordStore#deleteByUpload}), its files ({@link DatasetFiles}),
 *       then SHREDDING → SHREDDED with what was destroyed;</li>
 *   <li>for an ended campaign whose last dataset this was: its data key ({@link CampaignKeyStore#destroy},
 *       crypto-shredding — old database copies become unreadable too);</li>
 *   <li>the receipt: rendered from the recorded run, clear-signed, published atomically under the name
 *       fixed at step 1, then audited with its SHA-256 (once: an existing audit entry means the file is
 *       already out);</li>
 *   <li>the run is DONE.</li>
 * </ol>
 * Every pass first finishes runs a kill left OPEN, so a run always completes with exactly one receipt.
 * A pass after downtime simply finds everything overdue and takes it all.
 *
 * <h2>Never twice at once</h2>
 * The Camel timer is a single consumer; an in-process flag also stops a manual trigger overlapping it;
 * and a pass takes the {@code shredder_lock} row with a conditional UPDATE, so even a second Callgate
 * wrongly pointed at the same database (which HSQLDB's file lock already prevents) could not interleave.
 */
public final class Shredder {
    private static final Logger log = LoggerFactory.getLogger(Shredder.class);

    private final RetentionLedger ledger;
    private final ShredJournal journal;
    private final ReceiptPublisher receipts;
    private final UploadStore uploads;
    private final CampaignStore campaigns;
    private final RecordStore records;
    private final CampaignKeyStore campaignKeys;
    private final DatasetFiles files;
    private final StorageGuard storage;
    private final CallgateMetrics metrics;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final String holder = "shredder-" + UUID.randomUUID();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong lastRun = new AtomicLong(-1);
    private final AtomicBoolean lastRunRegistered = new AtomicBoolean();

    /**
     * {@code receipts}: the one publisher, shared with data-subject erasures. A run destroys {@code records},
     * then {@code files}, then (for an ended campaign) its key in {@code campaignKeys}; it reads the datasets'
     * uploads and campaigns; {@code storage} says whether writes under data-dir are allowed at all.
     */
    public Shredder(RetentionLedger ledger, ReceiptPublisher receipts, UploadStore uploads, CampaignStore campaigns,
                    RecordStore records, CampaignKeyStore campaignKeys, DatasetFiles files, StorageGuard storage,
                    CallgateMetrics metrics, Checkpoints checkpoints, Clock clock) {
        this.ledger = ledger;
        this.journal = new ShredJournal(ledger);
        this.receipts = receipts;
        this.uploads = uploads;
        this.campaigns = campaigns;
        this.records = records;
        this.campaignKeys = campaignKeys;
        this.files = files;
        this.storage = storage;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.clock = clock;
        journal.clearStaleLock();
        // The retention gauges show the backlog from the start, before the first pass (which may be long).
        if (storage.isOpen()) {
            ledger.refresh(clock.instant());
        } else {
            ledger.gauges().update(clock.instant());
        }
    }

    /** One pass: finish interrupted runs, then shred everything due. Never throws (the timer goes on). */
    public void pass() {
        if (!storage.isOpen()) {
            // Shredding writes too (its journal, receipts): while the storage location is refused, due data
            // waits and callgate_retention_overdue_datasets shows it.
            log.debug("shredder pass skipped: writes under data-dir are refused (storage location)");
            ledger.gauges().update(clock.instant()); // reads only: the backlog grows visibly
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!journal.tryLock(holder, clock.instant())) {
                log.warn("shredder pass skipped: another pass holds the lock");
                return;
            }
            try {
                checkpoints.reached("shred-pass-locked", holder);
                for (ShredJournal.Run r : journal.open()) {
                    complete(r);
                }
                Instant now = clock.instant();
                ledger.refresh(now);
                Map<String, List<Dataset>> byCampaign = new LinkedHashMap<>();
                for (Dataset d : ledger.due(now)) {
                    byCampaign.computeIfAbsent(d.campaign(), k -> new java.util.ArrayList<>()).add(d);
                }
                for (String c : ledger.endedWithLiveKey()) {
                    byCampaign.computeIfAbsent(c, k -> List.of());
                }
                for (var e : byCampaign.entrySet()) {
                    ShredJournal.Run run = openRun(e.getKey(), e.getValue(), now);
                    if (run != null) {
                        complete(run);
                    }
                }
                ledger.gauges().update(clock.instant());
                lastRun.set(clock.instant().getEpochSecond());
                if (lastRunRegistered.compareAndSet(false, true)) {
                    metrics.shredderLastRun(lastRun::get);
                }
            } finally {
                journal.unlock(holder);
            }
        } catch (RuntimeException | IOException | PgpException e) {
            log.error("shredder pass failed; it is retried at the next interval: {}", e.toString(), e);
        } finally {
            running.set(false);
        }
    }

    /** Unix time of the last completed pass, or -1 before the first. */
    public long lastRunEpochSecond() {
        return lastRun.get();
    }

    private ShredJournal.Run openRun(String campaign, List<Dataset> due, Instant now) {
        boolean personalId = campaigns.find(campaign).map(c -> c.personalId()).orElse(false);
        boolean ended = campaigns.find(campaign).map(c -> !c.isActive()).orElse(false);
        long heldAfter = ledger.heldOutside(campaign) - due.size();
        boolean destroyKey = ended && heldAfter == 0 && ledger.unfinishedUploads(campaign) == 0
                && !campaignKeys.isDestroyed(campaign);
        if (due.isEmpty() && !destroyKey) {
            return null;
        }
        boolean anyAccepted = due.stream().anyMatch(Dataset::accepted);
        boolean issueReceipt = anyAccepted || destroyKey || personalId;
        Instant nameTime = now;
        String name = DeletionReceipt.fileName(campaign, nameTime);
        // Whole seconds are the name's resolution: a second run in the same second takes the next free one.
        while (journal.receiptNameTaken(name) || receipts.exists(campaign, name)) {
            nameTime = nameTime.plusSeconds(1);
            name = DeletionReceipt.fileName(campaign, nameTime);
        }
        ShredJournal.Run run = journal.open(UUID.randomUUID().toString(), campaign, now, due, destroyKey,
                issueReceipt, name);
        log.info("shred run {} opened for campaign {}: {} dataset(s), key {}", run.runId(), campaign, due.size(),
                destroyKey ? "to be destroyed" : "kept");
        checkpoints.reached("shred-run-opened", run.runId());
        return run;
    }

    private void complete(ShredJournal.Run run) throws IOException, PgpException {
        for (Dataset d : ledger.ofRun(run.runId())) {
            if (d.state() != Dataset.State.SHREDDING) {
                continue;
            }
            records.deleteByUpload(d.uploadId());
            checkpoints.reached("shred-records", d.uploadId());
            Upload u = uploads.find(d.uploadId()).orElseThrow();
            List<String> files = this.files.destroy(new DatasetFiles.Ref(u.id(), u.campaign(), u.spoolName()));
            checkpoints.reached("shred-files", d.uploadId());
            Instant now = clock.instant();
            if (journal.markShredded(d.uploadId(), String.join("; ", files), now)) {
                metrics.shreddedRecords().increment(d.recordCount());
                Duration late = Duration.between(d.deadline(), now);
                metrics.shredDelay().record(late.isNegative() ? Duration.ZERO : late);
            }
            checkpoints.reached("shred-dataset", d.uploadId());
        }
        if (run.destroyKey() && !run.keyDestroyed()) {
            campaignKeys.destroy(run.campaign());
            journal.markKeyDestroyed(run.runId());
            checkpoints.reached("shred-key", run.campaign());
        }
        if (run.issueReceipt()) {
            issueReceipt(journal.find(run.runId()).orElseThrow());
        }
        // Before the run is closed, so whoever sees it closed also sees gauges that count its datasets shredded.
        ledger.gauges().update(clock.instant());
        if (journal.finish(run.runId(), clock.instant())) {
            if (run.issueReceipt()) {
                metrics.deletionReceipts().increment();
            }
            log.info("shred run {} of campaign {} done{}", run.runId(), run.campaign(),
                    run.issueReceipt() ? "; receipt " + run.receiptFile() : "");
        }
        checkpoints.reached("shred-run-done", run.runId());
    }

    private void issueReceipt(ShredJournal.Run run) throws IOException, PgpException {
        if (receipts.published(run.campaign(), run.receiptFile())) {
            return; // published and audited before a kill: the file is out, never write a second one
        }
        List<Dataset> datasets = ledger.ofRun(run.runId());
        String text = DeletionReceipt.render(run.campaign(), run.runId(), run.openedAt(), datasets,
                run.keyDestroyed(), receipts.gatewayFingerprint());
        long records = datasets.stream().mapToLong(Dataset::recordCount).sum();
        Optional<String> sha = receipts.publish(run.campaign(), run.receiptFile(), text, run.runId(),
                "run=" + run.runId() + " uploads=" + datasets.size() + " records=" + records
                        + " key_destroyed=" + run.keyDestroyed(),
                () -> checkpoints.reached("shred-receipt-written", run.runId()));
        sha.ifPresent(s -> journal.setReceiptSha256(run.runId(), s));
        checkpoints.reached("shred-receipt-audited", run.runId());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
