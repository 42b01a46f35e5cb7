package fi.callgate.dialer;

import fi.callgate.audit.AuditEvent;
import fi.callgate.blocklist.BlockList;
import fi.callgate.domain.Area;
import fi.callgate.domain.CallRecord;
import fi.callgate.domain.Campaign;
import fi.callgate.files.AtomicFiles;
import fi.callgate.csv.CsvCell;
import fi.callgate.pipeline.stage.IntakeContext;
import fi.callgate.files.SealedSpool;
import fi.callgate.files.SealedSpoolChannel;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.DataKey;
import fi.callgate.store.RecordStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
    private final IntakeContext ctx;
    private final BlockList blockList;
    private final DialerListStore store;
    private volatile DialerPush push;

    /** Held while a list file is replaced and its row updated, and while a reader opens it. */
    private final Object publication = new Object();
    private final Map<SealedSpoolChannel, String> openedDigests =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public DialerLists(IntakeContext ctx, BlockList blockList, DialerListStore store) {
        this.ctx = ctx;
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
     * Publishes the list of an accepted upload once: a re-run after a crash before the row was marked
     * published renders the same file name again; a re-run after it changes nothing.
     */
    public DialerListStore.ListRow publishOnce(String uploadId, String campaign) throws IOException {
        DialerListStore.ListRow row = store.assign(uploadId, campaign);
        if (row.state() == DialerListStore.State.PUBLISHED && Files.exists(file(row))) {
            return row;
        }
        render(row, "upload");
        return store.byUpload(uploadId).orElseThrow();
    }

    /**
     * Renders an upload's list again from the store, whether downloaded or not (for a data-subject erasure
     * or a withdrawn upload: the list must then lose the erased records). No-op if it has no list.
     */
    public void republish(String uploadId, String reason) throws IOException {
        Optional<DialerListStore.ListRow> row = store.byUpload(uploadId);
        if (row.isPresent() && !ctx.campaignKeys().isDestroyed(row.get().campaign())) {
            render(row.get(), reason);
        }
    }

    /** Re-renders every not yet downloaded list that holds a number blocked since it was rendered. */
    public void republishStale() {
        for (String uploadId : staleUndownloaded()) {
            DialerListStore.ListRow row = store.byUpload(uploadId).orElseThrow();
            try {
                if (ctx.campaignKeys().isDestroyed(row.campaign())) {
                    continue;
                }
                render(row, "blocked");
            } catch (IOException | RuntimeException e) {
                // The old list stays until the next block-list change retries; the failure is loud.
                log.error("re-publishing dialer list {} failed: {}", row.fileName(), e.toString());
                ctx.audit().record(AuditEvent.failed("callgate", null, "dialer.list.republish",
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
            if (ctx.records().idsWithPhones(l.uploadId(), blocked).size() > l.rowsBlocked()) {
                stale.add(l.uploadId());
            }
        }
        return stale;
    }

    private synchronized void render(DialerListStore.ListRow row, String reason) throws IOException {
        Campaign campaign = ctx.campaigns().find(row.campaign()).orElseThrow();
        DataKey key = ctx.campaignKeys().forCampaign(row.campaign());
        Path target = file(row);
        Path tmp = target.resolveSibling(".tmp-" + row.fileName());
        ctx.storage().checkWrite(target);
        MessageDigest sha = sha256();
        long listed = 0;
        long blocked = 0;
        long bytes;
        boolean vicidial = "vicidial".equals(store.format(row.campaign()));
        StringBuilder withheld = new StringBuilder();
        long withheldRows = 0;
        try (CountingOutputStream counting = new CountingOutputStream(
                SealedSpool.writer(tmp, key, context(row.campaign(), row.fileName())));
             Writer out = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(counting, sha),
                     StandardCharsets.UTF_8), 1 << 16);
             Stream<RecordStore.StoredRecord> records = ctx.records().activeRecords(row.uploadId())) {
            if (!vicidial) {
                out.write(header(campaign.dialerFields()));
            }
            for (RecordStore.StoredRecord r : (Iterable<RecordStore.StoredRecord>) records::iterator) {
                if (blockList.contains(r.record().phone())) {
                    blocked++;
                    continue;
                }
                if (vicidial) {
                    VicidialFormat.Result v = VicidialFormat.line(r.recordId(), r.record(), campaign.dialerFields());
                    if (v.problem() != null) {
                        withheldRows++;
                        withheld.append(r.record().rowNumber()).append(";withheld;").append(v.problem()).append('\n');
                        continue;
                    }
                    out.write(v.line());
                } else {
                    out.write(line(r.recordId(), r.record(), campaign.dialerFields()));
                }
                listed++;
            }
            out.flush();
            bytes = counting.count;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (withheldRows > 0) {
            // Reported to the controller with the upload's report (this stage runs before the report stage).
            ctx.reports().appendOnce(row.uploadId(), ";dialer_rows_withheld;", ";dialer_rows_withheld;" + withheldRows
                    + "\n" + withheld);
        }
        synchronized (publication) {
            AtomicFiles.publish(tmp, target);
            store.published(row.uploadId(), listed, blocked, bytes, HexFormat.of().formatHex(sha.digest()));
        }
        long newlyBlocked = blocked - (row.state() == DialerListStore.State.PUBLISHED ? row.rowsBlocked() : 0);
        if (newlyBlocked > 0) {
            ctx.metrics().ingestRecordsBlocked().increment(newlyBlocked);
        }
        ctx.metrics().dialerListsPublished(reason).increment();
        DialerPush p = push;
        if (p != null) {
            p.submit(row.campaign(), row.fileName(), this::pushSource);
        }
        ctx.audit().record(AuditEvent.ok("callgate", null, "dialer.list.publish", listPath(row),
                "upload=" + row.uploadId() + " reason=" + reason + " rows=" + listed + " blocked=" + blocked
                        + " withheld=" + withheldRows + " bytes=" + bytes));
    }

    static String header(List<String> dialerFields) {
        return "record_id;phone" + (dialerFields.isEmpty() ? "" : ";" + String.join(";", dialerFields)) + "\r\n";
    }

    static String line(String recordId, CallRecord r, List<String> fields) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(CsvCell.quote(recordId)).append(';').append(CsvCell.quote(r.phone().e164()));
        for (String f : fields) {
            sb.append(';').append(CsvCell.quote(field(r, f)));
        }
        return sb.append("\r\n").toString();
    }

    /** A dialer field's value; only the choices of {@link Campaign#DIALER_FIELD_CHOICES} exist. */
    static String field(CallRecord r, String name) {
        return switch (name) {
            case "first_name" -> r.firstName();
            case "last_name" -> r.lastName();
            case "email" -> r.email().orElse("");
            case "street" -> r.street().orElse("");
            case "postal_code" -> r.postalCode().orElse("");
            case "city" -> r.city().orElse("");
            default -> throw new IllegalArgumentException("not a dialer field: " + name);
        };
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
        Path path = ctx.folders().area(campaign, Area.LISTS).resolve(fileName);
        DataKey key;
        try {
            key = ctx.campaignKeys().forCampaign(campaign);
        } catch (CampaignKeyStore.CampaignKeyDestroyedException e) {
            throw new NoSuchFileException(fileName);
        }
        synchronized (publication) {
            SealedSpoolChannel channel = SealedSpoolChannel.open(path, key, context(campaign, fileName));
            store.byName(campaign, fileName).flatMap(DialerListStore.ListRow::sha256)
                    .ifPresent(d -> openedDigests.put(channel, d));
            return channel;
        }
    }

    /** The SHA-256 of the plaintext a channel from {@link #open} reads, as recorded at its publication. */
    public Optional<String> publishedDigest(SealedSpoolChannel channel) {
        return Optional.ofNullable(openedDigests.remove(channel));
    }

    /** The size the dialer sees: the plaintext's, computed from the sealed file's own size. */
    public Optional<Long> plaintextSize(String campaign, String fileName) {
        Path path = ctx.folders().area(campaign, Area.LISTS).resolve(fileName);
        try {
            return Optional.of(SealedSpoolChannel.plaintextSize(Files.size(path)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The dialer has read a whole list: from now on it is never re-published. */
    public void downloaded(String campaign, String fileName, String account) {
        if (store.downloaded(campaign, fileName, account)) {
            ctx.audit().record(AuditEvent.ok(account, null, "dialer.list.downloaded",
                    "/" + campaign + "/lists/" + fileName, null));
        }
    }

    private Path file(DialerListStore.ListRow row) {
        return ctx.folders().area(row.campaign(), Area.LISTS).resolve(row.fileName());
    }

    private static String listPath(DialerListStore.ListRow row) {
        return "/" + row.campaign() + "/lists/" + row.fileName();
    }

    /** Binds the sealed segments to the list's name: a list cannot be passed off as another. */
    private static String context(String campaign, String fileName) {
        return "dialer-list:" + campaign + "/" + fileName;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
