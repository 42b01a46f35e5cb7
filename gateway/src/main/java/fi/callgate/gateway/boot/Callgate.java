package fi.callgate.gateway.boot;

import fi.callgate.pipeline.RecordingRoutes;
import fi.callgate.recordings.RecordingStage;
import fi.callgate.recordings.RecordingStore;
import fi.callgate.recordings.Recordings;
import fi.callgate.agreement.AgreementStore;
import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Passphrases;
import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.dialer.DialerListStore;
import fi.callgate.dialer.DialerLists;
import fi.callgate.dialer.DialerPush;
import fi.callgate.dialer.PushKey;
import fi.callgate.dialer.PushQueue;
import fi.callgate.dialer.PushRoute;
import fi.callgate.dialer.PushTargets;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.domain.EeaPolicy;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.KeyAuthenticator;
import fi.callgate.gateway.accounts.LoginDefender;
import fi.callgate.gateway.accounts.PasswordHasher;
import fi.callgate.gateway.accounts.PasswordLogin;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.gateway.accounts.SessionGuard;
import fi.callgate.gateway.commands.CommandShellFactory;
import fi.callgate.gateway.commands.Services;
import fi.callgate.gateway.management.Health;
import fi.callgate.gateway.management.ManagementServer;
import fi.callgate.gateway.management.MeterRegistries;
import fi.callgate.gateway.management.RuntimeMeters;
import fi.callgate.gateway.sftp.DropPointServer;
import fi.callgate.gateway.sftp.UploadTracker;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.intake.UploadAttempts;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.pipeline.Pipeline;
import fi.callgate.pipeline.ResultsRoutes;
import fi.callgate.results.Exports;
import fi.callgate.results.ResultStore;
import fi.callgate.results.ResultsStage;
import fi.callgate.pipeline.stage.CallListPolicy;
import fi.callgate.pipeline.stage.IntakeContext;
import fi.callgate.pipeline.stage.StageFaults;
import fi.callgate.publish.StorageGuard;
import fi.callgate.dialer.DialerListFiles;
import fi.callgate.dsar.DsarHooks;
import fi.callgate.dsar.DsarService;
import fi.callgate.dsar.DsarStore;
import fi.callgate.retention.DatasetFiles;
import fi.callgate.retention.ReceiptPublisher;
import fi.callgate.retention.Retention;
import fi.callgate.retention.RetentionLedger;
import fi.callgate.retention.RetentionPolicy;
import fi.callgate.retention.ShredFaults;
import fi.callgate.retention.ShredRoute;
import fi.callgate.retention.Shredder;
import fi.callgate.retention.SpoolFiles;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import fi.callgate.store.WriteGate;
import java.time.Duration;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root. Builds every part in dependency order — location check, data directory, master
 * key, store, audit log, gateway key, accounts, intake, SSH — and starts the SSH listener and then the
 * management listener last, so no client can reach a half-built gateway and /health is never early.
 * {@link #close()} stops the management listener and SSH first, then the workers, then the
 * store (with an explicit SHUTDOWN).
 */
public final class Callgate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Callgate.class);

    /**
     * Said once at start (log and stderr) and by {@code /health} while no admin account exists: a newcomer's
     * only way in, in one line with the exact variables to set.
     */
    public static final String NO_ADMIN = "no admin account exists, so nobody can log in to manage the gateway: "
            + "set CALLGATE_BOOTSTRAP_ADMIN_NAME=<name> and CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY=\"<OpenSSH public "
            + "key line>\" (or bootstrap-admin.name and bootstrap-admin.public-key in the config) and restart";

    private final CallgateConfig config;
    /** {@code storage.location}, the part of the configuration that changes while running (SIGHUP). */
    private final WriteGate gate;
    private CallgateMetrics metrics;
    private final Database db;
    private final AuditLog audit;
    private final AccountStore accounts;
    private final CampaignStore campaigns;
    private final GatewayKey gatewayKey;
    private final UploadIntake intake;
    private final PrometheusMeterRegistry registry;
    private final RecordStore records;
    private final Pipeline pipeline;
    private final SshServer ssh;
    private final ManagementServer management;
    private final Lifecycle lifecycle;
    private BlockList blockList;
    private DialerLists dialerLists;
    private DialerPush dialerPush;
    private DialerPush controllerPush;
    private Exports exports;

    private Callgate(CallgateConfig config, WriteGate gate,
                     Database db, AuditLog audit, AccountStore accounts,
                     CampaignStore campaigns, GatewayKey gatewayKey, UploadIntake intake,
                     PrometheusMeterRegistry registry, RecordStore records, Pipeline pipeline, SshServer ssh,
                     ManagementServer management, Lifecycle lifecycle) {
        this.config = config;
        this.gate = gate;
        this.db = db;
        this.audit = audit;
        this.accounts = accounts;
        this.campaigns = campaigns;
        this.gatewayKey = gatewayKey;
        this.intake = intake;
        this.registry = registry;
        this.records = records;
        this.pipeline = pipeline;
        this.ssh = ssh;
        this.management = management;
        this.lifecycle = lifecycle;
    }

    public static Callgate start(CallgateConfig config, Clock clock) throws Exception {
        return start(config, clock, StageFaults.NONE);
    }

    /** With a fault hook between pipeline stages: the crash tests' way in. */
    public static Callgate start(CallgateConfig config, Clock clock, StageFaults faults) throws Exception {
        return start(config, clock, faults, ShredFaults.NONE);
    }

    /** With fault hooks in the pipeline and in the shredder: the crash tests' way in. */
    public static Callgate start(CallgateConfig config, Clock clock, StageFaults faults, ShredFaults shredFaults)
            throws Exception {
        return start(config, clock, faults, shredFaults, null);
    }

    /**
     * With the hooks a data-subject erasure reaches other components through; {@code null} wires the real
     * block list and dialer lists (tests may pass doubles).
     */
    public static Callgate start(CallgateConfig config, Clock clock, StageFaults faults, ShredFaults shredFaults,
                                 DsarHooks dsarHooks) throws Exception {
        EeaPolicy.Decision where = EeaPolicy.check(config.storageLocation());
        if (!where.allowed()) {
            throw new ConfigException("storage.location", where.reason());
        }
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        MasterKey masterKey = masterKey(config);

        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        CallgateMetrics metrics = new CallgateMetrics(registry);
        WriteGate gate = new WriteGate(config.storageLocation(), metrics.storageRefusals()::increment);
        metrics.storageLocation(gate.location(), false);

        // Stopped in reverse start order: the store, opened first, closes last.
        Lifecycle lifecycle = new Lifecycle();
        Database db = Database.open(dataDir, masterKey, gate);
        lifecycle.started("store", db);
        try {
            AuditLog audit = new AuditLog(db, masterKey, clock);
            AccountStore accounts = new AccountStore(db, clock);
            CampaignStore campaigns = new CampaignStore(db, clock);
            CampaignFolders folders = new CampaignFolders(config.sftpRoot());
            GatewayKey gatewayKey = GatewayKey.loadOrCreate(config.keysDir().resolve("gateway-pgp.sec.asc"),
                    config.keysDir().resolve("gateway-pgp.pub.asc"), "Callgate gateway <callgate@localhost>");
            log.info("gateway OpenPGP key {} at {}", gatewayKey.fingerprint(), config.keysDir());
            bootstrapAdmin(config, accounts, audit);

            lifecycle.started("runtime meters", RuntimeMeters.bindTo(registry));
            BlindIndex blindIndex = new BlindIndex(masterKey);
            BlockList blockList = new BlockList(db, blindIndex, clock);
            metrics.blocklistNumbers(blockList::size);

            SpoolCipher cipher = new SpoolCipher(masterKey);
            UploadStore uploadStore = new UploadStore(db);
            UploadIntake intake = new UploadIntake(uploadStore, audit, cipher, config.spoolDir(), clock);
            int orphans = intake.sweepOrphans();
            int leftovers = UploadTracker.clearLeftovers(config.sftpRoot());
            if (orphans + leftovers > 0) {
                log.info("removed {} orphaned spool file(s) and {} cut-off upload(s) from before the restart",
                        orphans, leftovers);
            }
            for (var c : campaigns.list()) {
                folders.create(c.id());
            }

            var cs = config.sftp();
            var d = config.defender();
            LoginDefender defender = new LoginDefender(d.enabled(), d.threshold(), d.observationWindow(), d.banTime(),
                    d.banTimeMultiplier(), d.maxBanTime(), clock);
            ExecutorService passwordWorkers = Executors.newFixedThreadPool(2, daemon("callgate-password"));
            lifecycle.started("password workers", passwordWorkers::shutdownNow);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("callgate-timer"));
            lifecycle.started("timer", timer::shutdownNow);

            var rc = config.retention();
            RetentionLedger ledger = new RetentionLedger(db, new RetentionPolicy(rc.defaultDays(), rc.maxDays(),
                    rc.personalIdDays()), clock);
            Retention retention = new Retention(ledger, campaigns, clock);
            metrics.retentionGauges(retention::overdueDatasets, retention::nextDeadlineSeconds,
                    retention::oldestPersonalDataAgeSeconds);

            CampaignKeyStore campaignKeys = new CampaignKeyStore(db, masterKey,
                    CampaignKeyStore.defaultKeyDir(dataDir), clock);
            campaignKeys.recover();
            RecordStore records = new RecordStore(db, masterKey, campaignKeys, blindIndex, clock);
            lifecycle.started("record store", records);
            records.purgeDeleted();
            // Records stored before V15 move in the background while the gateway serves (RecordMigration).
            records.migrateLegacyInBackground(gate::isOpen);
            // Erased records leave the part files and the index in batches: within PURGE_PERIOD of the erase.
            var purge = timer.scheduleWithFixedDelay(() -> {
                if (!gate.isOpen()) {
                    return; // rewriting parts is a write under data-dir: waits for an EEA location (CONTRACT §6)
                }
                try {
                    records.purgeErased();
                } catch (RuntimeException e) {
                    log.error("purging erased records failed (retried): {}", e.toString());
                }
            }, RecordStore.PURGE_PERIOD.toSeconds(), RecordStore.PURGE_PERIOD.toSeconds(), TimeUnit.SECONDS);
            lifecycle.started("record purge", () -> purge.cancel(false)); // stops before the record store closes
            StorageGuard storage = new StorageGuard(gate, audit);
            AgreementStore agreementStore = new AgreementStore(db, clock);
            Agreements agreements = new Agreements(agreementStore, new Passphrases(agreementStore, masterKey));
            RecordingStore recordingStore = new RecordingStore(db, clock);
            Recordings recordings = new Recordings(recordingStore, folders, audit, clock,
                    config.export().keepAfterDownload(), config.export().maxAge());
            metrics.recordingGauges(recordings::awaitingDownload, recordings::oldestAwaitingSeconds);
            IntakeContext intakeContext = new IntakeContext(uploadStore, intake, campaigns, campaignKeys, records,
                    new UploadReportStore(db, clock), folders, gatewayKey, storage, audit, metrics, faults,
                    config.spoolDir(), clock, agreements);
            DialerLists dialerLists = new DialerLists(intakeContext, blockList, new DialerListStore(db, clock));
            ResultStore resultStore = new ResultStore(db);
            Exports exports = new Exports(intakeContext, resultStore, config.export().keepAfterDownload(),
                    config.export().maxAge());
            // Both kinds of push share one target table, one durable queue and one route in the pipeline's
            // Camel context (added below, before the unfinished pushes are resumed).
            PushTargets pushTargets = new PushTargets(db, clock);
            PushQueue pushQueue = new PushQueue(db, clock);
            PushRoute pushRoute = new PushRoute(db, pushTargets, pushQueue, audit, registry,
                    PushKey.loadOrCreate(config.keysDir().resolve("push")), Duration.ofSeconds(2),
                    config.pushStallTimeout());
            DialerPush dialerPush = new DialerPush(DialerPush.Kind.DIALER, pushTargets, pushQueue, pushRoute);
            dialerLists.pushWith(dialerPush);
            DialerPush controllerPush = new DialerPush(DialerPush.Kind.CONTROLLER, pushTargets, pushQueue, pushRoute);
            exports.pushWith(controllerPush);
            DsarStore dsarStore = new DsarStore(db);
            exports.noticesFrom(new DsarExportNotices(dsarStore, clock));
            ReceiptPublisher receipts = new ReceiptPublisher(folders, gatewayKey, storage, audit, db, clock);
            DsarService dsar = new DsarService(new DsarService.Parts(dsarStore, records,
                    blindIndex, campaigns, uploadStore, retention,
                    receipts, audit, metrics,
                    dsarHooks == null ? dsarHooksFor(blockList, dialerLists, resultStore, uploadStore, campaignKeys,
                            recordings)
                            : dsarHooks, clock, faults));
            dsar.provenanceFrom(agreementStore::provenance);
            SshServer[] server = new SshServer[1];
            Services services = new Services(accounts, campaigns, folders, audit, new PasswordHasher(),
                    name -> closeSessionsOf(server[0], name), new GatewayPgpKeys(gatewayKey),
                    new Services.RetentionLimits(config.retention().defaultDays(), config.retention().maxDays(),
                            config.retention().personalIdDays()), clock, retention, dsar, blockList, dialerPush,
                    dialerLists, exports, controllerPush, gate, agreements, recordings);
            UploadTracker uploads = new UploadTracker(intake, audit, cs.maxUploadBytes(),
                    cs.maxBytesInFlightPerAccount());
            server[0] = DropPointServer.build(
                    new DropPointServer.Settings(cs.host(), cs.port(), config.keysDir().resolve("ssh_host_ed25519_key"),
                            config.sftpRoot(), cs.authTimeout(), cs.maxAuthAttempts(), cs.idleTimeout(),
                            cs.maxSessionsPerAccount(), cs.maxOpenHandles()),
                    new DropPointServer.Parts(new KeyAuthenticator(accounts, defender),
                            new PasswordLogin(accounts, new PasswordHasher(), defender, audit, passwordWorkers),
                            new SessionGuard(defender, audit, metrics, timer, cs.maxSessionsPerIp(), cs.maxSessions(),
                                    cs.maxSessionAge(), new fi.callgate.gateway.accounts.PreAuthBudget(cs.preAuth(),
                                            () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()),
                                    cs.authTimeout()),
                            campaigns, uploads, cipher, audit,
                            new CommandShellFactory(services, () -> ThreadUtils.newCachedThreadPool("callgate-command")),
                            metrics, dialerLists, (campaign, file) -> {
                                exports.downloaded(campaign, file);
                                recordings.downloaded(campaign, file);
                            }, gate));
            Pipeline pipeline = Pipeline.start(intakeContext, new Pipeline.Limits(
                    DecryptLimits.defaults().withMaxPlaintextBytes(config.intake().maxPlaintextBytes())
                            .withMaxCompressionRatio(config.intake().maxCompressionRatio()),
                    CallListPolicy.defaults(false), Duration.ofMinutes(1), config.intake().maxAttempts()), dialerLists,
                    new UploadAttempts(db));
            lifecycle.started("pipeline", pipeline);
            DatasetFiles datasetFiles = DatasetFiles.all(List.of(new SpoolFiles(config.spoolDir()),
                    new DialerListFiles(dialerLists.store(), folders)));
            Shredder shredder = new Shredder(ledger, receipts, new Shredder.Parts(uploadStore, campaigns, records, campaignKeys,
                    datasetFiles, folders, gatewayKey, storage, audit, metrics, shredFaults, clock));
            pipeline.add(new ShredRoute(shredder, config.shredderInterval()));
            pipeline.add(pushRoute);
            pipeline.add(new ResultsRoutes(new ResultsStage(intakeContext, resultStore, blockList, retention), exports,
                    config.export().interval()));
            pipeline.add(new RecordingRoutes(new RecordingStage(intakeContext, recordingStore), recordings,
                    config.export().interval()));
            exports.resumeOpen(); // an export a kill interrupted is written under its recorded name
            intake.resumeUnfinished();
            dialerLists.republishStale(); // a re-publication that failed before the stop is retried
            dsar.resumeInterrupted(); // a data-subject erasure a kill interrupted is finished before anyone logs in
            dialerLists.resumePushes(); // pushes a stop or a kill left undone (the queue is durable)
            exports.resumePushes();
            server[0].start();
            lifecycle.started("ssh server", server[0]::stop);
            int port = ((InetSocketAddress) server[0].getBoundAddresses().iterator().next()).getPort();
            // Last, so /health cannot answer 200 before everything it checks has started.
            SshServer ssh = server[0];
            ManagementServer management = ManagementServer.start(config.management().host(),
                    config.management().port(), registry, new Health()
                            .part("ssh", () -> ssh.isStarted() && ssh.isOpen())
                            .part("store", db::isUp)
                            .part("pipeline", pipeline::isUp)
                            .part("storage", () -> gate.refusal().map(why -> why + "; every write under data-dir is"
                                    + " refused (uploads, processing, exports, pushes, shredding, changes)"))
                            .notice("admin", () -> accounts.anyActiveAdmin() ? Optional.empty()
                                    : Optional.of(NO_ADMIN)));
            lifecycle.started("management server", management);
            audit.record(AuditEvent.ok("callgate", null, "gateway.start", "ssh:" + port, "data-dir=" + dataDir));
            log.info("Callgate is up: SSH/SFTP on {}:{}, management on {}:{}, data in {}, storage location {} ({})",
                    cs.host(), port, config.management().host(), management.port(), dataDir, config.storageLocation(),
                    where.reason());
            if (!accounts.anyActiveAdmin()) {
                log.warn(NO_ADMIN);
            }
            Callgate callgate = new Callgate(config, gate, db, audit, accounts, campaigns, gatewayKey,
                    intake, registry, records, pipeline, server[0], management, lifecycle);
            callgate.blockList = blockList;
            callgate.dialerLists = dialerLists;
            callgate.dialerPush = dialerPush;
            callgate.controllerPush = controllerPush;
            callgate.exports = exports;
            callgate.metrics = metrics;
            return callgate;
        } catch (Exception | Error e) {
            lifecycle.close();
            throw e;
        }
    }

    /**
     * A data-subject erasure blocks through the block list, re-renders the dialer lists it touched and
     * drops the person's results; {@code dsar find} reports the lists and results holding the person.
     */
    private static DsarHooks dsarHooksFor(BlockList blockList, DialerLists lists, ResultStore results,
                                          UploadStore uploads, CampaignKeyStore keys, Recordings recordings) {
        return new DsarHooks((phone, reason) -> blockList.add(List.of(phone), reason), new DsarDialerLists(lists),
                withRecordings(new DsarResults(results, uploads, keys), recordings));
    }

    /**
     * Recordings awaiting download are, like pending exports, personal data on its way to the controller:
     * an erasure removes them with the person's results (and {@code dsar find} lists them, see DsarCommands).
     */
    private static DsarHooks.PendingExports withRecordings(DsarHooks.PendingExports exports, Recordings recordings) {
        return new DsarHooks.PendingExports() {
            @Override
            public List<Held> find(java.util.Collection<String> recordIds) {
                return exports.find(recordIds);
            }

            @Override
            public int erase(java.util.Collection<String> recordIds) {
                int rows = exports.erase(recordIds);
                recordings.erase(recordIds);
                return rows;
            }
        };
    }

    private static MasterKey masterKey(CallgateConfig config) throws IOException {
        if (config.masterKeyBase64().isPresent()) {
            log.info("master key taken from the environment (CALLGATE_MASTER_KEY)");
            return MasterKey.fromBase64(config.masterKeyBase64().get());
        }
        Path file = config.masterKeyFile().toAbsolutePath().normalize();
        if (file.startsWith(config.dataDir().toAbsolutePath().normalize())) {
            throw new ConfigException("master-key.file", "must not be inside data-dir: the key must not be stored "
                    + "beside the data it protects");
        }
        boolean existed = Files.exists(file);
        MasterKey key = MasterKey.loadOrCreate(file);
        log.info("master key {} {}", existed ? "read from" : "created at", file);
        return key;
    }

    private static void bootstrapAdmin(CallgateConfig config, AccountStore accounts, AuditLog audit) {
        Optional<CallgateConfig.BootstrapAdmin> admin = config.bootstrapAdmin();
        if (admin.isEmpty() || accounts.anyActiveAdmin()) {
            return;
        }
        String name = admin.get().name();
        if (accounts.find(name).isEmpty()) {
            accounts.create(name, Role.ADMIN, Optional.empty());
        }
        try {
            accounts.addKey(name, admin.get().publicKey());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bootstrap-admin.public-key", e.getMessage());
        }
        audit.record(AuditEvent.ok("callgate", null, "account.bootstrap", name, "role=admin"));
        log.info("bootstrap admin account {} created", name);
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Takes a re-read configuration (SIGHUP). Only {@code storage.location} applies while running, and it
     * applies at once: a location outside the EEA closes the {@link WriteGate} — the drop point refuses every
     * open, the pipeline, shredder, exports and pushes stop, commands that change anything are refused, the
     * database takes no writes, and audit entries go to the process log only — until an EEA location is
     * reloaded; then the parked uploads and pushes are taken up again at once. Everything else needs a restart.
     */
    public void reload(CallgateConfig fresh) {
        String before = gate.relocate(fresh.storageLocation());
        var refused = gate.refusal();
        metrics.storageLocation(gate.location(), refused.isPresent());
        audit.record(AuditEvent.ok("callgate", null, "gateway.reload", "storage.location",
                before + " -> " + fresh.storageLocation()));
        log.info("configuration reloaded: storage.location {} -> {} (other keys apply at the next restart)", before,
                fresh.storageLocation());
        if (refused.isPresent()) {
            log.error("{}: every write under data-dir is refused until an EEA location is configured and reloaded",
                    refused.get());
            return;
        }
        intake.resumeUnfinished();
        dialerLists.resumePushes();
        exports.resumePushes();
    }

    public int sshPort() {
        return ((InetSocketAddress) ssh.getBoundAddresses().iterator().next()).getPort();
    }

    /** The management listener's bound port (an ephemeral one when {@code management.port} is 0). */
    public int managementPort() {
        return management.port();
    }

    public CallgateConfig config() {
        return config;
    }

    public Database database() {
        return db;
    }

    public AuditLog audit() {
        return audit;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public CampaignStore campaigns() {
        return campaigns;
    }

    public GatewayKey gatewayKey() {
        return gatewayKey;
    }

    public UploadIntake intake() {
        return intake;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public RecordStore records() {
        return records;
    }

    public BlockList blockList() {
        return blockList;
    }

    public DialerPush dialerPush() {
        return dialerPush;
    }

    /** Pushes published exports to the campaigns' controller SFTP servers. */
    public DialerPush controllerPush() {
        return controllerPush;
    }

    public DialerLists dialerLists() {
        return dialerLists;
    }

    public Exports exports() {
        return exports;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        try {
            audit.record(AuditEvent.ok("callgate", null, "gateway.stop", null, null));
        } catch (RuntimeException e) {
            // a store that is already gone must not keep the listeners and workers running
            log.warn("could not audit the stop: {}", e.toString());
        }
        lifecycle.close();
        log.info("Callgate stopped");
    }
}
