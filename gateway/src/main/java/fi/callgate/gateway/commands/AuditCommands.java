package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code audit tail|verify}: IT reads and checks the tamper-evident audit log. Admin only. */
@Command(name = "audit", description = "Read and verify the audit log (admin).")
public final class AuditCommands {
    private final CommandContext ctx;
    private final AuditLog audit;

    public AuditCommands(CommandContext ctx, AuditLog audit) {
        this.ctx = ctx;
        this.audit = audit;
    }

    @Command(name = "tail", description = "The last N entries (default 20).")
    void tail(@Parameters(paramLabel = "N", defaultValue = "20") int n) {
        ctx.require(Role.ADMIN);
        if (n < 1 || n > 100_000) {
            throw CommandFailure.invalid("N must be between 1 and 100000");
        }
        List<Map<String, Object>> rows = audit.tail(n).stream().map(AuditCommands::row).toList();
        ctx.output().table(ctx, List.of("seq", "at", "actor", "source", "action", "target", "outcome", "detail"),
                rows);
    }

    @Command(name = "verify", description = "Check the whole hash chain.")
    void verify() {
        ctx.require(Role.ADMIN);
        AuditLog.Verification v = audit.verify();
        if (!v.ok()) {
            throw new CommandFailure(1, "audit log verification FAILED: " + v.message());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("entries", v.entries());
        m.put("message", v.message());
        if (ctx.json()) {
            ctx.output().object(ctx, m);
        } else {
            ctx.out().println("audit log verified: " + v.message());
        }
    }

    private static Map<String, Object> row(AuditEvent.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("at", e.at().toString());
        m.put("actor", e.event().actor());
        m.put("source", e.event().source());
        m.put("action", e.event().action());
        m.put("target", e.event().target());
        m.put("outcome", e.event().outcome().name().toLowerCase(java.util.Locale.ROOT));
        m.put("detail", e.event().detail());
        return m;
    }
}
