package fi.callgate.gateway.commands;

import fi.callgate.dsar.DsarAnswer;
import fi.callgate.dsar.DsarCriteria;
import fi.callgate.dsar.DsarHooks;
import fi.callgate.dsar.DsarService;
import fi.callgate.dsar.DsarStore;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.recordings.Recordings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dsar find|erase|list|close}: data-subject requests, supervisors only (they answer requesters).
 * The answer of {@code find} holds the person's data — it goes to the requester — so it is written only to
 * the caller's stdout; CommandShell audits {@code dsar} commands with the search values redacted, and the
 * service audits request ids and counts. Not identified (a name without an address) exits 1 and opens no
 * request: the supervisor must first get the phone, email or address the person was contacted by.
 */
@Command(name = "dsar", description = "Data-subject requests (supervisor).")
public final class DsarCommands {
    private final CommandContext ctx;
    private final DsarService dsar;
    private final Recordings recordings;

    public DsarCommands(CommandContext ctx, DsarService dsar, Recordings recordings) {
        this.ctx = ctx;
        this.dsar = dsar;
        this.recordings = recordings;
    }

    @Command(name = "find", description = "Find everything held of a person, in every campaign; opens a request.")
    void find(@Option(names = "--phone", paramLabel = "P") String phone,
              @Option(names = "--email", paramLabel = "E") String email,
              @Option(names = "--name", paramLabel = "\"FIRST LAST\"") String name,
              @Option(names = "--address", paramLabel = "\"STREET, POSTCODE\"") String address) {
        ctx.require(Role.SUPERVISOR);
        DsarAnswer a;
        try {
            a = dsar.find(phone, email, name, address, ctx.caller().name(), ctx.source());
        } catch (DsarCriteria.NotIdentified e) {
            throw new CommandFailure(1, e.getMessage());
        }
        if (ctx.json()) {
            ctx.output().object(ctx, json(a));
            return;
        }
        var out = ctx.out();
        out.println("request " + a.requestId() + " opened " + a.openedAt() + ", due " + a.dueAt()
                + " (searched by " + a.criteriaKind().replace('_', '+') + ")");
        out.println(a.records().size() + " record(s) held"
                + (a.records().isEmpty() ? "." : ":"));
        for (DsarAnswer.Item i : a.records()) {
            out.println();
            out.println("record " + i.recordId());
            out.println("  campaign:      " + i.campaign() + " (controller " + i.organisation() + ")");
            out.println("  source:        " + i.source());
            i.suppliedBy().ifPresent(p -> out.println("  supplied by:   " + p.describe()));
            for (var rec : recordings.heldFor(List.of(i.recordId()))) {
                out.println("  recording:     /" + rec.campaign() + "/outbox/" + rec.fileName() + ", delivered "
                        + rec.deliveredAt() + ", " + rec.downloadedAt().map(d -> "downloaded " + d)
                        .orElse("awaiting download") + " (removed by dsar erase)");
            }
            i.fields().forEach((k, v) -> out.println("  " + String.format("%-14s %s", k + ":", v)));
            out.println("  arrived:       " + i.uploadReceived() + " (upload " + i.uploadId() + "), stored "
                    + i.recordCreated());
            out.println("  deleted by:    " + i.deleteBy().map(Instant::toString).orElse("-")
                    + i.deleteReason().map(r -> " (" + r + ")").orElse(""));
            List<DsarHooks.ListRepublisher.Listed> lists = a.listsOf(i.recordId());
            out.println("  dialer lists:  " + (lists.isEmpty() ? "none" : ""));
            for (DsarHooks.ListRepublisher.Listed l : lists) {
                out.println("    /" + l.campaign() + "/lists/" + l.file() + ", published " + l.publishedAt() + ", "
                        + l.downloadedAt().map(d -> "downloaded " + d + l.downloadedBy().map(b -> " by " + b)
                                .orElse("")).orElse("not downloaded"));
            }
            List<DsarHooks.PendingExports.Held> results = a.resultsOf(i.recordId());
            out.println("  results:       " + (results.isEmpty() ? "none" : ""));
            for (DsarHooks.PendingExports.Held h : results) {
                out.println("    " + h.outcome() + " reported " + h.reportedAt() + " (" + h.resultsFile() + " row "
                        + h.row() + "): " + stage(h) + (h.fields().isEmpty() ? "" : " " + h.fields()));
            }
        }
        out.println();
        out.println("pending exports: " + (a.pendingExports().isEmpty() ? "none" : a.pendingExports().size()
                + " result(s) not yet with the controller"));
        out.println("erase with: dsar erase " + a.requestId() + " [--block]");
    }

    @Command(name = "erase", description = "Erase what the request found, everywhere; --block also block-lists the phone.")
    void erase(@Parameters(paramLabel = "REQUEST-ID") String id, @Option(names = "--block") boolean block) {
        ctx.require(Role.SUPERVISOR);
        DsarService.Erasure e;
        try {
            e = dsar.erase(id, block, ctx.caller().name(), ctx.source());
        } catch (NoSuchElementException x) {
            throw CommandFailure.notFound("request " + id);
        } catch (UnsupportedOperationException x) {
            throw CommandFailure.notAvailable("dsar erase --block");
        } catch (IllegalStateException x) {
            throw new CommandFailure(1, x.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", e.requestId());
        m.put("status", "erased");
        m.put("records_erased", e.records());
        m.put("campaigns", e.campaigns());
        m.put("phones_blocked", e.phonesBlocked());
        m.put("lists_republished", e.listsRepublished());
        m.put("export_rows_erased", e.exportRowsErased());
        m.put("receipts", e.receipts());
        m.put("erased_bytes_removed_from_disk_by", e.purgedBy().toString());
        ctx.output().object(ctx, m);
    }

    @Command(name = "list", description = "Open requests with their due dates.")
    void list() {
        ctx.require(Role.SUPERVISOR);
        Instant now = dsar.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DsarStore.Request r : dsar.open()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("request", r.id());
            m.put("opened", r.openedAt().toString());
            m.put("due", r.dueAt().toString());
            m.put("overdue", r.dueAt().isBefore(now) ? "yes" : "no");
            m.put("status", r.status());
            m.put("records", r.recordsFound());
            m.put("searched_by", r.criteriaKind());
            m.put("opened_by", r.openedBy());
            rows.add(m);
        }
        ctx.output().table(ctx, List.of("request", "opened", "due", "overdue", "status", "records", "searched_by",
                "opened_by"), rows);
    }

    @Command(name = "close", description = "Close an answered request without erasing (access only).")
    void close(@Parameters(paramLabel = "REQUEST-ID") String id) {
        ctx.require(Role.SUPERVISOR);
        try {
            dsar.close(id, ctx.caller().name(), ctx.source());
        } catch (NoSuchElementException x) {
            throw CommandFailure.notFound("request " + id);
        } catch (IllegalStateException x) {
            throw new CommandFailure(1, x.getMessage());
        }
        ctx.output().message(ctx, "request " + id + " closed");
    }

    /** Where a result stands on its way to the controller, in words. */
    private static String stage(DsarHooks.PendingExports.Held h) {
        String export = h.export().orElse("-");
        return switch (h.stage()) {
            case "not_exported" -> "kept, never exported";
            case "pending" -> "pending, goes out with the next export";
            case "exporting" -> "pending, being written to " + export;
            case "exported" -> "in export " + export + h.exportDownloaded().map(d -> ", downloaded " + d)
                    .orElse(", not yet downloaded");
            case "export_shredded" -> "was in export " + export + " (shredded)";
            default -> h.stage();
        };
    }

    private static Map<String, Object> listJson(DsarHooks.ListRepublisher.Listed l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", l.campaign());
        m.put("file", l.file());
        m.put("path", "/" + l.campaign() + "/lists/" + l.file());
        m.put("published", l.publishedAt().toString());
        m.put("downloaded", l.downloadedAt().isPresent());
        m.put("downloaded_at", l.downloadedAt().map(Instant::toString).orElse(null));
        m.put("downloaded_by", l.downloadedBy().orElse(null));
        return m;
    }

    private static Map<String, Object> resultJson(DsarHooks.PendingExports.Held h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record_id", h.recordId());
        m.put("campaign", h.campaign());
        m.put("outcome", h.outcome());
        m.put("reported", h.reportedAt().toString());
        m.put("results_file", h.resultsFile());
        m.put("row", h.row());
        m.put("stage", h.stage());
        m.put("pending", h.pending());
        m.put("export", h.export().orElse(null));
        m.put("export_downloaded_at", h.exportDownloaded().map(Instant::toString).orElse(null));
        m.put("fields", h.fields());
        return m;
    }

    private Map<String, Object> json(DsarAnswer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", a.requestId());
        m.put("status", "open");
        m.put("opened", a.openedAt().toString());
        m.put("due", a.dueAt().toString());
        m.put("searched_by", a.criteriaKind());
        List<Map<String, Object>> recs = new ArrayList<>();
        for (DsarAnswer.Item i : a.records()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("record_id", i.recordId());
            r.put("campaign", i.campaign());
            r.put("controller", i.organisation());
            r.put("source", i.source());
            r.put("supplier", i.suppliedBy().map(fi.callgate.agreement.Provenance::supplierOrg).orElse(null));
            r.put("supplier_account", i.suppliedBy().map(fi.callgate.agreement.Provenance::supplier).orElse(null));
            r.put("agreement", i.suppliedBy().map(fi.callgate.agreement.Provenance::agreement).orElse(null));
            r.put("recordings", recordings.heldFor(List.of(i.recordId())).stream().map(rec -> {
                Map<String, Object> held = new LinkedHashMap<>();
                held.put("file", "/" + rec.campaign() + "/outbox/" + rec.fileName());
                held.put("delivered", rec.deliveredAt().toString());
                held.put("downloaded", rec.downloadedAt().map(Instant::toString).orElse(null));
                return held;
            }).toList());
            r.put("fields", i.fields());
            r.put("upload", i.uploadId());
            r.put("arrived", i.uploadReceived().toString());
            r.put("stored", i.recordCreated().toString());
            r.put("delete_by", i.deleteBy().map(Instant::toString).orElse(null));
            r.put("delete_reason", i.deleteReason().orElse(null));
            r.put("dialer_lists", a.listsOf(i.recordId()).stream().map(DsarCommands::listJson).toList());
            r.put("results", a.resultsOf(i.recordId()).stream().map(DsarCommands::resultJson).toList());
            recs.add(r);
        }
        m.put("records", recs);
        m.put("pending_exports", a.pendingExports().stream().map(DsarCommands::resultJson).toList());
        m.put("organisations", a.records().stream().map(DsarAnswer.Item::organisation).distinct().toList());
        m.put("sources", a.records().stream().map(DsarAnswer.Item::source).distinct().toList());
        return m;
    }

}
