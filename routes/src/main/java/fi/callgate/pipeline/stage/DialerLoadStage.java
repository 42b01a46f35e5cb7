package fi.callgate.pipeline.stage;

import fi.callgate.dialer.DialerLists;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Stage "dialer-load" (between store and report): publishes an accepted upload's dialer list
 * ({@link DialerLists}) and moves the upload to LOADED; a rejected upload passes straight through.
 * Idempotent: the list's number and name are assigned once and a published list is not rendered again,
 * so a re-run after a crash either finishes the same file or changes nothing.
 */
public final class DialerLoadStage {
    private final UploadStore uploads;
    private final UploadReportStore reports;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final Clock clock;
    private final DialerLists lists;

    public DialerLoadStage(UploadStore uploads, UploadReportStore reports, StorageGuard storage, Path spoolDir,
                           Clock clock, DialerLists lists) {
        this.uploads = uploads;
        this.reports = reports;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.clock = clock;
        this.lists = lists;
    }

    public void run(String uploadId) throws IOException {
        Upload upload = uploads.find(uploadId).orElseThrow();
        if (upload.state() != Upload.State.STORED) {
            return;
        }
        storage.checkWrite(spoolDir.resolveSibling("db")); // before this stage's first write
        if (reports.find(uploadId).orElseThrow().accepted()) {
            lists.publishOnce(uploadId, upload.campaign());
        }
        uploads.updateState(uploadId, Upload.State.LOADED, null, clock.instant());
    }
}
