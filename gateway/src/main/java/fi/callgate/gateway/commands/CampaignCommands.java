package fi.callgate.gateway.commands;

import fi.callgate.agreement.Agreements;
import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerLists;
import fi.callgate.dialer.DialerPush;
import fi.callgate.domain.Campaign;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.Names;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.results.Exports;
import fi.callgate.retention.Retention;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code campaign …}. Admins create and grant campaigns and see all of them; supervisors act on the
 * campaigns granted to them (grant a dialer, set the controller key, show, end, export), and see only those.
 */
@Command(name = "campaign", description = "Manage campaigns.")
public final class CampaignCommands {
    private final CommandContext ctx;
    private final Clock clock;
    private final RetentionLimits limits;
    private final CampaignStore campaigns;
    private final CampaignFolders folders;
    private final DialerLists dialerLists;
    private final PgpKeys pgp;
    private final Agreements agreements;
    private final AccountStore accounts;
    private final DialerPush dialerPush;
    private final DialerPush controllerPush;
    private final Retention retention;
    private final Exports exports;
    private final AuditLog audit;
    /** The agreement subcommands' work, for this same run. */
    private final AgreementCommands agreementCommands;

    public CampaignCommands(CommandContext ctx, Clock clock, RetentionLimits limits, CampaignStore campaigns,
                            CampaignFolders folders, DialerLists dialerLists, PgpKeys pgp, Agreements agreements,
                            AccountStore accounts, DialerPush dialerPush, DialerPush controllerPush,
                            Retention retention, Exports exports, AuditLog audit,
                            AgreementCommands agreementCommands) {
        this.ctx = ctx;
        this.agreementCommands = agreementCommands;
        this.clock = clock;
        this.limits = limits;
        this.campaigns = campaigns;
        this.folders = folders;
        this.dialerLists = dialerLists;
        this.pgp = pgp;
        this.agreements = agreements;
        this.accounts = accounts;
        this.dialerPush = dialerPush;
        this.controllerPush = controllerPush;
        this.retention = retention;
        this.exports = exports;
        this.audit = audit;
    }

    @Command(name = "add", description = "Create a campaign for a client organisation.")
    void add(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--org", required = true) String org,
             @Option(names = "--ends", required = true, paramLabel = "YYYY-MM-DD") String ends,
             @Option(names = "--retention-days", paramLabel = "N") Integer retentionDays,
             @Option(names = "--personal-id") boolean personalId,
             @Option(names = "--require-signature") boolean requireSignature,
             @Option(names = "--dialer-fields", split = ",", paramLabel = "f1,f2") List<String> dialerFields,
             @Option(names = "--dialer-format", paramLabel = "callgate|vicidial") String dialerFormat,
             @Option(names = "--recordings", paramLabel = "REF") String recordings) {
        ctx.require(Role.ADMIN);
        if (recordings != null) {
            agreementCommands.checkReference("--recordings", recordings);
        }
        Names.campaign(id);
        Names.org(org);
        LocalDate endsOn = date(ends);
        if (endsOn.isBefore(LocalDate.now(clock))) {
            throw CommandFailure.invalid("--ends " + ends + " is in the past");
        }
        int cap = personalId ? limits.personalIdDays() : limits.maxDays();
        if (retentionDays != null && (retentionDays < 1 || retentionDays > cap)) {
            throw CommandFailure.invalid("--retention-days must be between 1 and " + cap
                    + (personalId ? " for a campaign with personal ids" : ""));
        }
        List<String> fields = dialerFields == null ? Campaign.DEFAULT_DIALER_FIELDS : dialerFields;
        for (String f : fields) {
            if (!Campaign.DIALER_FIELD_CHOICES.contains(f)) {
                throw CommandFailure.invalid("--dialer-fields: unknown field " + f + "; choose from "
                        + String.join(",", Campaign.DIALER_FIELD_CHOICES));
            }
        }
        if (dialerFormat != null && !List.of("callgate", "vicidial").contains(dialerFormat)) {
            throw CommandFailure.invalid("--dialer-format must be callgate or vicidial");
        }
        Campaign c = campaigns.create(new CampaignStore.NewCampaign(id, org, endsOn,
                retentionDays == null ? OptionalInt.empty() : OptionalInt.of(retentionDays), personalId,
                requireSignature, List.copyOf(fields)));
        try {
            folders.create(c.id());
            if ("vicidial".equals(dialerFormat)) {
                dialerLists.store().setFormat(c.id(), dialerFormat);
            }
            if (recordings != null) {
                agreementCommands.recordings(c, recordings, false, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.output().message(ctx, "campaign " + c.id() + " created for " + c.org() + ", ends " + c.endsOn()
                + (recordings == null ? "" : ", recordings agreement " + recordings)
                + "; set the controller key with: campaign pgp-key " + c.id());
    }

    @Command(name = "pgp-key", description = "Set the controller's (or with --party a supplier's) OpenPGP public key"
            + " (armored, on stdin).")
    void pgpKey(@Parameters(paramLabel = "ID") String id,
                @Option(names = "--party", paramLabel = "ACCOUNT") String party) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        Campaign c = visible(id);
        PgpKeys.ControllerKeyInfo key = pgp.checkControllerKey(ctx.readStdin(256 * 1024));
        if (party != null) {
            agreementCommands.supplierParty(c, party);
            agreements.store().setPgpKey(fi.callgate.agreement.Party.supplier(c.id(), party), key.armored(),
                    key.fingerprint());
            ctx.output().message(ctx, "supplier " + party + "'s key " + key.fingerprint() + " set for " + c.id());
            return;
        }
        campaigns.setControllerKey(c.id(), key.armored(), key.fingerprint());
        ctx.output().message(ctx, "controller key " + key.fingerprint() + " set for " + c.id());
    }

    @Command(name = "set", description = "Change a campaign: --recordings REF records the written agreement under which"
            + " call recordings go to the controller; --no-recordings withdraws it.")
    void set(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--recordings", paramLabel = "REF") String recordings,
             @Option(names = "--no-recordings") boolean noRecordings) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        Campaign c = visible(id);
        if ((recordings == null) == !noRecordings) {
            throw CommandFailure.invalid("give --recordings REF or --no-recordings");
        }
        agreementCommands.recordings(c, recordings, noRecordings);
    }

    @Command(name = "supplier", description = "Let a supplier deliver lists to a campaign under an agreement, or"
            + " withdraw it with --end.")
    void supplier(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "ACCOUNT") String account,
                  @Option(names = "--agreement", paramLabel = "REF") String agreement,
                  @Option(names = "--end") boolean end) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        agreementCommands.supplier(visible(id), account, agreement, end);
    }

    @Command(name = "method", description = "Set the encryption method agreed with the controller (or --party, a"
            + " supplier): openpgp or aes-zip.")
    void method(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "openpgp|aes-zip") String method,
                @Option(names = "--party", paramLabel = "ACCOUNT") String party) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        agreementCommands.method(visible(id), method, party);
    }

    @Command(name = "passphrase", description = "Set the aes-zip passphrase of the controller (or --party): generated"
            + " and printed once with --generate, otherwise read from stdin.")
    void passphrase(@Parameters(paramLabel = "ID") String id, @Option(names = "--generate") boolean generate,
                    @Option(names = "--party", paramLabel = "ACCOUNT") String party) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        agreementCommands.passphrase(visible(id), generate, party);
    }

    @Command(name = "grant", description = "Give a supervisor or dialer account a campaign.")
    void grant(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "ACCOUNT") String account) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        Campaign c = visible(id);
        Account a = accounts.find(account).orElseThrow(() -> CommandFailure.notFound("account " + account));
        if (a.role() != Role.SUPERVISOR && a.role() != Role.DIALER) {
            throw CommandFailure.invalid("only supervisor and dialer accounts are granted campaigns; controllers"
                    + " see their organisation's campaigns");
        }
        campaigns.grant(c.id(), a.name(), ctx.caller().name());
        ctx.output().message(ctx, a.role().code() + " " + a.name() + " granted " + c.id());
    }

    @Command(name = "list", description = "List campaigns.")
    void list() {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        List<Campaign> list = ctx.caller().role() == Role.ADMIN ? campaigns.list()
                : campaigns.grantedTo(ctx.caller().name());
        ctx.output().table(ctx, List.of("id", "org", "ends", "status", "controller_key", "personal_id",
                "require_signature"), list.stream().map(this::summary).toList());
    }

    @Command(name = "show", description = "Show one campaign.")
    void show(@Parameters(paramLabel = "ID") String id) {
        ctx.require(Role.ADMIN, Role.SUPERVISOR);
        Campaign c = visible(id);
        Map<String, Object> m = summary(c);
        m.put("retention_days", c.retentionDays().isPresent() ? c.retentionDays().getAsInt()
                : (c.personalId() ? limits.personalIdDays() : limits.defaultDays()));
        m.put("dialer_fields", c.dialerFields());
        m.put("grants", campaigns.grantees(c.id()));
        m.put("created", c.createdAt().toString());
        m.put("last_activity", c.lastActivityAt().toString());
        m.put("dialer_format", dialerLists.store().format(c.id()));
        m.putAll(agreementCommands.show(c));
        m.put("recordings_agreement", campaigns.recordingsAgreement(c.id()).orElse(null));
        m.putAll(dialerPush.status(c.id()));
        m.putAll(controllerPush.status(c.id()));
        ctx.output().object(ctx, m);
    }

    @Command(name = "push", description = "Push the campaign's lists to the dialer's SFTP server too, or with"
            + " --to controller its exports to the controller's (the server's OpenSSH host key line on stdin);"
            + " stop with --off.")
    void push(@Parameters(paramLabel = "ID") String id,
              @Option(names = "--to", defaultValue = "dialer", paramLabel = "dialer|controller") String to,
              @Option(names = "--host") String host,
              @Option(names = "--port", defaultValue = "22") int port,
              @Option(names = "--user") String user,
              @Option(names = "--dir", defaultValue = "") String dir,
              @Option(names = "--location", paramLabel = "COUNTRY|REGION") String location,
              @Option(names = "--off") boolean off) {
        ctx.require(Role.ADMIN);
        Campaign c = visible(id);
        fi.callgate.dialer.DialerPush push = switch (to) {
            case "dialer" -> dialerPush;
            case "controller" -> controllerPush;
            default -> throw CommandFailure.invalid("--to must be dialer or controller");
        };
        String what = push == dialerPush ? "lists" : "exports";
        if (off) {
            push.disable(c.id());
            ctx.output().message(ctx, "campaign " + c.id() + " no longer pushes its " + what);
            return;
        }
        if (host == null || user == null || location == null) {
            throw CommandFailure.invalid("--host, --user and --location are required (or --off)");
        }
        var where = fi.callgate.domain.EeaPolicy.check(location);
        if (!where.allowed()) {
            throw CommandFailure.invalid("--location " + location + ": " + where.reason());
        }
        push.configure(new fi.callgate.dialer.DialerPush.Target(c.id(), host, port, user, dir, location,
                ctx.readStdin(16 * 1024)));
        try {
            ctx.output().message(ctx, "campaign " + c.id() + " pushes its " + what + " to " + user + "@" + host + ":"
                    + port + "/" + dir + "; authorise Callgate's key there: " + push.publicKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Supervisors of the campaign only: ending shreds a client's personal data, which is the client's and its
     * supervisors' decision, not IT's (CONTRACT §2 gives admins the running of the gateway).
     */
    @Command(name = "end", description = "Deactivate a campaign and shred its personal data now.")
    void end(@Parameters(paramLabel = "ID") String id) {
        ctx.require(Role.SUPERVISOR);
        Campaign c = visible(id);
        boolean changed = retention.endCampaign(c.id());
        long held = retention.datasets(c.id()).stream()
                .filter(d -> d.state() != fi.callgate.retention.Dataset.State.SHREDDED).count();
        ctx.output().message(ctx, "campaign " + c.id() + (changed ? " ended" : " had already ended") + "; no uploads"
                + " are accepted; " + held + " dataset(s) and its data key will be shredded within one shredder"
                + " interval, and a signed deletion receipt will be put in its outbox");
    }

    @Command(name = "called-through", description = "Mark every list of a campaign as called through.")
    void calledThrough(@Parameters(paramLabel = "ID") String id) {
        ctx.require(Role.SUPERVISOR);
        Campaign c = visible(id);
        int n = retention.campaignCalledThrough(c.id());
        ctx.output().message(ctx, n + " list(s) of " + c.id() + " marked called through; they will be shredded"
                + " within one shredder interval");
    }

    /**
     * Exports the campaign's pending orders, address changes and call bans to its outbox now (the timer does
     * the same every {@code export.interval}). Supervisors of the campaign only: an export sends people's data
     * out, which IT (admin) has no part in; the timer exports anyway. Exit 1 if the campaign has no usable controller key: the results stay pending.
     */
    @Command(name = "export", description = "Export pending orders, address changes and call bans now.")
    void export(@Parameters(paramLabel = "ID") String id) {
        ctx.require(Role.SUPERVISOR);
        Campaign c = visible(id);
        List<String> files;
        try {
            files = exports.export(c.id());
        } catch (fi.callgate.results.Exports.ExportUnavailableException e) {
            throw new CommandFailure(1, "cannot export " + c.id() + ": " + e.getMessage() + "; results stay pending");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        audit.record(fi.callgate.audit.AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.export", c.id(),
                "files=" + files.size()));
        if (ctx.json()) {
            ctx.output().object(ctx, Map.of("campaign", c.id(), "files", files));
        } else if (files.isEmpty()) {
            ctx.out().println("nothing to export for " + c.id());
        } else {
            files.forEach(f -> ctx.out().println("exported /" + c.id() + "/outbox/" + f));
        }
    }

    /** Admins see every campaign; a supervisor only those granted, and others are "not found". */
    private Campaign visible(String id) {
        Campaign c = campaigns.find(id).orElseThrow(() -> CommandFailure.notFound("campaign " + id));
        if (ctx.caller().role() == Role.SUPERVISOR
                && !campaigns.grantees(c.id()).contains(ctx.caller().name())) {
            throw CommandFailure.notFound("campaign " + id);
        }
        return c;
    }

    private Map<String, Object> summary(Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("org", c.org());
        m.put("ends", c.endsOn().toString());
        m.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("controller_key", c.controllerKeyFingerprint().orElse(null));
        m.put("personal_id", c.personalId());
        m.put("require_signature", c.requireSignature());
        return m;
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw CommandFailure.invalid("--ends must be a date YYYY-MM-DD, got " + text);
        }
    }
}
