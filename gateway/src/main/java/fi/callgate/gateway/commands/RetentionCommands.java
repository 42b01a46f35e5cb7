package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import fi.callgate.results.Exports;
import fi.callgate.results.ResultStore;
import fi.callgate.retention.Dataset;
import fi.callgate.retention.Retention;
import fi.callgate.store.CampaignStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code retention status}: every dataset with its campaign, upload id, receipt time, deadline, reason and
 * state. Supervisors see their granted campaigns; admins (IT) see all, because IT answers the
 * {@code callgate_retention_overdue_datasets} alert and must find what is overdue. No personal data is
 * shown (the file name is the controller's label for its upload). State "due" is a held dataset whose
 * deadline has come and that the shredder has not taken yet. Outbox exports are listed too (reason
 * {@code export-downloaded} or {@code export-max-age}, the batch id in the upload column).
 */
@Command(name = "retention", description = "Deletion deadlines.")
public final class RetentionCommands {
    private final CommandContext ctx;
    private final Retention retention;
    private final CampaignStore campaigns;
    private final Exports exports;

    public RetentionCommands(CommandContext ctx, Retention retention, CampaignStore campaigns, Exports exports) {
        this.ctx = ctx;
        this.retention = retention;
        this.campaigns = campaigns;
        this.exports = exports;
    }

    @Command(name = "status", description = "Every dataset with its deadline, reason and state.")
    void status() {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        List<Dataset> all = retention.datasets();
        if (ctx.caller().role() == Role.SUPERVISOR) {
            Set<String> granted = campaigns.grantedTo(ctx.caller().name()).stream()
                    .map(c -> c.id()).collect(Collectors.toSet());
            all = all.stream().filter(d -> granted.contains(d.campaign())).toList();
        }
        Instant now = retention.now();
        List<Map<String, Object>> rows = new java.util.ArrayList<>(all.stream().map(d -> row(d, now)).toList());
        // Outbox exports: shredded export.keep-after-download after the controller's download, at the latest
        // export.max-age after they were written. "upload" shows the export batch id.
        Set<String> visible = ctx.caller().role() == Role.SUPERVISOR
                ? campaigns.grantedTo(ctx.caller().name()).stream().map(c -> c.id()).collect(Collectors.toSet())
                : null;
        for (ResultStore.Batch b : exports.store().all()) {
            if (visible == null || visible.contains(b.campaign())) {
                rows.add(exportRow(b, now));
            }
        }
        ctx.output().table(ctx, List.of("campaign", "upload", "file", "received", "deadline", "reason", "state",
                        "records", "shredded"), rows);
    }

    private Map<String, Object> exportRow(ResultStore.Batch b, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        Instant deadline = exports.deadline(b);
        m.put("campaign", b.campaign());
        m.put("upload", b.id());
        m.put("file", b.fileName());
        m.put("received", b.publishedAt().orElse(b.createdAt()).toString());
        m.put("deadline", deadline.toString());
        m.put("reason", exports.deadlineReason(b));
        m.put("state", switch (b.state()) {
            case OPEN -> "exporting";
            case PUBLISHED -> deadline.isAfter(now) ? "held" : "due";
            case SHREDDED -> "shredded";
        });
        m.put("records", b.rowCount());
        m.put("shredded", b.shreddedAt().map(Instant::toString).orElse(null));
        return m;
    }

    private static Map<String, Object> row(Dataset d, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", d.campaign());
        m.put("upload", d.uploadId());
        m.put("file", d.originalName());
        m.put("received", d.receivedAt().toString());
        m.put("deadline", d.deadline().toString());
        m.put("reason", d.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        String state = d.state() == Dataset.State.HELD && d.isDue(now) ? "due"
                : d.state().name().toLowerCase(Locale.ROOT);
        m.put("state", state);
        m.put("records", d.state() == Dataset.State.HELD ? null : d.recordCount());
        m.put("shredded", d.shreddedAt().map(Instant::toString).orElse(null));
        return m;
    }
}
