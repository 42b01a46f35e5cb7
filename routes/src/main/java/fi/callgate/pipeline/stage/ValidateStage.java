package fi.callgate.pipeline.stage;

import fi.callgate.dialer.DialerLists;
import fi.callgate.dialer.StagedList;
import fi.callgate.domain.Campaign;
import fi.callgate.files.SealedSpool;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.files.FileShredder;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Stage "validate": reads the sealed plaintext, validates it row by row and stages every accepted record
 * in the store, encrypted under the campaign key and invisible until the store stage publishes it, and in
 * the same pass writes the upload's dialer list ({@link StagedList}), which the dialer-load stage then only
 * renames into place. Parsing and storing run on two threads ({@link StagingPipe}). A file
 * refused as a whole has its staged rows and list discarded. The outcome (counts and reasons, no personal data)
 * is saved for the report. A re-run after a crash discards what an earlier attempt staged first.
 */
public final class ValidateStage {
    private final UploadStore uploads;
    private final CampaignStore campaigns;
    private final CampaignKeyStore campaignKeys;
    private final RecordStore records;
    private final UploadReportStore reports;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final CallListPolicy defaults;
    private final DialerLists lists;

    public ValidateStage(UploadStore uploads, CampaignStore campaigns, CampaignKeyStore campaignKeys, RecordStore records,
                         UploadReportStore reports, StorageGuard storage, Path spoolDir, Checkpoints checkpoints,
                         Clock clock, CallListPolicy defaults, DialerLists lists) {
        this.uploads = uploads;
        this.campaigns = campaigns;
        this.campaignKeys = campaignKeys;
        this.records = records;
        this.reports = reports;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.defaults = defaults;
        this.lists = lists;
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("validate", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) throws IOException {
        Upload upload = uploads.find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.DECRYPTED) {
            return;
        }
        storage.checkWrite(spoolDir.resolveSibling("db")); // before the first write: the discard
        Campaign campaign = campaigns.find(upload.campaign()).orElseThrow();
        records.discardStaged(uploadId);
        lists.discardStaged(uploadId, upload.campaign());
        CallListPolicy policy = new CallListPolicy(campaign.personalId(), defaults.maxFileBytes(),
                defaults.maxRowChars(), defaults.maxFieldChars(), defaults.maxColumns(), defaults.maxListedIssues());
        ValidationReport validation;
        String withheld;
        try (InputStream plaintext = SealedSpool.reader(DecryptStage.plaintextFile(spoolDir, uploadId),
                campaignKeys.forCampaign(upload.campaign()), "plaintext:" + uploadId);
             RecordStore.Staging staging = records.stage(uploadId, upload.campaign());
             StagedList list = lists.stage(uploadId, upload.campaign())) {
            try (StagingPipe pipe = new StagingPipe(staging, list, uploadId)) {
                validation = new CallListParser(policy).parse(plaintext, pipe);
                pipe.finish();
            }
            // The commits across the three stores, each a kill point: parts and dialer list on disk, index,
            // then HSQLDB (the list's figures and the count; the set stays STAGED until the store stage).
            staging.forceParts();
            checkpoints.reached("validate-parts", uploadId);
            list.force();
            checkpoints.reached("validate-list", uploadId);
            staging.commitIndex();
            checkpoints.reached("validate-index", uploadId);
            withheld = list.record();
            staging.recordCount();
        }
        if (!validation.isAccepted()) {
            records.discardStaged(uploadId);
            lists.discardStaged(uploadId, upload.campaign());
        }
        UploadReport report = UploadReport.of(upload.originalName(), validation);
        reports.save(uploadId, new UploadReportStore.Outcome(report.accepted(), report.reasonCode(),
                report.rowsAccepted(), report.rowsRejected(), report.csv()));
        if (validation.isAccepted() && !withheld.isEmpty()) {
            // Rows VICIdial's layout cannot hold, reported to the controller with the upload's report.
            reports.appendOnce(uploadId, ";dialer_rows_withheld;", withheld);
        }
        uploads.updateState(uploadId, Upload.State.VALIDATED, report.reasonCode(), clock.instant());
        FileShredder.shred(DecryptStage.plaintextFile(spoolDir, uploadId));
    }
}
