package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.store.WriteGate;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.apache.sshd.server.command.CommandFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine;

/**
 * Runs one {@code ssh HOST COMMAND ARGS…} request off the I/O threads: splits the line, takes
 * {@code --json} from anywhere, parses with picocli, checks the caller's role, writes the answer to
 * stdout, or one line on stderr and a non-zero status, and audits the command with its outcome.
 * Exit codes: 0 ok, 1 failed check, 2 invalid input, 3 permission denied, 4 not found, 5 not available
 * yet, 64 usage error, 70 internal error.
 */
public final class CommandShell extends AbstractCommandSupport {
    private static final Logger log = LoggerFactory.getLogger(CommandShell.class);
    private final List<CommandGroup> groups;
    private final AuditLog audit;
    private final WriteGate writeGate;

    CommandShell(String command, List<CommandGroup> groups, AuditLog audit, WriteGate writeGate,
                 CloseableExecutorService executor) {
        super(command, executor);
        this.groups = groups;
        this.audit = audit;
        this.writeGate = writeGate;
    }

    @Override
    public void run() {
        Account caller = SessionAccount.require(getServerSession());
        String source = SessionAccount.source(getServerSession());
        List<String> args = new ArrayList<>(CommandFactory.split(getCommand() == null ? "" : getCommand()));
        boolean json = args.removeIf("--json"::equals);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(getErrorStream(), StandardCharsets.UTF_8), true);
        CommandContext ctx = new CommandContext(caller, source, getInputStream(), out, json, new Output());
        String summary = redacted(args).stream().limit(2).collect(Collectors.joining(" "));
        String detail = auditedArgs(redacted(args));
        int code;
        String failure = null;
        MDC.put("account", caller.name()); // log lines of this command carry who ran it
        try {
            code = execute(ctx, args);
        } catch (CommandFailure f) {
            code = f.exitCode();
            failure = f.getMessage();
        } catch (IllegalArgumentException f) {
            code = 2;
            failure = f.getMessage();
        } catch (RuntimeException e) {
            log.error("command '{}' by {} failed", summary, caller.name(), e);
            code = 70;
            failure = "internal error; see the gateway log";
        } finally {
            MDC.remove("account");
        }
        out.flush();
        if (failure != null) {
            err.println("error: " + failure);
            err.flush();
        }
        AuditEvent.Outcome outcome = code == 0 ? AuditEvent.Outcome.OK
                : code == 3 ? AuditEvent.Outcome.DENIED : AuditEvent.Outcome.FAILED;
        audit.record(new AuditEvent(caller.name(), source, "command", summary.isEmpty() ? "-" : summary,
                outcome, "exit=" + code + " args=" + detail));
        onExit(code, failure == null ? "" : failure);
    }

    private int execute(CommandContext ctx, List<String> args) {
        Role role = ctx.caller().role();
        if (role == Role.CONTROLLER || role == Role.DIALER || role == Role.SUPPLIER) {
            throw CommandFailure.denied("the " + role.code() + " role has no commands; use SFTP");
        }
        if (args.isEmpty() || args.get(0).equals("help")) {
            ctx.out().print(HelpText.forRole(role));
            return 0;
        }
        var refused = writeGate.refusal();
        if (refused.isPresent() && !READ_ONLY.contains(String.join(" ", args.subList(0, Math.min(2, args.size()))))) {
            throw new CommandFailure(5, refused.get() + "; commands that change anything are refused until an EEA"
                    + " location is configured");
        }
        CommandLine cli = new CommandLine(new Root());
        for (CommandGroup group : groups) {
            cli.addSubcommand(new CommandLine(group.forRun(ctx)));
        }
        StringWriter usage = new StringWriter();
        cli.setOut(new PrintWriter(usage));
        cli.setErr(new PrintWriter(usage));
        // picocli reports failures as exit codes; keep the exception itself so its message and code survive.
        RuntimeException[] failure = new RuntimeException[1];
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            failure[0] = ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
            return 70;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            failure[0] = new CommandFailure(64, ex.getMessage() + " (try: help)");
            return 64;
        });
        int code = cli.execute(args.toArray(String[]::new));
        if (failure[0] != null) {
            throw failure[0];
        }
        if (code != 0) {
            throw new CommandFailure(64, "incomplete command (try: help)");
        }
        return 0;
    }

    /**
     * The commands that only read the store: the only ones run while the storage location is refused, since
     * any other could write under data-dir (a row, a key file, a folder) before it noticed.
     */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("account list", "campaign list",
            "campaign show", "blocklist check", "blocklist size", "dsar list", "retention status", "audit tail",
            "audit verify", "gateway pgp-key");

    /** Groups whose arguments are personal data (phone numbers): the audit keeps only their count. */
    private static final java.util.Set<String> PERSONAL_ARGS = java.util.Set.of("blocklist");

    static String auditedArgs(List<String> args) {
        if (!args.isEmpty() && PERSONAL_ARGS.contains(args.get(0)) && args.size() > 2) {
            return String.join(" ", args.subList(0, 2)) + " [" + (args.size() - 2) + " argument(s) withheld]";
        }
        return String.join(" ", args);
    }

    /** What a data-subject search was given is personal data: its values never reach the audit log. */
    private static final java.util.Set<String> PERSONAL_OPTIONS = java.util.Set.of("--phone", "--email", "--name",
            "--address");

    static List<String> redacted(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("dsar")) {
            return args;
        }
        List<String> out = new ArrayList<>(args.size());
        boolean hide = false;
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            if (hide) {
                out.add("[redacted]");
                hide = false;
            } else if (PERSONAL_OPTIONS.contains(name)) {
                out.add(eq > 0 ? name + "=[redacted]" : a);
                hide = eq < 0;
            } else if (a.startsWith("--") || out.size() < 2 || !args.get(1).equals("find")) {
                out.add(a);
            } else {
                out.add("[redacted]"); // a stray positional value after "dsar find" may be personal too
            }
        }
        return out;
    }

    @CommandLine.Command(name = "callgate")
    private static final class Root implements Runnable {
        @Override
        public void run() {
            throw new CommandFailure(64, "no command given (try: help)");
        }
    }
}
