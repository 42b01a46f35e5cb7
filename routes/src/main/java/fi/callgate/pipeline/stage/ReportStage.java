package fi.callgate.pipeline.stage;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.ControllerKey;
import fi.callgate.crypto.PgpEncryptor;
import fi.callgate.crypto.PgpException;
import fi.callgate.domain.Area;
import fi.callgate.domain.Campaign;
import fi.callgate.intake.Upload;
import fi.callgate.store.FileShredder;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage "report" (after dialer-load, so an upload counts as processed only once its list is out): writes {@code <upload name>.report.csv.gpg} to the campaign's outbox, encrypted to the
 * controller key and signed by the gateway (AES-256, SHA-256), published atomically; then destroys the
 * original upload and closes the upload with its final state. The report's file name is chosen once and
 * remembered, so a re-run after a crash replaces the same file instead of adding a second.
 */
public final class ReportStage {
    private static final Logger log = LoggerFactory.getLogger(ReportStage.class);
    private final IntakeContext ctx;
    private final PgpEncryptor encryptor = new PgpEncryptor();

    public ReportStage(IntakeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("report", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) throws IOException {
        Upload upload = ctx.uploads().find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.LOADED) {
            return;
        }
        ctx.storage().checkWrite(ctx.spoolDir().resolveSibling("db")); // before this stage's first write
        UploadReportStore.Outcome outcome = ctx.reports().find(uploadId).orElseThrow();
        Campaign campaign = ctx.campaigns().find(upload.campaign()).orElseThrow();
        Optional<ControllerKey> recipient = ControllerKeys.of(campaign, ctx.clock().instant());
        // An earlier run got as far as naming the report (or there is no report to name): it may also have
        // audited the upload before a kill stopped it short of the final state.
        boolean mayBeResumed = recipient.isEmpty() || ctx.reports().reportFile(uploadId).isPresent();
        String reportName = "-";
        if (recipient.isPresent()) {
            reportName = write(upload, outcome, recipient.get());
        } else {
            log.warn("upload {}: campaign {} has no usable controller key; no report can be sent", uploadId,
                    campaign.id());
        }
        FileShredder.shred(ctx.intake().spoolFile(upload));
        // The audit entry goes in BEFORE the final state, and a run that may be a re-run writes it only if it
        // is missing: the other order lost the entry for good when a kill fell between the state change and
        // the audit (the upload final, never re-run) — the lifecycle crash harness found that in the results
        // stage, which has the same shape. The look-up scans the audit log, so only a possible re-run pays it.
        String target = "/" + upload.campaign() + "/inbox/" + upload.originalName();
        if (!mayBeResumed || !audited(target, uploadId)) {
            ctx.audit().record(new AuditEvent(upload.account(), null, "upload.processed", target,
                    outcome.accepted() ? AuditEvent.Outcome.OK : AuditEvent.Outcome.DENIED,
                    "id=" + uploadId + " rows_accepted=" + outcome.rowsAccepted() + " rows_rejected="
                            + outcome.rowsRejected() + (outcome.reasonCode() == null ? "" : " reason=" + outcome.reasonCode())
                            + " report=" + reportName));
        }
        ctx.faults().after("report-audited", uploadId);
        Upload.State last = outcome.accepted() ? Upload.State.ACCEPTED : Upload.State.REJECTED;
        ctx.uploads().updateState(uploadId, last, outcome.reasonCode(), ctx.clock().instant());
        ctx.metrics().ingestFiles(outcome.accepted()).increment();
        ctx.metrics().ingestRecordsAccepted().increment(outcome.rowsAccepted());
        ctx.metrics().ingestRecordsRejected().increment(outcome.rowsRejected());
        ctx.faults().after("report", uploadId);
    }

    /** Has an earlier run of this upload already written its {@code upload.processed} entry? */
    private boolean audited(String target, String uploadId) {
        return ctx.audit().find("upload.processed", target).stream()
                .anyMatch(e -> e.event().detail() != null && e.event().detail().startsWith("id=" + uploadId + " "));
    }

    private String write(Upload upload, UploadReportStore.Outcome outcome, ControllerKey recipient) throws IOException {
        Path outbox = ctx.folders().area(upload.campaign(), Area.OUTBOX);
        String name = ctx.reports().reportFile(upload.id()).orElseGet(() -> {
            String base = upload.originalName() + ".report.csv.gpg";
            String chosen = Files.exists(outbox.resolve(base))
                    ? upload.originalName() + "." + upload.id().substring(0, 8) + ".report.csv.gpg" : base;
            ctx.reports().setReportFile(upload.id(), chosen);
            return chosen;
        });
        Path target = outbox.resolve(name);
        Path tmp = outbox.resolve(".tmp-" + upload.id() + ".report");
        ctx.storage().checkWrite(target);
        try (OutputStream file = Files.newOutputStream(tmp);
             OutputStream enc = encryptor.open(file, recipient, ctx.gatewayKey(), name.replace(".gpg", ""))) {
            enc.write(outcome.csv().getBytes(StandardCharsets.UTF_8));
        } catch (PgpException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("report encryption failed: " + e.getMessage(), e);
        }
        AtomicFiles.publish(tmp, target);
        return name;
    }
}
