package fi.callgate.gateway.boot;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.domain.EeaPolicy;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.gateway.management.MeterRegistries;
import fi.callgate.gateway.management.RuntimeMeters;
import fi.callgate.gateway.sftp.UploadTracker;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.RecordStore;
import fi.callgate.store.WriteGate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bottom of the appliance, opened first and closed last: the location check, the data directory, the master
 * key, the metrics registry, the store (it recovers here) and the stores and keys every other area uses. Read
 * only by the composition root, which hands each class the few parts it needs.
 */
record Foundation(CallgateConfig config, Clock clock, EeaPolicy.Decision where, MasterKey masterKey,
                  PrometheusMeterRegistry registry, CallgateMetrics metrics, WriteGate gate, Database db,
                  AuditLog audit, AccountStore accounts, CampaignStore campaigns, CampaignFolders folders,
                  GatewayKey gatewayKey, BlindIndex blindIndex, CampaignKeyStore campaignKeys, RecordStore records,
                  UploadStore uploads, SpoolCipher cipher, UploadIntake intake, ScheduledExecutorService timer) {
    private static final Logger log = LoggerFactory.getLogger(Foundation.class);

    /** Opens the store and what sits directly on it; each part that must be stopped goes into {@code lifecycle}. */
    static Foundation open(CallgateConfig config, Clock clock, Lifecycle lifecycle) throws Exception {
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

        Database db = Database.open(dataDir, masterKey, gate);
        lifecycle.started("store", db);
        AuditLog audit = new AuditLog(db, masterKey, clock);
        AccountStore accounts = new AccountStore(db, clock);
        CampaignStore campaigns = new CampaignStore(db, clock);
        CampaignFolders folders = new CampaignFolders(config.sftpRoot());
        GatewayKey gatewayKey = GatewayKey.loadOrCreate(config.keysDir().resolve("gateway-pgp.sec.asc"),
                config.keysDir().resolve("gateway-pgp.pub.asc"), "Callgate gateway <callgate@localhost>");
        log.info("gateway OpenPGP key {} at {}", gatewayKey.fingerprint(), config.keysDir());
        bootstrapAdmin(config, accounts, audit);
        lifecycle.started("runtime meters", RuntimeMeters.bindTo(registry));

        SpoolCipher cipher = new SpoolCipher(masterKey);
        UploadStore uploads = new UploadStore(db);
        UploadIntake intake = new UploadIntake(uploads, audit, cipher, config.spoolDir(), clock);
        int orphans = intake.sweepOrphans();
        int leftovers = UploadTracker.clearLeftovers(config.sftpRoot());
        if (orphans + leftovers > 0) {
            log.info("removed {} orphaned spool file(s) and {} cut-off upload(s) from before the restart",
                    orphans, leftovers);
        }
        for (var c : campaigns.list()) {
            folders.create(c.id());
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("callgate-timer"));
        lifecycle.started("timer", timer::shutdownNow);

        BlindIndex blindIndex = new BlindIndex(masterKey);
        CampaignKeyStore campaignKeys = new CampaignKeyStore(db, masterKey, CampaignKeyStore.defaultKeyDir(dataDir),
                clock);
        campaignKeys.recover();
        RecordStore records = new RecordStore(db, masterKey, campaignKeys, blindIndex, clock);
        lifecycle.started("record store", records);
        records.purgeDeleted();
        // Records stored before V15 move in the background while the gateway serves (RecordMigration).
        records.migrateLegacyInBackground(gate::isOpen);
        return new Foundation(config, clock, where, masterKey, registry, metrics, gate, db, audit, accounts,
                campaigns, folders, gatewayKey, blindIndex, campaignKeys, records, uploads, cipher, intake, timer);
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

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
