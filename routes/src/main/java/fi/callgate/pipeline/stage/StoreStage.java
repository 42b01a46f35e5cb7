package fi.callgate.pipeline.stage;

import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Stage "store": makes an accepted upload's staged records visible, all at once (one statement), and
 * records the campaign's activity. Publishing twice is harmless, so a re-run after a crash is safe.
 */
public final class StoreStage {
    private final UploadStore uploads;
    private final UploadReportStore reports;
    private final RecordStore records;
    private final CampaignStore campaigns;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final Clock clock;

    public StoreStage(UploadStore uploads, UploadReportStore reports, RecordStore records, CampaignStore campaigns,
                      StorageGuard storage, Path spoolDir, Clock clock) {
        this.uploads = uploads;
        this.reports = reports;
        this.records = records;
        this.campaigns = campaigns;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.clock = clock;
    }

    public void run(String uploadId) {
        try (StageMdc mdc = StageMdc.enter("store", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) {
        Upload upload = uploads.find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.VALIDATED) {
            return;
        }
        storage.checkWrite(spoolDir.resolveSibling("db")); // before this stage's first write
        boolean accepted = reports.find(uploadId).orElseThrow().accepted();
        if (accepted) {
            records.publish(uploadId);
            campaigns.touch(upload.campaign());
        }
        uploads.updateState(uploadId, Upload.State.STORED, null, clock.instant());
    }
}
