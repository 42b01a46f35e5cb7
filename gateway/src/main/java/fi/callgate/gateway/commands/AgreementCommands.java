package fi.callgate.gateway.commands;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Method;
import fi.callgate.agreement.Party;
import fi.callgate.agreement.Passphrases;
import fi.callgate.agreement.SupplierGrant;
import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.Campaign;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.recordings.Recordings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agreement commands of {@code campaign} (issue #16): suppliers, the method agreed per party and its
 * passphrase. CampaignCommands parses them and checks the caller sees the campaign; the work is here.
 */
public final class AgreementCommands {
    private final CommandContext ctx;
    private final AccountStore accounts;
    private final Agreements agreements;
    private final SessionTerminator sessions;
    private final AuditLog audit;
    private final Recordings recordings;

    public AgreementCommands(CommandContext ctx, AccountStore accounts, Agreements agreements,
                             SessionTerminator sessions, AuditLog audit, Recordings recordings) {
        this.ctx = ctx;
        this.accounts = accounts;
        this.agreements = agreements;
        this.sessions = sessions;
        this.audit = audit;
        this.recordings = recordings;
    }

    void supplier(Campaign c, String account, String agreement, boolean end) {
        Account a = accounts.find(account).orElseThrow(() -> CommandFailure.notFound("account " + account));
        if (a.role() != Role.SUPPLIER) {
            throw CommandFailure.invalid(account + " is not a supplier account (account add NAME --role supplier --org ORG)");
        }
        if (end == (agreement != null)) {
            throw CommandFailure.invalid("give either --agreement REF or --end");
        }
        if (end) {
            if (!agreements.store().endSupplier(c.id(), a.name(), ctx.caller().name())) {
                throw CommandFailure.notFound("an active supplier agreement of " + a.name() + " on " + c.id());
            }
            // Its view no longer has the campaign, but an open session keeps its open handles: end them now.
            int closed = sessions.closeSessionsOf(a.name());
            audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.supplier-ended",
                    c.id() + "/" + a.name(), "sessions=" + closed));
            ctx.output().message(ctx, "supplier " + a.name() + " may no longer deliver to " + c.id() + "; " + closed
                    + " open session(s) ended");
            return;
        }
        String ref = checked(agreement);
        agreements.store().grantSupplier(c.id(), a.name(), ref, ctx.caller().name());
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.supplier", c.id() + "/" + a.name(),
                "agreement=" + ref));
        ctx.output().message(ctx, "supplier " + a.name() + " (" + a.org().orElse("?") + ") may deliver lists to "
                + c.id() + " under agreement " + ref + "; its agreed method: "
                + agreements.store().method(Party.supplier(c.id(), a.name())).code());
    }

    void method(Campaign c, String code, String party) {
        Method m = Method.of(code).orElseThrow(() -> CommandFailure.invalid("method must be openpgp or aes-zip"));
        Party p = party == null ? Party.controller(c.id()) : supplierParty(c, party);
        agreements.store().setMethod(p, m);
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.method", p.toString(), m.code()));
        String hint = m == Method.AES_ZIP && agreements.passphrases().of(p).isEmpty()
                ? "; set its passphrase with: campaign passphrase " + c.id() + " --generate"
                + (party == null ? "" : " --party " + party) : "";
        ctx.output().message(ctx, "method for " + p + " is " + m.code() + hint);
    }

    void passphrase(Campaign c, boolean generate, String party) {
        Party p = party == null ? Party.controller(c.id()) : supplierParty(c, party);
        Passphrases vault = agreements.passphrases();
        if (generate) {
            char[] fresh = vault.generate(p);
            try {
                audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.passphrase", p.toString(),
                        "generated"));
                // Printed once, here, for the admin to hand over out of band; never stored or logged in plaintext.
                if (ctx.json()) {
                    ctx.output().object(ctx, new LinkedHashMap<>(Map.of("party", p.toString(), "passphrase",
                            new String(fresh))));
                } else {
                    ctx.out().println("passphrase for " + p + " (shown once; hand it over out of band):");
                    ctx.out().println(new String(fresh));
                }
            } finally {
                Arrays.fill(fresh, '\0');
            }
            return;
        }
        char[] given = ctx.readStdin(1024).strip().toCharArray();
        try {
            vault.set(p, given);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.invalid(e.getMessage());
        } finally {
            Arrays.fill(given, '\0');
        }
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.passphrase", p.toString(), "set"));
        ctx.output().message(ctx, "passphrase set for " + p);
    }

    /** A supplier party of this campaign: the account must have (had) a supplier agreement on it. */
    Party supplierParty(Campaign c, String account) {
        if (agreements.store().supplierGrant(c.id(), account).isEmpty()) {
            throw CommandFailure.notFound("supplier " + account + " of " + c.id()
                    + " (campaign supplier " + c.id() + " " + account + " --agreement REF)");
        }
        return Party.supplier(c.id(), account);
    }

    /** For {@code campaign show}: methods, whether passphrases are set (never the passphrase), suppliers. */
    Map<String, Object> show(Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Party controller = Party.controller(c.id());
        m.put("method", agreements.store().method(controller).code());
        m.put("passphrase_set", agreements.store().passphraseSetAt(controller).map(Object::toString).orElse(null));
        List<Map<String, Object>> suppliers = agreements.store().suppliersOf(c.id()).stream()
                .map(g -> supplierSummary(c, g)).toList();
        m.put("suppliers", suppliers);
        return m;
    }

    private Map<String, Object> supplierSummary(Campaign c, SupplierGrant g) {
        Party p = Party.supplier(c.id(), g.account());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", g.account());
        m.put("agreement", g.agreement());
        m.put("state", g.isActive() ? "active" : "ended " + g.endedAt().get());
        m.put("method", agreements.store().method(p).code());
        m.put("passphrase_set", agreements.store().passphraseSetAt(p).map(Object::toString).orElse(null));
        m.put("pgp_key", agreements.store().pgpKeyFingerprint(p).orElse(null));
        return m;
    }

    /** The recordings agreement of a campaign: set (supervisors may then upload recordings) or withdrawn. */
    void recordings(Campaign c, String ref, boolean withdraw) {
        recordings(c, ref, withdraw, true);
    }

    void recordings(Campaign c, String ref, boolean withdraw, boolean tell) {
        if (withdraw) {
            boolean had = recordings.store().removeAgreement(c.id());
            audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.recordings", c.id(), "withdrawn"));
            ctx.output().message(ctx, had ? "recordings agreement of " + c.id() + " withdrawn; no more recordings are"
                    + " accepted" : c.id() + " had no recordings agreement");
            return;
        }
        String checkedRef = checkReference("--recordings", ref);
        recordings.store().setAgreement(c.id(), checkedRef, ctx.caller().name());
        audit.record(AuditEvent.ok(ctx.caller().name(), ctx.source(), "campaign.recordings", c.id(),
                "agreement=" + checkedRef));
        if (tell) {
            ctx.output().message(ctx, "recordings of " + c.id() + " may go to its controller under agreement "
                    + checkedRef + "; supervisors upload them to /" + c.id() + "/recordings");
        }
    }

    String checkReference(String option, String ref) {
        try {
            return Agreements.checkReference(ref);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.invalid(option + ": " + e.getMessage());
        }
    }

    private String checked(String ref) {
        return checkReference("--agreement", ref);
    }
}
