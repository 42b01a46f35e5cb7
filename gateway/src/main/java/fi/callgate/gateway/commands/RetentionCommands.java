package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import fi.callgate.retention.Dataset;
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
 * deadline has come and that the shredder has not taken yet.
 */
@Command(name = "retention", description = "Deletion deadlines.")
final class RetentionCommands {
    private final CommandContext ctx;
    private final Services s;

    RetentionCommands(CommandContext ctx, Services s) {
        this.ctx = ctx;
        this.s = s;
    }

    @Command(name = "status", description = "Every dataset with its deadline, reason and state.")
    void status() {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        List<Dataset> all = s.retention().datasets();
        if (ctx.caller().role() == Role.SUPERVISOR) {
            Set<String> granted = s.campaigns().grantedTo(ctx.caller().name()).stream()
                    .map(c -> c.id()).collect(Collectors.toSet());
            all = all.stream().filter(d -> granted.contains(d.campaign())).toList();
        }
        Instant now = s.retention().now();
        ctx.output().table(ctx, List.of("campaign", "upload", "file", "received", "deadline", "reason", "state",
                        "records", "shredded"),
                all.stream().map(d -> row(d, now)).toList());
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
