package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.PasswordHasher;
import fi.callgate.gateway.accounts.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code account …}: IT manages personal accounts. Admin only. */
@Command(name = "account", description = "Manage personal accounts (admin).")
public final class AccountCommands {
    private final CommandContext ctx;
    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final SessionTerminator sessions;
    private final AuditLog audit;

    public AccountCommands(CommandContext ctx, AccountStore accounts, PasswordHasher hasher, SessionTerminator sessions,
                           AuditLog audit) {
        this.ctx = ctx;
        this.accounts = accounts;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
    }

    @Command(name = "add", description = "Create a personal account.")
    void add(@Parameters(paramLabel = "NAME") String name,
             @Option(names = "--role", required = true, paramLabel = "ROLE") String role,
             @Option(names = "--org", paramLabel = "ORG") String org) {
        ctx.require(Role.ADMIN);
        Role r = Role.of(role).orElseThrow(() ->
                CommandFailure.invalid("--role must be admin, supervisor, controller, dialer or supplier"));
        Account a = accounts.create(name, r, Optional.ofNullable(org));
        ctx.output().message(ctx, "account " + a.name() + " created (" + r.code()
                + a.org().map(o -> ", org " + o).orElse("") + "); add a key with: account key " + a.name());
    }

    @Command(name = "key", description = "Add an OpenSSH public key (one line on stdin).")
    void key(@Parameters(paramLabel = "NAME") String name) {
        ctx.require(Role.ADMIN);
        existing(name);
        AccountStore.AccountKey key = accounts.addKey(name, ctx.readStdin(CommandContext.MAX_STDIN_LINE));
        ctx.output().message(ctx, "key " + key.fingerprint() + " (" + key.type() + ") added to " + name);
    }

    @Command(name = "password", description = "Set a password (on stdin); never enough alone for an admin.")
    void password(@Parameters(paramLabel = "NAME") String name) {
        ctx.require(Role.ADMIN);
        Account a = existing(name);
        if (a.role() == Role.ADMIN) {
            throw CommandFailure.invalid("admins log in with keys only; a password is never enough for an admin");
        }
        String text = ctx.readStdin(1024).strip();
        if (text.length() < 12) {
            throw CommandFailure.invalid("a password needs at least 12 characters");
        }
        accounts.setPasswordHash(name, hasher.hash(text.toCharArray()));
        ctx.output().message(ctx, "password set for " + name);
    }

    @Command(name = "disable", description = "Disable an account and end its open sessions at once.")
    void disable(@Parameters(paramLabel = "NAME") String name) {
        ctx.require(Role.ADMIN);
        existing(name);
        if (name.equals(ctx.caller().name())) {
            throw CommandFailure.invalid("you cannot disable your own account");
        }
        accounts.disable(name);
        int closed = sessions.closeSessionsOf(name);
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "account.sessions-closed", name,
                "sessions=" + closed));
        ctx.output().message(ctx, "account " + name + " disabled; " + closed + " open session(s) ended");
    }

    @Command(name = "list", description = "List accounts.")
    void list() {
        ctx.require(Role.ADMIN);
        List<Map<String, Object>> rows = accounts.list().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("role", a.role().code());
            m.put("org", a.org().orElse(null));
            m.put("state", a.disabled() ? "disabled" : "active");
            m.put("keys", accounts.keys(a.name()).size());
            m.put("password", a.hasPassword());
            m.put("created", a.createdAt().toString());
            return m;
        }).toList();
        ctx.output().table(ctx, List.of("name", "role", "org", "state", "keys", "password", "created"), rows);
    }

    private Account existing(String name) {
        return accounts.find(name).orElseThrow(() -> CommandFailure.notFound("account " + name));
    }
}
