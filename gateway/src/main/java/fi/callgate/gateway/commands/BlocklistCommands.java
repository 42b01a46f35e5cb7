package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.domain.PhoneNumberNormaliser;
import fi.callgate.gateway.accounts.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code blocklist …} (supervisor): the do-not-call list. Numbers are normalised to E.164 with the same
 * rules as call lists, so any usual notation matches. Audit entries carry counts only — a phone number is
 * personal data, and the command line itself is audited with its numbers withheld ({@link CommandShell}).
 *
 * <p>Exit codes: {@code check} exits 0 whether or not the number is blocked (the check ran; the answer is
 * "blocked" or "not blocked" on stdout, {@code "blocked": true|false} in JSON) and 2 for a value that is
 * not a valid phone number. {@code add} adds nothing and exits 2 if any argument is invalid (names its
 * position, never its value). {@code import} skips invalid lines, reports their count and first line
 * numbers, and exits 0: one bad line in a million must not undo the rest.
 */
@Command(name = "blocklist", description = "The do-not-call list (supervisor).")
public final class BlocklistCommands {
    static final int LISTED_INVALID_LINES = 20;
    private final CommandContext ctx;
    private final BlockList blockList;
    private final AuditLog audit;
    private final PhoneNumberNormaliser normaliser = new PhoneNumberNormaliser();

    public BlocklistCommands(CommandContext ctx, BlockList blockList, AuditLog audit) {
        this.ctx = ctx;
        this.blockList = blockList;
        this.audit = audit;
    }

    private BlockList list() {
        return blockList;
    }

    @Command(name = "add", description = "Block one or more phone numbers.")
    void add(@Parameters(paramLabel = "PHONE", arity = "1..*") List<String> phones) {
        ctx.require(Role.SUPERVISOR);
        List<PhoneNumber> numbers = new ArrayList<>(phones.size());
        for (int i = 0; i < phones.size(); i++) {
            PhoneNumberNormaliser.Result r = normaliser.normalise(phones.get(i));
            if (!r.isValid()) {
                throw CommandFailure.invalid("number " + (i + 1) + " " + r.failure().message() + "; nothing was added");
            }
            numbers.add(r.number());
        }
        int added = list().add(numbers, ctx.caller().name());
        int already = numbers.size() - added;
        audit("blocklist.add", "added=" + added + " already_blocked=" + already);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("added", added);
        out.put("already_blocked", already);
        out.put("size", list().size());
        if (ctx.json()) {
            ctx.output().object(ctx, out);
        } else {
            ctx.out().println("blocked " + added + " number(s)" + (already > 0 ? ", " + already + " already blocked" : "")
                    + "; the block list has " + list().size());
        }
    }

    @Command(name = "import", description = "Block the numbers on stdin, one a line.")
    void importNumbers() {
        ctx.require(Role.SUPERVISOR);
        StdinLines lines = ctx.stdinLines();
        long read = 0;
        long blank = 0;
        long invalid = 0;
        List<Long> invalidLines = new ArrayList<>();
        int added;
        int duplicates;
        long started = System.nanoTime();
        try (BlockList.Import imp = list().startImport(ctx.caller().name())) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                read++;
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                PhoneNumberNormaliser.Result r = normaliser.normalise(line.strip());
                if (!r.isValid()) {
                    invalid++;
                    if (invalidLines.size() < LISTED_INVALID_LINES) {
                        invalidLines.add(lines.lineNumber());
                    }
                    continue;
                }
                imp.add(r.number());
            }
            added = imp.finish();
            duplicates = imp.duplicates();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        audit("blocklist.import", "lines=" + read + " added=" + added + " already_blocked=" + duplicates
                + " invalid=" + invalid + " ms=" + millis);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", read);
        out.put("added", added);
        out.put("already_blocked", duplicates);
        out.put("blank", blank);
        out.put("invalid", invalid);
        out.put("invalid_lines", invalidLines);
        out.put("size", list().size());
        if (ctx.json()) {
            ctx.output().object(ctx, out);
            return;
        }
        ctx.out().println("read " + read + " line(s): blocked " + added + " new number(s), " + duplicates
                + " already blocked, " + invalid + " invalid, " + blank + " blank; the block list has " + list().size());
        if (invalid > 0) {
            ctx.out().println("invalid line(s): " + invalidLines.stream().map(String::valueOf)
                    .reduce((a, b) -> a + "," + b).orElse("") + (invalid > invalidLines.size() ? ",…" : ""));
        }
    }

    @Command(name = "check", description = "Is this number blocked? Exit 0 either way; see the output.")
    void check(@Parameters(paramLabel = "PHONE") String phone) {
        ctx.require(Role.SUPERVISOR);
        PhoneNumberNormaliser.Result r = normaliser.normalise(phone);
        if (!r.isValid()) {
            throw CommandFailure.invalid("the number " + r.failure().message());
        }
        boolean blocked = list().contains(r.number());
        audit("blocklist.check", "result=" + (blocked ? "blocked" : "not_blocked"));
        if (ctx.json()) {
            ctx.output().object(ctx, Map.of("blocked", blocked));
        } else {
            ctx.out().println(blocked ? "blocked" : "not blocked");
        }
    }

    @Command(name = "size", description = "How many numbers are blocked.")
    void size() {
        ctx.require(Role.SUPERVISOR);
        int n = list().size();
        if (ctx.json()) {
            ctx.output().object(ctx, Map.of("size", n));
        } else {
            ctx.out().println(n + " number(s) blocked");
        }
    }

    private void audit(String action, String detail) {
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), action, "blocklist", detail));
    }
}
