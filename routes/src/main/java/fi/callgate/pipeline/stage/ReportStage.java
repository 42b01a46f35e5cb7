package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Party;
import fi.callgate.audit.AuditEvent;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.files.FileShredder;
import fi.callgate.store.UploadReportStore;
import fi.callgate.audit.AuditLog;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.Checkpoints;
import java.time.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage "report" (after dialer-load, so an upload counts as processed only once its list is out): writes {@code <upload name>.report.csv.gpg} to the campaign's outbox, encrypted to the
 * sender's key and signed by the gateway (AES-256, SHA-256), or {@code .report.csv.zip} (AES-256) for a sender
 * whose agreed method is aes-zip, published atomically; a supplier's upload also gets the controller a
 * {@link SupplierNotice}; then destroys the
 * original upload and closes the upload with its final state. The report's file name is chosen once and
 * remembered, so a re-run after a crash replaces the same file instead of adding a second.
 */
public final class ReportStage {
    private static final Logger log = LoggerFactory.getLogger(ReportStage.class);
    private final UploadStore uploads;
    private final UploadIntake intake;
    private final UploadReportStore reports;
    private final ReportOutbox outbox;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final AuditLog audit;
    private final Checkpoints checkpoints;
    private final CallgateMetrics metrics;
    private final Clock clock;

    public ReportStage(UploadStore uploads, UploadIntake intake, UploadReportStore reports, ReportOutbox outbox,
                       StorageGuard storage, Path spoolDir, AuditLog audit, Checkpoints checkpoints,
                       CallgateMetrics metrics, Clock clock) {
        this.uploads = uploads;
        this.intake = intake;
        this.reports = reports;
        this.outbox = outbox;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.audit = audit;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("report", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) throws IOException {
        Upload upload = uploads.find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.LOADED) {
            return;
        }
        storage.checkWrite(spoolDir.resolveSibling("db")); // before this stage's first write
        UploadReportStore.Outcome outcome = reports.find(uploadId).orElseThrow();
        // The report goes to whoever sent the list, sealed with the method agreed with that party: the
        // controller, or the supplier that delivered it on the controller's behalf (issue #16).
        Party sender = outbox.senderOf(upload);
        Optional<Envelope> envelope = outbox.envelopeFor(sender);
        String reportName = "-";
        if (envelope.isPresent()) {
            reportName = write(upload, outcome, envelope.get());
        } else {
            log.warn("upload {}: {} has no usable key or passphrase; no report can be sent", uploadId, sender);
        }
        if (!sender.isController()) {
            outbox.publishSupplierNotice(upload, outcome);
        }
        FileShredder.shred(intake.spoolFile(upload));
        // The audit entry goes in BEFORE the final state (the other order lost the entry for good when a kill
        // fell between the state change and the audit: the upload final, never re-run — found by the lifecycle
        // crash harness in the results stage, which has the same shape). The entry and upload.audited_at commit
        // in one transaction, so a re-run after a kill anywhere here reads the column — never the audit log —
        // and writes the entry exactly once.
        String target = "/" + upload.campaign() + "/inbox/" + upload.originalName();
        if (!uploads.audited(uploadId)) {
            audit.record(new AuditEvent(upload.account(), null, "upload.processed", target,
                    outcome.accepted() ? AuditEvent.Outcome.OK : AuditEvent.Outcome.DENIED,
                    "id=" + uploadId + " rows_accepted=" + outcome.rowsAccepted() + " rows_rejected="
                            + outcome.rowsRejected() + (outcome.reasonCode() == null ? "" : " reason=" + outcome.reasonCode())
                            + " report=" + reportName), uploads.markAudited(uploadId, clock.instant()));
        }
        checkpoints.reached("report-audited", uploadId);
        Upload.State last = outcome.accepted() ? Upload.State.ACCEPTED : Upload.State.REJECTED;
        if (!outcome.accepted()) {
            uploads.releaseContent(uploadId); // before the final state: a kill in between re-runs it
        }
        uploads.updateState(uploadId, last, outcome.reasonCode(), clock.instant());
        metrics.ingestFiles(outcome.accepted()).increment();
        metrics.ingestRecordsAccepted().increment(outcome.rowsAccepted());
        metrics.ingestRecordsRejected().increment(outcome.rowsRejected());
    }

    private String write(Upload upload, UploadReportStore.Outcome outcome, Envelope envelope) throws IOException {
        return outbox.publish(upload, outcome.csv(), envelope);
    }
}
