package fi.callgate.gateway.boot;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.dialer.DialerLists;
import fi.callgate.dialer.DialerPush;
import fi.callgate.dsar.DsarHooks;
import fi.callgate.gateway.accounts.AccountStore;
import fi.callgate.intake.UploadIntake;
import fi.callgate.pipeline.Pipeline;
import fi.callgate.results.Exports;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.Database;
import fi.callgate.store.RecordStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root, in three phases. <b>Build</b>, area by area, each from the one below it:
 * {@link Foundation} (location check, data directory, master key, metrics, the store and the stores on it),
 * {@link Processing} (pipeline and every route, dialer lists, exports, pushes, retention, data-subject
 * requests) and {@link Access} (the SSH drop point with its command groups). Nothing runs yet except what
 * opening the store needs. <b>Start</b>: the routes, then what a stop or a kill left unfinished, then the SSH
 * listener and the management listener last, so no client reaches a half-built gateway and /health is never
 * early. <b>Stop</b> ({@link #close()}): every part in the reverse of the order it started ({@link Lifecycle}),
 * the store — opened first — last, with an explicit SHUTDOWN.
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

    /**
     * What an embedding caller may put in place of the defaults: who hears of the durable steps inside a job
     * ({@link Checkpoints}; production logs them), the parts a data-subject erasure reaches ({@code null}: the
     * real block list, dialer lists and exports), and a last look at the pipeline's Camel context with every
     * route defined and none started (Camel's usual extension point for an embedding application). The tests
     * put their kill points and doubles here; nothing in production knows about them.
     */
    public record Extensions(Checkpoints checkpoints, DsarHooks dsarHooks, Consumer<CamelContext> beforeRoutesStart) {
        public static final Extensions NONE = new Extensions(Checkpoints.LOG, null, camel -> { });
    }

    private final Foundation foundation;
    private final Processing processing;
    private final Access access;
    private final Lifecycle lifecycle;

    private Callgate(Foundation foundation, Processing processing, Access access, Lifecycle lifecycle) {
        this.foundation = foundation;
        this.processing = processing;
        this.access = access;
        this.lifecycle = lifecycle;
    }

    public static Callgate start(CallgateConfig config, Clock clock) throws Exception {
        return start(config, clock, Extensions.NONE);
    }

    public static Callgate start(CallgateConfig config, Clock clock, Extensions extensions) throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        try {
            Callgate callgate = build(config, clock, extensions, lifecycle);
            callgate.start(extensions);
            return callgate;
        } catch (Exception | Error e) {
            lifecycle.close();
            throw e;
        }
    }

    /** Build phase: every part constructed and wired; only the store (and what opening it needs) is open. */
    private static Callgate build(CallgateConfig config, Clock clock, Extensions extensions, Lifecycle lifecycle)
            throws Exception {
        Foundation foundation = Foundation.open(config, clock, lifecycle);
        Processing processing = Processing.build(foundation, extensions);
        Access access = Access.build(foundation, processing, lifecycle);
        return new Callgate(foundation, processing, access, lifecycle);
    }

    /** Start phase: routes and resumed work first, the listeners last. */
    private void start(Extensions extensions) throws Exception {
        processing.start(extensions, lifecycle);
        access.start(lifecycle);
        if (!foundation.accounts().anyActiveAdmin()) {
            log.warn(NO_ADMIN);
        }
    }

    /**
     * Takes a re-read configuration (SIGHUP). Only {@code storage.location} applies while running, and it
     * applies at once: a location outside the EEA closes the write gate — the drop point refuses every
     * open, the pipeline, shredder, exports and pushes stop, commands that change anything are refused, the
     * database takes no writes, and audit entries go to the process log only — until an EEA location is
     * reloaded; then the parked uploads and pushes are taken up again at once. Everything else needs a restart.
     */
    public void reload(CallgateConfig fresh) {
        var gate = foundation.gate();
        String before = gate.relocate(fresh.storageLocation());
        var refused = gate.refusal();
        foundation.metrics().storageLocation(gate.location(), refused.isPresent());
        audit().record(AuditEvent.ok("callgate", null, "gateway.reload", "storage.location",
                before + " -> " + fresh.storageLocation()));
        log.info("configuration reloaded: storage.location {} -> {} (other keys apply at the next restart)", before,
                fresh.storageLocation());
        if (refused.isPresent()) {
            log.error("{}: every write under data-dir is refused until an EEA location is configured and reloaded",
                    refused.get());
            return;
        }
        intake().resumeUnfinished();
        dialerLists().resumePushes();
        exports().resumePushes();
    }

    public int sshPort() {
        return access.sshPort();
    }

    /** The management listener's bound port (an ephemeral one when {@code management.port} is 0). */
    public int managementPort() {
        return access.managementPort();
    }

    public CallgateConfig config() {
        return foundation.config();
    }

    public Database database() {
        return foundation.db();
    }

    public AuditLog audit() {
        return foundation.audit();
    }

    public AccountStore accounts() {
        return foundation.accounts();
    }

    public CampaignStore campaigns() {
        return foundation.campaigns();
    }

    public GatewayKey gatewayKey() {
        return foundation.gatewayKey();
    }

    public UploadIntake intake() {
        return foundation.intake();
    }

    public PrometheusMeterRegistry registry() {
        return foundation.registry();
    }

    public RecordStore records() {
        return foundation.records();
    }

    public BlockList blockList() {
        return processing.blockList();
    }

    public DialerPush dialerPush() {
        return processing.dialerPush();
    }

    /** Pushes published exports to the campaigns' controller SFTP servers. */
    public DialerPush controllerPush() {
        return processing.controllerPush();
    }

    public DialerLists dialerLists() {
        return processing.dialerLists();
    }

    public Exports exports() {
        return processing.exports();
    }

    public Pipeline pipeline() {
        return processing.pipeline();
    }

    /** Stop phase: every started part in reverse start order. */
    @Override
    public void close() {
        try {
            audit().record(AuditEvent.ok("callgate", null, "gateway.stop", null, null));
        } catch (RuntimeException e) {
            // a store that is already gone must not keep the listeners and workers running
            log.warn("could not audit the stop: {}", e.toString());
        }
        lifecycle.close();
        log.info("Callgate stopped");
    }
}
