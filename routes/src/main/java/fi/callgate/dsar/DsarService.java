package fi.callgate.dsar;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.PgpException;
import fi.callgate.domain.CallRecord;
import fi.callgate.domain.Campaign;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.domain.PhoneNumberNormaliser;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.retention.Dataset;
import fi.callgate.retention.DeletionReceipt;
import fi.callgate.retention.ReceiptPublisher;
import fi.callgate.retention.Retention;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.RecordStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-subject requests: {@link #find} (search every campaign through the blind indexes, open a request
 * due in {@value #DUE_DAYS} days), {@link #erase} (destroy what it found everywhere, block, receipts,
 * notices for the controllers), {@link #close} and the open/overdue gauges.
 *
 * <p>What never leaves this class in plaintext: the searched value (stored only as its blind-index hash)
 * and the records' contents (only in the returned answer, for the requester). Audit entries carry the
 * request id, the criteria kind and counts.
 *
 * <h2>Erase, step by step (re-running a half-done erase finishes it)</h2>
 * <ol>
 *   <li>the records: those the answer listed plus, for phone and email, those the stored hash finds now
 *       (arrived since); only those still stored count;</li>
 *   <li>open → erasing, with one notice per campaign and its receipt name fixed, in one transaction;</li>
 *   <li>{@code --block}: each distinct phone to the block list (the flag is stored, so a resumed erase
 *       blocks too);</li>
 *   <li>the results about them purged (pending exports included; hook);</li>
 *   <li>the records deleted from the store, with their record sets' counts, in one transaction;</li>
 *   <li>their dialer lists re-published without them (hook);</li>
 *   <li>one signed receipt per campaign (reason DSAR), published and audited once;</li>
 *   <li>erasing → erased, audited.</li>
 * </ol>
 * Every step after the second is idempotent, and the state "erasing" is durable: an erase a kill
 * interrupted is finished at the next start ({@link #resumeInterrupted}) or by running it again. Each
 * step, once durable, is reported to {@link Checkpoints} (named {@code dsar-…}, with the request id).
 */
public final class DsarService {
    static final int DUE_DAYS = 30;
    private static final String ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(DsarService.class);

    private final DsarStore store;
    private final RecordStore records;
    private final BlindIndex index;
    private final CampaignStore campaigns;
    private final UploadStore uploads;
    private final Retention retention;
    private final ReceiptPublisher receipts;
    private final AuditLog audit;
    private final CallgateMetrics metrics;
    private final DsarHooks hooks;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final PhoneNumberNormaliser normaliser = new PhoneNumberNormaliser();
    /** The supplier a list came through (issue #16), by upload id; set by the composition root. */
    private volatile java.util.function.Function<String, Optional<fi.callgate.agreement.Provenance>> provenance =
            uploadId -> Optional.empty();

    public record Parts(DsarStore store, RecordStore records, BlindIndex index, CampaignStore campaigns,
                        UploadStore uploads, Retention retention, ReceiptPublisher receipts, AuditLog audit,
                        CallgateMetrics metrics, DsarHooks hooks, Clock clock, Checkpoints checkpoints) {
    }

    /** Answers name the supplier and agreement each record's list came through. */
    public void provenanceFrom(java.util.function.Function<String, Optional<fi.callgate.agreement.Provenance>> lookup) {
        this.provenance = lookup;
    }

    public DsarService(Parts p) {
        this.store = p.store();
        this.records = p.records();
        this.index = p.index();
        this.campaigns = p.campaigns();
        this.uploads = p.uploads();
        this.retention = p.retention();
        this.receipts = p.receipts();
        this.audit = p.audit();
        this.metrics = p.metrics();
        this.hooks = p.hooks();
        this.clock = p.clock();
        this.checkpoints = p.checkpoints();
        metrics.dsarGauges(this::openCount, this::overdueCount);
    }

    /** The result of an erase (counts only). */
    public record Erasure(String requestId, int records, List<String> campaigns, int phonesBlocked, int listsRepublished,
                          int exportRowsErased, List<String> receipts, Instant purgedBy) {
    }

    /**
     * Searches and opens a request. Audited in every outcome, never with the searched value.
     *
     * @throws DsarCriteria.NotIdentified a name without an address: no request is opened
     * @throws IllegalArgumentException   unusable options (message without the values)
     */
    public DsarAnswer find(String phone, String email, String name, String address, String actor, String source) {
        DsarCriteria criteria;
        try {
            criteria = DsarCriteria.parse(phone, email, name, address, normaliser);
        } catch (DsarCriteria.NotIdentified e) {
            audit.record(AuditEvent.failed(actor, source, "dsar.find", "-", "not_identified criteria=name"));
            throw e;
        } catch (IllegalArgumentException e) {
            audit.record(AuditEvent.failed(actor, source, "dsar.find", "-", "invalid criteria"));
            throw e;
        }
        List<RecordStore.StoredRecord> found;
        byte[] hash;
        if (criteria instanceof DsarCriteria.Phone p) {
            found = records.findByPhone(p.phone());
            hash = index.phone(p.phone());
        } else if (criteria instanceof DsarCriteria.Email e) {
            found = records.findByEmail(e.email());
            hash = index.email(e.email());
        } else {
            DsarCriteria.NameAddress n = (DsarCriteria.NameAddress) criteria;
            found = records.findByNamePostal(n.fullName(), "", n.postalCode()).stream()
                    .filter(r -> n.streetMatches(r.record().street())).toList();
            hash = index.namePostal(n.fullName(), "", n.postalCode());
        }
        List<String> ids = found.stream().map(RecordStore.StoredRecord::recordId).toList();
        List<DsarStore.Found> rows = found.stream()
                .map(r -> new DsarStore.Found(r.recordId(), r.campaign(), r.uploadId())).toList();
        // Every stage beyond the store: the dialer lists holding the records, the results about them.
        List<DsarHooks.ListRepublisher.Listed> lists = hooks.lists().holding(rows);
        List<DsarHooks.PendingExports.Held> results = hooks.exports().find(ids);
        long pending = results.stream().filter(DsarHooks.PendingExports.Held::pending).count();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant due = now.plus(Duration.ofDays(DUE_DAYS));
        String id;
        do {
            id = newId(now);
        } while (!store.insert(new DsarStore.Request(id, now, due, actor, criteria.kind(), hash, found.size(), "open",
                Optional.empty(), false, Optional.empty()), rows));
        Set<String> touched = found.stream().map(RecordStore.StoredRecord::campaign).collect(Collectors.toSet());
        audit.record(AuditEvent.ok(actor, source, "dsar.find", id, "criteria=" + criteria.kind() + " records="
                + found.size() + " campaigns=" + touched.size() + " lists=" + lists.size() + " results="
                + results.size() + " pending_exports=" + pending + " due=" + due));
        return new DsarAnswer(id, now, due, criteria.kind(), items(found), lists, results);
    }

    private List<DsarAnswer.Item> items(List<RecordStore.StoredRecord> found) {
        Map<String, Optional<Campaign>> camps = new HashMap<>();
        Map<String, Map<String, Dataset>> datasets = new HashMap<>();
        List<DsarAnswer.Item> out = new ArrayList<>();
        for (RecordStore.StoredRecord s : found) {
            Optional<Campaign> c = camps.computeIfAbsent(s.campaign(), campaigns::find);
            Map<String, Dataset> ds = datasets.computeIfAbsent(s.campaign(), k -> retention.datasets(k).stream()
                    .collect(Collectors.toMap(Dataset::uploadId, d -> d)));
            Optional<Dataset> d = Optional.ofNullable(ds.get(s.uploadId()));
            Instant received = uploads.find(s.uploadId()).map(Upload::receivedAt).orElse(s.createdAt());
            out.add(new DsarAnswer.Item(s.recordId(), s.campaign(), c.map(Campaign::org).orElse("-"),
                    s.record().source(), fields(s.record()), s.uploadId(), s.createdAt(), received,
                    d.map(Dataset::deadline), d.map(x -> x.reason().text()), provenance.apply(s.uploadId())));
        }
        return out;
    }

    private static Map<String, String> fields(CallRecord r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("first_name", r.firstName());
        m.put("last_name", r.lastName());
        m.put("phone", r.phone().e164());
        r.email().ifPresent(v -> m.put("email", v));
        r.street().ifPresent(v -> m.put("street", v));
        r.postalCode().ifPresent(v -> m.put("postal_code", v));
        r.city().ifPresent(v -> m.put("city", v));
        m.put("source", r.source());
        r.personalId().ifPresent(v -> m.put("personal_id", v.value()));
        return m;
    }

    /**
     * Erases what the request found (see the class comment). Re-running an interrupted erase finishes it.
     *
     * @throws java.util.NoSuchElementException no such request
     * @throws IllegalStateException            the request is erased or closed already
     * @throws UnsupportedOperationException    {@code block} without a block list in this build
     */
    public synchronized Erasure erase(String id, boolean block, String actor, String source) {
        return erase(id, block, actor, source, false);
    }

    /**
     * Finishes every erase a stop or a kill left half done (status "erasing"), as the system. Run at start,
     * before anyone can log in. A failure is logged and audited and leaves the request erasing, to be
     * finished by {@code dsar erase ID} or the next start; it does not stop the gateway.
     *
     * @return how many were finished
     */
    public synchronized int resumeInterrupted() {
        int n = 0;
        for (DsarStore.Request r : store.open()) {
            if (!r.status().equals("erasing")) {
                continue;
            }
            try {
                erase(r.id(), r.blocked(), "callgate", null, true);
                n++;
            } catch (RuntimeException e) {
                log.error("finishing the interrupted erase of {} failed: {}", r.id(), e.getClass().getSimpleName());
                audit.record(AuditEvent.failed("callgate", null, "dsar.erase", r.id(), "resume failed: "
                        + e.getClass().getSimpleName()));
            }
        }
        if (n > 0) {
            log.info("finished {} data-subject erasure(s) interrupted before the restart", n);
        }
        return n;
    }

    private Erasure erase(String id, boolean block, String actor, String source, boolean resumed) {
        DsarStore.Request req = store.find(id).orElseThrow(() -> new java.util.NoSuchElementException(id));
        if (!req.isOpen()) {
            throw new IllegalStateException("request " + id + " is " + req.status() + " already");
        }
        if (block && hooks.blocker() == DsarHooks.PhoneBlocker.NONE) {
            throw new UnsupportedOperationException("the block list is not available in this build");
        }
        Instant now = clock.instant();
        if (req.status().equals("open")) {
            Set<DsarStore.Found> candidates = new LinkedHashSet<>(store.found(id));
            if (!req.criteriaKind().equals("name_address")) {
                records.refsByIndex(req.criteriaKind(), req.criteriaHash()).forEach(r ->
                        candidates.add(new DsarStore.Found(r.recordId(), r.campaign(), r.uploadId())));
            }
            List<DsarStore.Found> present = candidates.stream().filter(f -> records.isStored(f.recordId())).toList();
            store.addFound(id, present);
            List<DsarStore.Notice> notices = new ArrayList<>();
            byCampaign(present).forEach((campaign, list) -> notices.add(new DsarStore.Notice(id, campaign, list.size(),
                    uploadCounts(list), receiptName(campaign, now, notices), Optional.empty(), now, Optional.empty())));
            if (!store.beginErase(id, actor, block, notices)) {
                throw new IllegalStateException("request " + id + " is being erased by someone else");
            }
            checkpoints.reached("dsar-erasing", id);
        }
        List<DsarStore.Notice> notices = store.notices(id);
        Set<String> campaignsTouched = notices.stream().map(DsarStore.Notice::campaign)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<DsarStore.Found> targets = store.found(id).stream()
                .filter(f -> campaignsTouched.contains(f.campaign())).toList();
        List<String> ids = targets.stream().map(DsarStore.Found::recordId).toList();
        int blocked = 0;
        if (block || req.blocked()) {
            Set<PhoneNumber> phones = records.findByIds(ids).stream().map(r -> r.record().phone())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            for (PhoneNumber p : phones) {
                hooks.blocker().block(p, "dsar " + id);
                blocked++;
            }
            checkpoints.reached("dsar-blocked", id);
        }
        int exportRows = hooks.exports().erase(ids);
        checkpoints.reached("dsar-results", id);
        records.deleteRecords(ids);
        checkpoints.reached("dsar-records", id);
        int lists = hooks.lists().republish(targets.stream().map(DsarStore.Found::uploadId).distinct().toList());
        checkpoints.reached("dsar-lists", id);
        List<String> receiptFiles = new ArrayList<>();
        for (DsarStore.Notice n : notices) {
            receiptFiles.add(n.receiptFile());
            String text = DeletionReceipt.renderDsar(n.campaign(), id, n.createdAt(),
                    List.of(n.uploads().split("; ")), n.erasedCount(), purgedBy(n.createdAt()),
                    receipts.gatewayFingerprint());
            try {
                Optional<String> sha = receipts.publish(n.campaign(), n.receiptFile(), text, id + "-" + n.campaign(),
                        "dsar=" + id + " records=" + n.erasedCount(),
                        () -> checkpoints.reached("dsar-receipt-written", id + "/" + n.campaign()));
                if (sha.isPresent()) {
                    store.setReceiptSha256(id, n.campaign(), sha.get());
                    metrics.deletionReceipts().increment();
                }
                checkpoints.reached("dsar-receipt", id + "/" + n.campaign());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (PgpException e) {
                throw new IllegalStateException("cannot sign the deletion receipt: " + e.getMessage(), e);
            }
        }
        int erased = notices.stream().mapToInt(DsarStore.Notice::erasedCount).sum();
        if (store.finishErase(id, erased, clock.instant())) {
            audit.record(AuditEvent.ok(actor, source, "dsar.erase", id, "records=" + erased + " campaigns="
                    + notices.size() + " blocked=" + blocked + " lists_republished=" + lists + " export_rows="
                    + exportRows + " receipts=" + notices.size() + (resumed ? " resumed=after-restart" : "")));
        }
        Instant erasedAt = notices.stream().map(DsarStore.Notice::createdAt).max(Instant::compareTo).orElse(now);
        return new Erasure(id, erased, List.copyOf(campaignsTouched), blocked, lists, exportRows, receiptFiles,
                purgedBy(erasedAt));
    }

    /**
     * When the erased bytes are gone from the disk at the latest: the gateway purges erased records every
     * {@link RecordStore#PURGE_PERIOD}; two periods cover a purge that just missed the erase and its run.
     */
    static Instant purgedBy(Instant erasedAt) {
        return erasedAt.plus(RecordStore.PURGE_PERIOD.multipliedBy(2));
    }

    /** Closes an answered request without erasing (an access-only request). */
    public void close(String id, String actor, String source) {
        DsarStore.Request req = store.find(id).orElseThrow(() -> new java.util.NoSuchElementException(id));
        if (!store.close(id, clock.instant())) {
            throw new IllegalStateException("request " + id + " is " + req.status() + ", not open");
        }
        audit.record(AuditEvent.ok(actor, source, "dsar.close", id, "records=" + req.recordsFound()));
    }

    /** Open requests (open or half-erased), earliest due first. */
    public List<DsarStore.Request> open() {
        return store.open();
    }

    public Optional<DsarStore.Request> request(String id) {
        return store.find(id);
    }

    public Instant now() {
        return clock.instant();
    }

    public double openCount() {
        return store.countOpen();
    }

    public double overdueCount() {
        return store.countOverdue(clock.instant());
    }

    private String receiptName(String campaign, Instant now, List<DsarStore.Notice> chosen) {
        Instant t = now;
        String name = DeletionReceipt.fileName(campaign, t);
        while (taken(campaign, name, chosen)) {
            t = t.plusSeconds(1);
            name = DeletionReceipt.fileName(campaign, t);
        }
        return name;
    }

    private boolean taken(String campaign, String name, List<DsarStore.Notice> chosen) {
        return store.receiptNameTaken(name) || receipts.exists(campaign, name)
                || chosen.stream().anyMatch(n -> n.receiptFile().equals(name));
    }

    private static Map<String, List<DsarStore.Found>> byCampaign(List<DsarStore.Found> found) {
        Map<String, List<DsarStore.Found>> m = new TreeMap<>();
        found.forEach(f -> m.computeIfAbsent(f.campaign(), k -> new ArrayList<>()).add(f));
        return m;
    }

    private static String uploadCounts(List<DsarStore.Found> list) {
        Map<String, Long> m = list.stream().collect(Collectors.groupingBy(DsarStore.Found::uploadId, TreeMap::new,
                Collectors.counting()));
        return m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + " record(s)")
                .collect(Collectors.joining("; "));
    }

    /** DSAR-yyyy-XXXXXX: the year and 30 random bits in an alphabet without look-alikes. Opaque. */
    static String newId(Instant now) {
        StringBuilder s = new StringBuilder("DSAR-").append(now.atZone(ZoneOffset.UTC).getYear()).append('-');
        for (int i = 0; i < 6; i++) {
            s.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return s.toString();
    }
}
