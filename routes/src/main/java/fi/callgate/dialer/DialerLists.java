package fi.callgate.dialer;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.domain.Area;
import fi.callgate.domain.Campaign;
import fi.callgate.files.AtomicFiles;
import fi.callgate.files.FileShredder;
import fi.callgate.files.SealedSpool;
import fi.callgate.files.SealedSpoolChannel;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.DataKey;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialer lists: {@code /<campaign>/lists/<campaign>-<NNNN>.csv}, one per accepted upload, with
 * {@code record_id;phone;} and the campaign's dialer fields — nothing else (data minimisation) — and
 * never a block-listed number.
 *
 * <h2>At rest</h2>
 * The file on disk is the {@link SealedSpool} form of the CSV under the campaign's data key (so it dies
 * with the key when the campaign is shredded). The gateway serves it through {@link #open}, a
 * random-access decrypting channel: the dialer receives the plain CSV, byte for byte the same on every
 * read, and no plaintext ever touches the disk.
 *
 * <h2>Atomic</h2>
 * A list is rendered to a hidden temporary name and renamed over its final name ({@link AtomicFiles}), so
 * a reader sees no list or a whole one; an open reader keeps the version it opened.
 *
 * <h2>Blocked after publication</h2>
 * When numbers are added to the block list, every published list that the dialer has not yet downloaded
 * completely and that holds more blocked numbers than when it was rendered is rendered again, under the
 * same name. A list already downloaded stays as it was: the dialer has the bytes anyway, and the block
 * list is checked again where it matters (results and exports, a later issue).
 */
public final class DialerLists {
    private static final Logger log = LoggerFactory.getLogger(DialerLists.class);
    private final CampaignStore campaigns;
    private final CampaignKeyStore campaignKeys;
    private final RecordStore records;
    private final UploadReportStore reports;
    private final CampaignFolders folders;
    private final StorageGuard storage;
    private final AuditLog audit;
    private final CallgateMetrics metrics;
    private final BlockList blockList;
    private final DialerListStore store;
    private volatile DialerPush push;

    /** Held while a list file is replaced and its row updated, and while a reader opens it. */
    private final Object publication = new Object();
    private final Map<SealedSpoolChannel, String> openedDigests =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * @param reports where a rendering that had to withhold rows adds them to the upload's report
     */
    public DialerLists(CampaignStore campaigns, CampaignKeyStore campaignKeys, RecordStore records,
                       UploadReportStore reports, CampaignFolders folders, StorageGuard storage, AuditLog audit,
                       CallgateMetrics metrics, BlockList blockList, DialerListStore store) {
        this.campaigns = campaigns;
        this.campaignKeys = campaignKeys;
        this.records = records;
        this.reports = reports;
        this.folders = folders;
        this.storage = storage;
        this.audit = audit;
        this.metrics = metrics;
        this.blockList = blockList;
        this.store = store;
        blockList.onBlocked(this::republishStale);
    }

    /** Lists are also pushed to the campaign's remote dialer, if it has one configured. */
    public void pushWith(DialerPush push) {
        this.push = push;
    }

    /** Queues again the list pushes a stop or a kill left undone. Run at start. */
    public int resumePushes() {
        DialerPush p = push;
        return p == null ? 0 : p.resume(this::pushSource);
    }

    /** A published list's plaintext, as the push sends it. */
    private InputStream pushSource(String campaign, String fileName) throws IOException {
        return java.nio.channels.Channels.newInputStream(open(campaign, fileName));
    }

    public DialerListStore store() {
        return store;
    }

    /**
     * Publishes the list of an accepted upload once: the list the validate pass wrote ({@link #stage}) is
     * renamed into place when it is still exact, else the list is rendered from the record store. A re-run
     * after a crash before the row was marked published does the same again under the same file name; a
     * re-run after it changes nothing.
     */
    public DialerListStore.ListRow publishOnce(String uploadId, String campaign) throws IOException {
        DialerListStore.ListRow row = store.assign(uploadId, campaign);
        if (row.state() != DialerListStore.State.PUBLISHED || !Files.exists(file(row))) {
            if (!publishStaged(row)) {
                render(row, "upload");
            }
        }
        discardStaged(uploadId, campaign);
        return store.byUpload(uploadId).orElseThrow();
    }

    /**
     * Starts the dialer list of an upload in the validate pass: rows are added as the records are stored.
     * Laid out with the campaign's current format and dialer fields.
     */
    public StagedList stage(String uploadId, String campaign) throws IOException {
        Campaign c = campaigns.find(campaign).orElseThrow();
        DataKey key = campaignKeys.forCampaign(campaign);
        Path file = stagedFile(campaign, uploadId);
        storage.checkWrite(file);
        String format = store.format(campaign);
        ListRenderer renderer = new ListRenderer(SealedSpool.writer(file, key, stagedContext(campaign, uploadId)),
                c.dialerFields(), "vicidial".equals(format));
        return new StagedList(uploadId, file, renderer, blockList, store, ListRenderer.layout(format, c.dialerFields()));
    }

    /** Removes what the validate pass staged for an upload's list (a re-run, a rejected file). Idempotent. */
    public void discardStaged(String uploadId, String campaign) throws IOException {
        FileShredder.shred(stagedFile(campaign, uploadId));
        store.dropStaged(uploadId);
    }

    private Path stagedFile(String campaign, String uploadId) {
        return DialerListFiles.stagedFile(folders, campaign, uploadId);
    }

    /**
     * Publishes the staged list by renaming it, if it is still exactly what a rendering from the store
     * would give: same layout, the record set ACTIVE with no record erased, and no number blocked since that
     * it holds. Under the rendering lock, so an erasure's or a block's re-rendering runs before (and is seen
     * here) or after (and replaces this file). A number blocked after the check is caught by the second
     * look at the block list's size below, or else by the block list's listener, which then finds this
     * list published.
     *
     * @return false if the list must be rendered from the store instead
     */
    private synchronized boolean publishStaged(DialerListStore.ListRow row) throws IOException {
        Optional<DialerListStore.Staged> found = store.stagedOf(row.uploadId());
        Path staged = stagedFile(row.campaign(), row.uploadId());
        if (found.isEmpty() || !Files.exists(staged)) {
            return false;
        }
        DialerListStore.Staged s = found.get();
        Campaign campaign = campaigns.find(row.campaign()).orElseThrow();
        campaignKeys.forCampaign(row.campaign()); // a shredded campaign fails here as a rendering would
        if (!s.layout().equals(ListRenderer.layout(store.format(row.campaign()), campaign.dialerFields()))
                || !records.isActiveAndWhole(row.uploadId())) {
            return false;
        }
        long blockedNow = blockList.size();
        if (blockedNow != s.blockListSize() && holdsNewlyBlocked(row.uploadId(), s.rowsBlocked())) {
            return false;
        }
        Path target = file(row);
        storage.checkWrite(target);
        synchronized (publication) {
            AtomicFiles.publish(staged, target);
            store.published(row.uploadId(), s.rowsListed(), s.rowsBlocked(), s.plainSize(), s.sha256(), true);
        }
        announce(row, "upload", s.rowsListed(), s.rowsBlocked(), s.rowsWithheld(), s.plainSize());
        if (blockList.size() != blockedNow && holdsNewlyBlocked(row.uploadId(), s.rowsBlocked())) {
            render(store.byUpload(row.uploadId()).orElseThrow(), "blocked");
        }
        return true;
    }

    /**
     * Renders an upload's list again from the store, whether downloaded or not (for a data-subject erasure
     * or a withdrawn upload: the list must then lose the erased records). No-op if it has no list.
     */
    public void republish(String uploadId, String reason) throws IOException {
        Optional<DialerListStore.ListRow> row = store.byUpload(uploadId);
        if (row.isPresent() && !campaignKeys.isDestroyed(row.get().campaign())) {
            render(row.get(), reason);
        }
    }

    /** Re-renders every not yet downloaded list that holds a number blocked since it was rendered. */
    public void republishStale() {
        for (String uploadId : staleUndownloaded()) {
            DialerListStore.ListRow row = store.byUpload(uploadId).orElseThrow();
            try {
                if (campaignKeys.isDestroyed(row.campaign())) {
                    continue;
                }
                render(row, "blocked");
            } catch (IOException | RuntimeException e) {
                // The old list stays until the next block-list change retries; the failure is loud.
                log.error("re-publishing dialer list {} failed: {}", row.fileName(), e.toString());
                audit.record(AuditEvent.failed("callgate", null, "dialer.list.republish",
                        listPath(row), e.getClass().getSimpleName()));
            }
        }
    }

    /**
     * Published, not yet downloaded lists that hold more blocked numbers than when they were last
     * published: the blocked hashes looked up in the record index, no decryption.
     */
    private List<String> staleUndownloaded() {
        List<DialerListStore.Undownloaded> lists = store.undownloaded();
        if (lists.isEmpty()) {
            return List.of();
        }
        List<byte[]> blocked = store.blockedPhoneHashes();
        List<String> stale = new ArrayList<>();
        for (DialerListStore.Undownloaded l : lists) {
            if (records.idsWithPhones(l.uploadId(), blocked).size() > l.rowsBlocked()) {
                stale.add(l.uploadId());
            }
        }
        return stale;
    }

    /** Does the upload's list leave out fewer numbers than are blocked among its records now? */
    private boolean holdsNewlyBlocked(String uploadId, long rowsBlocked) {
        return records.idsWithPhones(uploadId, store.blockedPhoneHashes()).size() > rowsBlocked;
    }

    /** Renders a list from the record store (every published, not erased record, in row order). */
    private synchronized void render(DialerListStore.ListRow row, String reason) throws IOException {
        Campaign campaign = campaigns.find(row.campaign()).orElseThrow();
        DataKey key = campaignKeys.forCampaign(row.campaign());
        Path target = file(row);
        Path tmp = target.resolveSibling(".tmp-" + row.fileName());
        storage.checkWrite(target);
        ListRenderer.Result done;
        try (ListRenderer out = new ListRenderer(SealedSpool.writer(tmp, key, context(row.campaign(), row.fileName())),
                     campaign.dialerFields(), "vicidial".equals(store.format(row.campaign())));
             Stream<RecordStore.StoredRecord> records = this.records.activeRecords(row.uploadId())) {
            for (RecordStore.StoredRecord r : (Iterable<RecordStore.StoredRecord>) records::iterator) {
                out.add(r.recordId(), r.record(), blockList.contains(r.record().phone()));
            }
            done = out.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (done.withheldRows() > 0) {
            // Reported to the controller with the upload's report (this stage runs before the report stage).
            reports.appendOnce(row.uploadId(), ";dialer_rows_withheld;", done.withheldSection());
        }
        synchronized (publication) {
            AtomicFiles.publish(tmp, target);
            store.published(row.uploadId(), done.listed(), done.blocked(), done.bytes(), done.sha256(), false);
        }
        announce(row, reason, done.listed(), done.blocked(), done.withheldRows(), done.bytes());
    }

    /** After a (re-)publication: metrics, the push, the audit entry. */
    private void announce(DialerListStore.ListRow row, String reason, long listed, long blocked, long withheldRows,
                          long bytes) {
        long newlyBlocked = blocked - (row.state() == DialerListStore.State.PUBLISHED ? row.rowsBlocked() : 0);
        if (newlyBlocked > 0) {
            metrics.ingestRecordsBlocked().increment(newlyBlocked);
        }
        metrics.dialerListsPublished(reason).increment();
        DialerPush p = push;
        if (p != null) {
            p.submit(row.campaign(), row.fileName(), this::pushSource);
        }
        audit.record(AuditEvent.ok("callgate", null, "dialer.list.publish", listPath(row),
                "upload=" + row.uploadId() + " reason=" + reason + " rows=" + listed + " blocked=" + blocked
                        + " withheld=" + withheldRows + " bytes=" + bytes));
    }

    // ---------------------------------------------------------------- reading (the gateway's side)

    /** Is this file in a lists folder one of ours (and so to be read through {@link #open})? */
    public boolean isList(String campaign, String fileName) {
        return store.byName(campaign, fileName).isPresent();
    }

    /**
     * The plaintext of a published list, for random-access reads. The SHA-256 recorded when that very file
     * was published is kept for the reader ({@link #publishedDigest}): the pickup audit names it instead of
     * hashing every byte served again (#15), and opening the file and reading its row under the lock of
     * publication guarantees both belong to the same rendering.
     */
    public SealedSpoolChannel open(String campaign, String fileName) throws IOException {
        Path path = folders.area(campaign, Area.LISTS).resolve(fileName);
        DataKey key;
        try {
            key = campaignKeys.forCampaign(campaign);
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            throw new NoSuchFileException(fileName);
        }
        synchronized (publication) {
            Optional<DialerListStore.ListRow> row = store.byName(campaign, fileName);
            String context = row.isPresent() && row.get().sealedToUpload()
                    ? stagedContext(campaign, row.get().uploadId()) : context(campaign, fileName);
            SealedSpoolChannel channel = SealedSpoolChannel.open(path, key, context);
            row.flatMap(DialerListStore.ListRow::sha256).ifPresent(d -> openedDigests.put(channel, d));
            return channel;
        }
    }

    /** The SHA-256 of the plaintext a channel from {@link #open} reads, as recorded at its publication. */
    public Optional<String> publishedDigest(SealedSpoolChannel channel) {
        return Optional.ofNullable(openedDigests.remove(channel));
    }

    /** The size the dialer sees: the plaintext's, computed from the sealed file's own size. */
    public Optional<Long> plaintextSize(String campaign, String fileName) {
        Path path = folders.area(campaign, Area.LISTS).resolve(fileName);
        try {
            return Optional.of(SealedSpoolChannel.plaintextSize(Files.size(path)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The dialer has read a whole list: from now on it is never re-published. */
    public void downloaded(String campaign, String fileName, String account) {
        if (store.downloaded(campaign, fileName, account)) {
            audit.record(AuditEvent.ok(account, null, "dialer.list.downloaded",
                    "/" + campaign + "/lists/" + fileName, null));
        }
    }

    private Path file(DialerListStore.ListRow row) {
        return folders.area(row.campaign(), Area.LISTS).resolve(row.fileName());
    }

    private static String listPath(DialerListStore.ListRow row) {
        return "/" + row.campaign() + "/lists/" + row.fileName();
    }

    /** Binds the sealed segments to the list's name: a list cannot be passed off as another. */
    private static String context(String campaign, String fileName) {
        return "dialer-list:" + campaign + "/" + fileName;
    }

    /**
     * Binds a list the validate pass wrote to its upload (its name is not known yet then); upload ids are
     * unique, so it cannot be passed off as another list either.
     */
    private static String stagedContext(String campaign, String uploadId) {
        return "dialer-list-of-upload:" + campaign + "/" + uploadId;
    }
}
