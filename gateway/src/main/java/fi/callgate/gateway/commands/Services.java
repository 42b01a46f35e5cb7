package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.PasswordHasher;
import fi.callgate.dsar.DsarService;
import fi.callgate.retention.Retention;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignStore;
import java.time.Clock;
import java.util.List;

/** What the commands act on, wired once by the composition root. */
public record Services(AccountStore accounts, CampaignStore campaigns, CampaignFolders folders, AuditLog audit,
                       PasswordHasher hasher, SessionTerminator sessions, PgpKeys pgp, RetentionLimits limits,
                       Clock clock, Retention retention, DsarService dsar, BlockList blockList,
                       fi.callgate.dialer.DialerPush push, fi.callgate.dialer.DialerLists dialerLists,
                       fi.callgate.results.Exports exports, fi.callgate.dialer.DialerPush controllerPush,
                       fi.callgate.store.WriteGate writeGate,
                       fi.callgate.agreement.Agreements agreements, fi.callgate.recordings.Recordings recordings) {

    /** Ends every open session of an account; returns how many were closed. */
    @FunctionalInterface
    public interface SessionTerminator {
        int closeSessionsOf(String account);
    }

    /** The OpenPGP operations the commands need, implemented with the routes module's crypto. */
    public interface PgpKeys {
        String gatewayPublicKey();

        String gatewayFingerprint();

        /** Checks an armored controller key; throws IllegalArgumentException with the reason if unusable. */
        ControllerKeyInfo checkControllerKey(String armored);
    }

    public record ControllerKeyInfo(String fingerprint, List<String> userIds, String armored) {
    }

    /** The retention bounds a campaign's own setting must respect. */
    public record RetentionLimits(int defaultDays, int maxDays, int personalIdDays) {
    }
}
