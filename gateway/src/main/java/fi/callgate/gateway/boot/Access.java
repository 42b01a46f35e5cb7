package fi.callgate.gateway.boot;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.accounts.KeyAuthenticator;
import fi.callgate.gateway.accounts.LoginDefender;
import fi.callgate.gateway.accounts.PasswordHasher;
import fi.callgate.gateway.accounts.PasswordLogin;
import fi.callgate.gateway.accounts.PreAuthBudget;
import fi.callgate.gateway.accounts.SessionGuard;
import fi.callgate.gateway.commands.AccountCommands;
import fi.callgate.gateway.commands.AgreementCommands;
import fi.callgate.gateway.commands.AuditCommands;
import fi.callgate.gateway.commands.BlocklistCommands;
import fi.callgate.gateway.commands.CampaignCommands;
import fi.callgate.gateway.commands.CommandGroup;
import fi.callgate.gateway.commands.CommandShellFactory;
import fi.callgate.gateway.commands.DsarCommands;
import fi.callgate.gateway.commands.GatewayCommands;
import fi.callgate.gateway.commands.PgpKeys;
import fi.callgate.gateway.commands.RetentionCommands;
import fi.callgate.gateway.commands.RetentionLimits;
import fi.callgate.gateway.commands.SessionTerminator;
import fi.callgate.gateway.management.Health;
import fi.callgate.gateway.management.ManagementServer;
import fi.callgate.gateway.sftp.DropPointServer;
import fi.callgate.gateway.sftp.UploadTracker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How people reach the appliance: the SSH/SFTP drop point with its authenticators, session guard and command
 * groups, and the management listener. Built after everything they use; {@link #start} opens SSH and then
 * management last, so no client reaches a half-built gateway and /health is never early.
 */
final class Access {
    private static final Logger log = LoggerFactory.getLogger(Access.class);
    private final Foundation f;
    private final Processing p;
    private final SshServer ssh;
    private ManagementServer management;

    private Access(Foundation f, Processing p, SshServer ssh) {
        this.f = f;
        this.p = p;
        this.ssh = ssh;
    }

    static Access build(Foundation f, Processing p, Lifecycle lifecycle) throws IOException {
        CallgateConfig config = f.config();
        var cs = config.sftp();
        var d = config.defender();
        LoginDefender defender = new LoginDefender(d.enabled(), d.threshold(), d.observationWindow(), d.banTime(),
                d.banTimeMultiplier(), d.maxBanTime(), f.clock());
        ExecutorService passwordWorkers = Executors.newFixedThreadPool(2, Foundation.daemon("callgate-password"));
        lifecycle.started("password workers", passwordWorkers::shutdownNow);
        SshServer[] server = new SshServer[1]; // the commands close sessions of the server they are part of
        CommandShellFactory commands = new CommandShellFactory(commandGroups(f, p, name -> closeSessionsOf(server[0],
                name)), f.audit(), f.gate(), () -> ThreadUtils.newCachedThreadPool("callgate-command"));
        UploadTracker uploads = new UploadTracker(f.intake(), f.audit(), cs.maxUploadBytes(),
                cs.maxBytesInFlightPerAccount());
        server[0] = DropPointServer.build(
                new DropPointServer.Settings(cs.host(), cs.port(), config.keysDir().resolve("ssh_host_ed25519_key"),
                        config.sftpRoot(), cs.authTimeout(), cs.maxAuthAttempts(), cs.idleTimeout(),
                        cs.maxSessionsPerAccount(), cs.maxOpenHandles()),
                new DropPointServer.Parts(new KeyAuthenticator(f.accounts(), defender),
                        new PasswordLogin(f.accounts(), new PasswordHasher(), defender, f.audit(), passwordWorkers),
                        new SessionGuard(defender, f.audit(), f.metrics(), f.timer(), cs.maxSessionsPerIp(),
                                cs.maxSessions(), cs.maxSessionAge(), new PreAuthBudget(cs.preAuth(),
                                        () -> ThreadLocalRandom.current().nextDouble())),
                        f.campaigns(), uploads, f.cipher(), f.audit(), commands, f.metrics(), p.dialerLists(),
                        (campaign, file) -> {
                            p.exports().downloaded(campaign, file);
                            p.recordings().downloaded(campaign, file);
                        }, f.gate()));
        return new Access(f, p, server[0]);
    }

    /** Each command group gets only what it acts on; the order is the order help lists them in. */
    private static List<CommandGroup> commandGroups(Foundation f, Processing p, SessionTerminator sessions) {
        var rc = f.config().retention();
        RetentionLimits limits = new RetentionLimits(rc.defaultDays(), rc.maxDays(), rc.personalIdDays());
        PgpKeys pgp = new GatewayPgpKeys(f.gatewayKey());
        PasswordHasher hasher = new PasswordHasher();
        return List.of(
                ctx -> new AccountCommands(ctx, f.accounts(), hasher, sessions, f.audit()),
                ctx -> new CampaignCommands(ctx, f.clock(), limits, f.campaigns(), f.folders(), p.dialerLists(),
                        pgp, p.agreements(), f.accounts(), p.dialerPush(), p.controllerPush(), p.retention(),
                        p.exports(), f.audit(), new AgreementCommands(ctx, f.accounts(), p.agreements(), sessions,
                                f.audit(), p.recordings())),
                ctx -> new AuditCommands(ctx, f.audit()),
                ctx -> new GatewayCommands(ctx, pgp),
                ctx -> new BlocklistCommands(ctx, p.blockList(), f.audit()),
                ctx -> new DsarCommands(ctx, p.dsar(), p.recordings()),
                ctx -> new RetentionCommands(ctx, p.retention(), f.campaigns(), p.exports()));
    }

    /** Opens SSH, then management: /health cannot answer 200 before everything it checks has started. */
    void start(Lifecycle lifecycle) throws IOException {
        ssh.start();
        lifecycle.started("ssh server", ssh::stop);
        management = ManagementServer.start(f.config().management().host(), f.config().management().port(),
                f.registry(), new Health()
                        .part("ssh", () -> ssh.isStarted() && ssh.isOpen())
                        .part("store", f.db()::isUp)
                        .part("pipeline", p.pipeline()::isUp)
                        .part("storage", () -> f.gate().refusal().map(why -> why + "; every write under data-dir is"
                                + " refused (uploads, processing, exports, pushes, shredding, changes)"))
                        .notice("admin", () -> f.accounts().anyActiveAdmin() ? Optional.empty()
                                : Optional.of(Callgate.NO_ADMIN)));
        lifecycle.started("management server", management);
        f.audit().record(AuditEvent.ok("callgate", null, "gateway.start", "ssh:" + sshPort(),
                "data-dir=" + f.config().dataDir()));
        log.info("Callgate is up: SSH/SFTP on {}:{}, management on {}:{}, data in {}, storage location {} ({})",
                f.config().sftp().host(), sshPort(), f.config().management().host(), management.port(),
                f.config().dataDir(), f.config().storageLocation(), f.where().reason());
    }

    int sshPort() {
        return ((InetSocketAddress) ssh.getBoundAddresses().iterator().next()).getPort();
    }

    int managementPort() {
        return management.port();
    }

    private static int closeSessionsOf(SshServer server, String account) {
        int n = 0;
        for (AbstractSession s : server.getActiveSessions()) {
            if (account.equals(s.getUsername())) {
                s.close(true);
                n++;
            }
        }
        return n;
    }
}
