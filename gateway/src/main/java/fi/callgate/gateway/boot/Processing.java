package fi.callgate.gateway.boot;

import fi.callgate.agreement.AgreementStore;
import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Passphrases;
import fi.callgate.blocklist.BlockList;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.dialer.DialerListFiles;
import fi.callgate.dialer.DialerListStore;
import fi.callgate.dialer.DialerLists;
import fi.callgate.dialer.DialerPush;
import fi.callgate.dialer.PushKey;
import fi.callgate.dialer.PushQueue;
import fi.callgate.dialer.PushRoute;
import fi.callgate.dialer.PushTargets;
import fi.callgate.dsar.DsarHooks;
import fi.callgate.dsar.DsarService;
import fi.callgate.dsar.DsarStore;
import fi.callgate.intake.UploadAttempts;
import fi.callgate.intake.UploadStore;
import fi.callgate.pipeline.AreaRoutes;
import fi.callgate.pipeline.Pipeline;
import fi.callgate.pipeline.stage.CallListPolicy;
import fi.callgate.pipeline.stage.DecryptStage;
import fi.callgate.pipeline.stage.DialerLoadStage;
import fi.callgate.pipeline.stage.GiveUpStage;
import fi.callgate.pipeline.stage.ReportOutbox;
import fi.callgate.pipeline.stage.ReportStage;
import fi.callgate.pipeline.stage.StoreStage;
import fi.callgate.pipeline.stage.ValidateStage;
import fi.callgate.publish.PlainReport;
import fi.callgate.publish.StorageGuard;
import fi.callgate.recordings.RecordingStage;
import fi.callgate.recordings.RecordingStore;
import fi.callgate.recordings.Recordings;
import fi.callgate.results.Exports;
import fi.callgate.results.ResultStore;
import fi.callgate.results.ResultsStage;
import fi.callgate.retention.DatasetFiles;
import fi.callgate.retention.ReceiptPublisher;
import fi.callgate.retention.Retention;
import fi.callgate.retention.RetentionLedger;
import fi.callgate.retention.RetentionPolicy;
import fi.callgate.retention.ShredRoute;
import fi.callgate.retention.Shredder;
import fi.callgate.retention.SpoolFiles;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to files once they are in: the pipeline and its routes (intake, results, recordings, exports,
 * pushes, shredding), the dialer lists, the block list, retention and data-subject requests. Built with every
 * route defined and nothing running; {@link #start} starts the routes and takes up what a stop or a kill left.
 * Read only by the composition root.
 */
record Processing(Foundation f, BlockList blockList, Retention retention, Agreements agreements, Recordings recordings,
                  DialerLists dialerLists, Exports exports, DialerPush dialerPush, DialerPush controllerPush,
                  DsarService dsar, Pipeline pipeline) {
    private static final Logger log = LoggerFactory.getLogger(Processing.class);

    static Processing build(Foundation f, Callgate.Extensions extensions) throws Exception {
        CallgateConfig config = f.config();
        var clock = f.clock();
        var db = f.db();
        BlockList blockList = new BlockList(db, f.blindIndex(), clock);
        f.metrics().blocklistNumbers(blockList::size);
        var rc = config.retention();
        RetentionLedger ledger = new RetentionLedger(db, new RetentionPolicy(rc.defaultDays(), rc.maxDays(),
                rc.personalIdDays()), clock);
        Retention retention = new Retention(ledger, f.campaigns(), clock);
        f.metrics().retentionGauges(retention::overdueDatasets, retention::nextDeadlineSeconds,
                retention::oldestPersonalDataAgeSeconds);

        StorageGuard storage = new StorageGuard(f.gate(), f.audit());
        AgreementStore agreementStore = new AgreementStore(db, clock);
        Agreements agreements = new Agreements(agreementStore, new Passphrases(agreementStore, f.masterKey()));
        RecordingStore recordingStore = new RecordingStore(db, clock);
        Recordings recordings = new Recordings(recordingStore, f.folders(), f.audit(), clock,
                config.export().keepAfterDownload(), config.export().maxAge());
        f.metrics().recordingGauges(recordings::awaitingDownload, recordings::oldestAwaitingSeconds);
        UploadReportStore reports = new UploadReportStore(db, clock);
        DialerLists dialerLists = new DialerLists(f.campaigns(), f.campaignKeys(), f.records(), reports, f.folders(),
                storage, f.audit(), f.metrics(), blockList, new DialerListStore(db, clock));
        ResultStore resultStore = new ResultStore(db);
        Exports exports = new Exports(agreements, f.campaigns(), f.gatewayKey(), clock, f.folders(),
                extensions.checkpoints(), f.campaignKeys(), f.audit(), storage, resultStore,
                config.export().keepAfterDownload(), config.export().maxAge());
        // Both kinds of push share one target table, one durable queue and one route in the pipeline's Camel context.
        PushTargets pushTargets = new PushTargets(db, clock);
        PushQueue pushQueue = new PushQueue(db, clock);
        PushRoute pushRoute = new PushRoute(db, pushTargets, pushQueue, f.audit(), f.registry(),
                PushKey.loadOrCreate(config.keysDir().resolve("push")), Duration.ofSeconds(2),
                config.pushStallTimeout());
        DialerPush dialerPush = new DialerPush(DialerPush.Kind.DIALER, pushTargets, pushQueue, pushRoute);
        dialerLists.pushWith(dialerPush);
        DialerPush controllerPush = new DialerPush(DialerPush.Kind.CONTROLLER, pushTargets, pushQueue, pushRoute);
        exports.pushWith(controllerPush);
        DsarStore dsarStore = new DsarStore(db);
        exports.noticesFrom(new DsarExportNotices(dsarStore, clock));
        ReceiptPublisher receipts = new ReceiptPublisher(f.folders(), f.gatewayKey(), storage, f.audit(), db, clock);
        DsarHooks dsarHooks = extensions.dsarHooks() != null ? extensions.dsarHooks()
                : dsarHooksFor(blockList, dialerLists, resultStore, f.uploads(), f.campaignKeys(), recordings);
        DsarService dsar = new DsarService(new DsarService.Parts(dsarStore, f.records(), f.blindIndex(),
                f.campaigns(), f.uploads(), retention, receipts, f.audit(), f.metrics(), dsarHooks, clock,
                extensions.checkpoints()));
        dsar.provenanceFrom(agreementStore::provenance);

        Pipeline pipeline = Pipeline.build(intakeStages(f, extensions, agreements, reports, storage, dialerLists),
                new Pipeline.Limits(Duration.ofMinutes(1), config.intake().maxAttempts()), f.uploads(), f.intake(),
                new UploadAttempts(db), f.metrics());
        DatasetFiles datasetFiles = DatasetFiles.all(List.of(new SpoolFiles(config.spoolDir()),
                new DialerListFiles(dialerLists.store(), f.folders())));
        Shredder shredder = new Shredder(ledger, receipts, f.uploads(), f.campaigns(), f.records(), f.campaignKeys(),
                datasetFiles, storage, f.metrics(), extensions.checkpoints(), clock);
        pipeline.add(new ShredRoute(shredder, config.shredderInterval()));
        pipeline.add(pushRoute);
        ResultsStage resultsStage = new ResultsStage(f.records(), f.uploads(), storage, config.spoolDir(),
                extensions.checkpoints(), f.intake(), f.campaignKeys(), clock, reports, f.audit(), f.campaigns(),
                resultStore, blockList, retention, new PlainReport(f.folders(), reports, storage));
        pipeline.add(AreaRoutes.results(resultsStage, exports, config.export().interval()));
        RecordingStage recordingStage = new RecordingStage(agreements, f.campaigns(), f.gatewayKey(), clock,
                f.uploads(), f.audit(), f.metrics(), f.intake(), f.records(), f.folders(), storage, recordingStore);
        pipeline.add(AreaRoutes.recordings(recordingStage, recordings, config.export().interval()));
        return new Processing(f, blockList, retention, agreements, recordings, dialerLists, exports, dialerPush,
                controllerPush, dsar, pipeline);
    }

    /** The intake's stages, each given the collaborators it uses. */
    private static Pipeline.Stages intakeStages(Foundation f, Callgate.Extensions extensions, Agreements agreements,
                                                UploadReportStore reports, StorageGuard storage,
                                                DialerLists dialerLists) {
        CallgateConfig config = f.config();
        var clock = f.clock();
        var spoolDir = config.spoolDir();
        var checkpoints = extensions.checkpoints();
        DecryptLimits decryptLimits = DecryptLimits.defaults().withMaxPlaintextBytes(config.intake().maxPlaintextBytes())
                .withMaxCompressionRatio(config.intake().maxCompressionRatio());
        ReportOutbox outbox = new ReportOutbox(agreements, new Envelopes(agreements, f.campaigns(), f.gatewayKey(), clock),
                reports, f.folders(), storage);
        return new Pipeline.Stages(
                new DecryptStage(f.uploads(), f.intake(), f.campaigns(), f.campaignKeys(), agreements, f.gatewayKey(),
                        reports, storage, spoolDir, checkpoints, clock, decryptLimits),
                new ValidateStage(f.uploads(), f.campaigns(), f.campaignKeys(), f.records(), reports, storage, spoolDir,
                        checkpoints, clock, CallListPolicy.defaults(false), dialerLists),
                new StoreStage(f.uploads(), reports, f.records(), f.campaigns(), storage, spoolDir, clock),
                new DialerLoadStage(f.uploads(), reports, storage, spoolDir, clock, dialerLists),
                new ReportStage(f.uploads(), f.intake(), reports, outbox, storage, spoolDir, f.audit(), checkpoints,
                        f.metrics(), clock),
                new GiveUpStage(f.uploads(), f.intake(), f.records(), reports, outbox,
                        new PlainReport(f.folders(), reports, storage), spoolDir, f.audit(), f.metrics(), clock));
    }

    /**
     * Starts the record purge and every route, then takes up what a stop or a kill left: open exports under their
     * recorded names, unfinished uploads, stale dialer lists, interrupted erasures, unfinished pushes — all before
     * the SSH listener opens, so nobody logs in to a half-finished state.
     */
    void start(Callgate.Extensions extensions, Lifecycle lifecycle) throws Exception {
        RecordStore records = f.records();
        // Erased records leave the part files and the index in batches: within PURGE_PERIOD of the erase.
        var purge = f.timer().scheduleWithFixedDelay(() -> {
            if (!f.gate().isOpen()) {
                return; // rewriting parts is a write under data-dir: waits for an EEA location (CONTRACT §6)
            }
            try {
                records.purgeErased();
            } catch (RuntimeException e) {
                log.error("purging erased records failed (retried): {}", e.toString());
            }
        }, RecordStore.PURGE_PERIOD.toSeconds(), RecordStore.PURGE_PERIOD.toSeconds(), TimeUnit.SECONDS);
        lifecycle.started("record purge", () -> purge.cancel(false)); // stops before the record store closes
        pipeline.start(extensions.beforeRoutesStart());
        lifecycle.started("pipeline", pipeline);
        exports.resumeOpen(); // an export a kill interrupted is written under its recorded name
        f.intake().resumeUnfinished();
        dialerLists.republishStale(); // a re-publication that failed before the stop is retried
        dsar.resumeInterrupted(); // a data-subject erasure a kill interrupted is finished before anyone logs in
        dialerLists.resumePushes(); // pushes a stop or a kill left undone (the queue is durable)
        exports.resumePushes();
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
            public List<Held> find(Collection<String> recordIds) {
                return exports.find(recordIds);
            }

            @Override
            public int erase(Collection<String> recordIds) {
                int rows = exports.erase(recordIds);
                recordings.erase(recordIds);
                return rows;
            }
        };
    }
}
