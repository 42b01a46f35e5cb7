package fi.callgate.pipeline.stage;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.agreement.Envelope;
import fi.callgate.domain.Area;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.files.FileShredder;
import fi.callgate.publish.PlainReport;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes an upload that failed {@code intake.max-attempts} processing passes, instead of retrying it forever
 * (issue #14): its sender gets a "could not be processed" report naming the upload id as the reference for IT,
 * what an earlier pass staged or decrypted is discarded, the spooled upload is destroyed, the upload is audited
 * ({@code upload.failed}), counted ({@code callgate_uploads_failed_total}) and closed as REJECTED with reason
 * {@link UploadReport#NOT_PROCESSED}, and the log names the cause. Writing the report is best effort: when the
 * report itself is what keeps failing, the upload is still finished (the metric and its alert tell IT).
 *
 * <p>An upload whose records were already published (state STORED or LOADED: only the dialer list or the report
 * kept failing) keeps them; its report says so, and it is closed in the state its outcome earned.
 */
public final class GiveUpStage {
    private static final Logger log = LoggerFactory.getLogger(GiveUpStage.class);
    private final UploadStore uploads;
    private final UploadIntake intake;
    private final RecordStore records;
    private final UploadReportStore reports;
    private final ReportOutbox outbox;
    private final PlainReport plainReport;
    private final Path spoolDir;
    private final AuditLog audit;
    private final CallgateMetrics metrics;
    private final Clock clock;

    /** @param plainReport how a results or recordings upload's report goes out (plain, in reports/) */
    public GiveUpStage(UploadStore uploads, UploadIntake intake, RecordStore records, UploadReportStore reports,
                       ReportOutbox outbox, PlainReport plainReport, Path spoolDir, AuditLog audit,
                       CallgateMetrics metrics, Clock clock) {
        this.uploads = uploads;
        this.intake = intake;
        this.records = records;
        this.reports = reports;
        this.outbox = outbox;
        this.plainReport = plainReport;
        this.spoolDir = spoolDir;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @param cause the last failure (exception class and message) or why there is none recorded */
    public void finish(String uploadId, int attempts, String cause) {
        try (StageMdc mdc = StageMdc.enter("give-up", uploadId)) {
            Optional<Upload> found = uploads.find(uploadId);
            if (found.isEmpty() || found.get().state().isFinal()) {
                return;
            }
            Upload upload = found.get();
            StageMdc.describe(upload);
            log.error("upload {}: giving up after {} processing attempt(s); last failure: {}", uploadId, attempts, cause);
            // Published: past the store stage, or killed between publishing the rows and recording STORED.
            Optional<RecordStore.SetState> rows = records.state(uploadId);
            boolean published = upload.state().compareTo(Upload.State.STORED) >= 0
                    || rows.equals(Optional.of(RecordStore.SetState.ACTIVE));
            Optional<UploadReportStore.Outcome> earlier = reports.find(uploadId);
            if (rows.equals(Optional.of(RecordStore.SetState.STAGED))) {
                records.discardStaged(uploadId);
            }
            shred(DecryptStage.plaintextFile(spoolDir, uploadId));
            shred(DecryptStage.plaintextFile(spoolDir, uploadId).resolveSibling(uploadId + ".plain.tmp"));
            long stored = published && earlier.isPresent() && earlier.get().accepted() ? earlier.get().rowsAccepted() : -1;
            UploadReport report = UploadReport.notProcessed(upload.originalName(), uploadId, attempts, stored);
            boolean accepted = stored >= 0;
            reports.save(uploadId, new UploadReportStore.Outcome(accepted, UploadReport.NOT_PROCESSED,
                    report.rowsAccepted(), 0, report.csv()));
            String reportName = deliver(upload, report.csv());
            shred(intake.spoolFile(upload));
            audit.record(new AuditEvent(upload.account(), null, "upload.failed", "/" + upload.campaign() + "/"
                    + upload.area().folderName() + "/" + upload.originalName(), AuditEvent.Outcome.DENIED,
                    "id=" + uploadId + " attempts=" + attempts + " reason=" + UploadReport.NOT_PROCESSED
                            + " report=" + reportName));
            uploads.updateState(uploadId, accepted ? Upload.State.ACCEPTED : Upload.State.REJECTED,
                    UploadReport.NOT_PROCESSED, clock.instant());
            metrics.uploadsFailed(upload.area()).increment();
        }
    }

    /** The report to the sender; "-" when it cannot be written (no controller key, or writing keeps failing). */
    private String deliver(Upload upload, String csv) {
        try {
            // Results and recordings come from supervisors/the dialer: their reports are plain, in reports/.
            if (upload.area() != Area.INBOX) {
                return plainReport.publish(upload, csv);
            }
            Optional<Envelope> envelope = outbox.envelopeOf(upload);
            if (envelope.isEmpty()) {
                log.warn("upload {}: its sender has no usable key or passphrase; no report can be sent", upload.id());
                return "-";
            }
            return outbox.publish(upload, csv, envelope.get());
        } catch (IOException | RuntimeException e) {
            log.error("upload {}: its could-not-be-processed report could not be written either: {}", upload.id(),
                    FailureText.of(e));
            return "-";
        }
    }


    private static void shred(Path file) {
        try {
            FileShredder.shred(file);
        } catch (IOException e) {
            log.warn("could not destroy {}: {}", file.getFileName(), e.toString());
        }
    }
}
