package fi.callgate.results;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Party;
import fi.callgate.agreement.Provenance;
import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.dialer.DialerPush;
import fi.callgate.domain.Area;
import fi.callgate.domain.Campaign;
import fi.callgate.files.FileShredder;
import fi.callgate.publish.OutboxFile;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.DataKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exports to the controller: {@code orders-<campaign>-<UTC yyyyMMddHHmmss>.csv.gpg} (or {@code .csv.zip},
 * AES-256, when the method agreed with the controller is aes-zip) (orders and address
 * changes, each with the person's data as stored and its {@code source}) and {@code callbans-…} (phones
 * with their source), encrypted to the campaign's controller key and signed by the gateway key (AES-256,
 * SHA-256), published atomically in the outbox.
 *
 * <h2>Exactly once</h2>
 * A batch row with its file name is committed together with the results it takes BEFORE anything is
 * written; the file is then rendered from exactly those results, published atomically, and the batch marked
 * published. A kill before the mark leaves an OPEN batch: {@link #resumeOpen} (at start, and before every
 * export) writes the same file name again from the same results. So each result is in exactly one file,
 * and no file appears twice or half-written.
 *
 * <h2>Housekeeping</h2>
 * A published file is shredded {@code keepAfterDownload} after the controller first downloaded it whole,
 * and at the latest {@code maxAge} after it was written ({@link #housekeeping}, run by the export timer).
 */
public final class Exports {
    private static final Logger log = LoggerFactory.getLogger(Exports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private final Agreements agreements;
    private final CampaignStore campaigns;
    private final GatewayKey gatewayKey;
    private final Clock clock;
    private final CampaignFolders folders;
    private final Checkpoints checkpoints;
    private final CampaignKeyStore campaignKeys;
    private final AuditLog audit;
    private final StorageGuard storage;
    private final ResultStore store;
    private final Duration keepAfterDownload;
    private final Duration maxAge;
    private final Envelopes envelopes;
    private volatile DsarNotices notices = DsarNotices.NONE;
    private volatile DialerPush push;

    public Exports(Agreements agreements, CampaignStore campaigns, GatewayKey gatewayKey, Clock clock,
                   CampaignFolders folders, Checkpoints checkpoints, CampaignKeyStore campaignKeys, AuditLog audit,
                   StorageGuard storage, ResultStore store, Duration keepAfterDownload, Duration maxAge) {
        this.agreements = agreements;
        this.campaigns = campaigns;
        this.gatewayKey = gatewayKey;
        this.clock = clock;
        this.folders = folders;
        this.checkpoints = checkpoints;
        this.campaignKeys = campaignKeys;
        this.audit = audit;
        this.storage = storage;
        this.store = store;
        this.keepAfterDownload = keepAfterDownload;
        this.maxAge = maxAge;
        this.envelopes = new Envelopes(agreements, campaigns, gatewayKey, clock);
    }

    /** DSAR hook: erasure notices written into the next orders export. */
    public void noticesFrom(DsarNotices notices) {
        this.notices = notices;
    }

    /**
     * Published exports are also pushed to the campaign's controller SFTP server, if it has one configured.
     * The push is asynchronous and retried; the file stays in the outbox whatever happens to it.
     */
    public void pushWith(DialerPush push) {
        this.push = push;
    }

    /** Queues again the export pushes a stop or a kill left undone. Run at start. */
    public int resumePushes() {
        DialerPush p = push;
        return p == null ? 0 : p.resume(this::pushSource);
    }

    /** A published export as it lies in the outbox (already encrypted to the controller). */
    private InputStream pushSource(String campaign, String fileName) throws IOException {
        return Files.newInputStream(folders.area(campaign, Area.OUTBOX).resolve(fileName));
    }

    public ResultStore store() {
        return store;
    }

    /** The campaign cannot be exported to: no usable controller key, or its data is already shredded. */
    public static final class ExportUnavailableException extends IllegalStateException {
        public ExportUnavailableException(String message) {
            super(message);
        }
    }

    /** Exports the campaign's pending results now; returns the file names published (possibly none). */
    public synchronized List<String> export(String campaign) throws IOException {
        List<String> published = new ArrayList<>(resume(campaign));
        // The controller's agreed method names the file: .csv.gpg (OpenPGP) or .csv.zip (aes-zip).
        String suffix = envelopes.forParty(Party.controller(campaign)).map(Envelope::suffix).orElse(".gpg");
        for (Outcome.ExportKind kind : Outcome.ExportKind.values()) {
            Instant now = clock.instant();
            Optional<ResultStore.Batch> batch = store.openBatch(campaign, kind,
                    i -> kind.code() + "-" + campaign + "-" + STAMP.format(now.plusSeconds(i)) + ".csv" + suffix, now);
            if (batch.isPresent()) {
                checkpoints.reached("export-batch", batch.get().id());
                write(batch.get());
                published.add(batch.get().fileName());
            }
        }
        return published;
    }

    /** The timer's run: every campaign with pending results or an open batch. Failures stay pending. */
    public void exportAll() {
        for (String campaign : store.campaignsWithWork()) {
            try {
                export(campaign);
            } catch (ExportUnavailableException e) {
                log.warn("campaign {}: export waits: {}", campaign, e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.error("campaign {}: export failed, retried at the next run: {}", campaign, e.toString());
            }
        }
    }

    /** Writes every batch a crash left open, under its recorded name. Run at start. */
    public synchronized void resumeOpen() {
        for (String campaign : store.campaignsWithWork()) {
            try {
                resume(campaign);
            } catch (IOException | RuntimeException e) {
                log.error("campaign {}: resuming an open export failed: {}", campaign, e.toString());
            }
        }
    }

    private List<String> resume(String campaign) throws IOException {
        List<String> names = new ArrayList<>();
        for (ResultStore.Batch b : store.open(campaign)) {
            write(b);
            names.add(b.fileName());
        }
        return names;
    }

    private void write(ResultStore.Batch b) throws IOException {
        Campaign campaign = campaigns.find(b.campaign()).orElseThrow();
        Envelope envelope = envelopes.forFile(Party.controller(campaign.id()), b.fileName()).orElseThrow(() ->
                new ExportUnavailableException("campaign " + campaign.id() + " has no usable controller key"
                        + (b.fileName().endsWith(".zip") ? " (aes-zip: no passphrase)" : "")));
        if (campaignKeys.isDestroyed(b.campaign())) {
            throw new ExportUnavailableException("the campaign's data is shredded");
        }
        DataKey key = campaignKeys.forCampaign(b.campaign());
        StringBuilder csv = new StringBuilder();
        csv.append(ExportCsv.line(b.kind() == Outcome.ExportKind.ORDERS ? ExportCsv.ORDERS : ExportCsv.CALLBANS));
        long rows = 0;
        Map<String, Optional<Provenance>> provenance = new HashMap<>();
        for (ResultStore.Stored r : store.ofBatch(b.id())) {
            if (r.payload() == null) {
                continue; // erased by a data-subject request after the batch was opened
            }
            ResultDetails d = ResultDetails.open(key, b.campaign(), r.uploadId(), r.row(), r.payload());
            csv.append(ExportCsv.line(b.kind() == Outcome.ExportKind.ORDERS
                    ? orderRow(r, d, provenance.computeIfAbsent(String.valueOf(r.listUploadId()),
                            id -> agreements.store().provenance(id)))
                    : banRow(r, d)));
            rows++;
        }
        List<DsarNotices.Notice> told = b.kind() == Outcome.ExportKind.ORDERS ? notices.pending(b.campaign()) : List.of();
        for (DsarNotices.Notice n : told) {
            csv.append(ExportCsv.line(noticeRow(n)));
        }
        OutboxFile.publish(storage, folders.area(b.campaign(), Area.OUTBOX), b.fileName(), ".tmp-export-" + b.id(),
                envelope, csv.toString().getBytes(StandardCharsets.UTF_8));
        checkpoints.reached("export-publish", b.id());
        store.published(b.id(), clock.instant());
        notices.delivered(b.campaign(), told);
        DialerPush p = push;
        if (p != null) {
            p.submit(b.campaign(), b.fileName(), this::pushSource);
        }
        audit.record(AuditEvent.ok("callgate", null, "export.published",
                "/" + b.campaign() + "/outbox/" + b.fileName(), "batch=" + b.id() + " kind=" + b.kind().code()
                        + " rows=" + rows));
        log.info("export {} of campaign {} published: {} row(s)", b.fileName(), b.campaign(), rows);
    }

    /** {@code supplier}/{@code agreement}: provenance of the list the record came from (issue #16). */
    private List<String> orderRow(ResultStore.Stored r, ResultDetails d, Optional<Provenance> from) {
        List<String> cells = new ArrayList<>();
        for (String col : ExportCsv.ORDERS) {
            cells.add(switch (col) {
                case "record_id" -> r.recordId();
                case "type" -> r.outcome().code();
                case "reported_at" -> r.createdAt().toString();
                case "dsar_notice" -> "";
                case "supplier" -> from.map(Provenance::supplierOrg).orElse("");
                case "agreement" -> from.map(Provenance::agreement).orElse("");
                default -> d.get(col);
            });
        }
        return cells;
    }

    private static List<String> noticeRow(DsarNotices.Notice n) {
        List<String> cells = new ArrayList<>();
        for (String col : ExportCsv.ORDERS) {
            cells.add(switch (col) {
                case "type" -> "dsar_erasure";
                case "dsar_notice" -> n.text();
                default -> "";
            });
        }
        return cells;
    }

    private static List<String> banRow(ResultStore.Stored r, ResultDetails d) {
        return List.of(r.recordId(), d.get("phone"), d.get("source"), r.createdAt().toString());
    }

    // ------------------------------------------------------------------ outbox housekeeping

    /** When the file is shredded: keep-after-download past the first download, capped at max-age. */
    public Instant deadline(ResultStore.Batch b) {
        Instant written = b.publishedAt().orElse(b.createdAt());
        Instant cap = written.plus(maxAge);
        return b.downloadedAt().map(d -> d.plus(keepAfterDownload)).filter(d -> d.isBefore(cap)).orElse(cap);
    }

    /** Why the deadline is what it is. */
    public String deadlineReason(ResultStore.Batch b) {
        Instant cap = b.publishedAt().orElse(b.createdAt()).plus(maxAge);
        return b.downloadedAt().isPresent() && b.downloadedAt().get().plus(keepAfterDownload).isBefore(cap)
                ? "export-downloaded" : "export-max-age";
    }

    /** Shreds every published export past its deadline; returns how many. */
    public synchronized int housekeeping() {
        Instant now = clock.instant();
        int n = 0;
        for (ResultStore.Batch b : store.published()) {
            if (deadline(b).isAfter(now)) {
                continue;
            }
            try {
                FileShredder.shred(folders.area(b.campaign(), Area.OUTBOX).resolve(b.fileName()));
                store.shredded(b.id(), now);
                audit.record(AuditEvent.ok("callgate", null, "export.shredded",
                        "/" + b.campaign() + "/outbox/" + b.fileName(), "batch=" + b.id() + " reason="
                                + deadlineReason(b)));
                n++;
            } catch (IOException | RuntimeException e) {
                log.error("shredding export {} failed, retried at the next run: {}", b.fileName(), e.toString());
            }
        }
        return n;
    }

    /** The controller downloaded an outbox file whole (from the SFTP read auditor). */
    public void downloaded(String campaign, String fileName) {
        if (store.downloaded(campaign, fileName, clock.instant())) {
            log.info("export {} of campaign {} downloaded by the controller", fileName, campaign);
        }
    }

    /** The timer's work: exports due, then housekeeping. */
    public void tick() {
        if (!storage.isOpen()) {
            return; // nothing may be written under data-dir now; pending results stay pending
        }
        exportAll();
        housekeeping();
    }
}
