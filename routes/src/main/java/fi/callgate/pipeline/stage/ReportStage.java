package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Party;
import fi.callgate.audit.AuditEvent;
import fi.callgate.domain.Area;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.files.FileShredder;
import fi.callgate.publish.OutboxFile;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    private final IntakeContext ctx;
    private final Envelopes envelopes;

    public ReportStage(IntakeContext ctx) {
        this.ctx = ctx;
        this.envelopes = new Envelopes(ctx.agreements(), ctx.campaigns(), ctx.gatewayKey(), ctx.clock());
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
        // The report goes to whoever sent the list, sealed with the method agreed with that party: the
        // controller, or the supplier that delivered it on the controller's behalf (issue #16).
        Party sender = ctx.agreements().partyOf(upload.campaign(), upload.account());
        Optional<Envelope> envelope = envelopes.forParty(sender);
        String reportName = "-";
        if (envelope.isPresent()) {
            reportName = write(upload, outcome, envelope.get());
        } else {
            log.warn("upload {}: {} has no usable key or passphrase; no report can be sent", uploadId, sender);
        }
        if (!sender.isController()) {
            SupplierNotice.publish(ctx, envelopes, upload, outcome);
        }
        FileShredder.shred(ctx.intake().spoolFile(upload));
        // The audit entry goes in BEFORE the final state (the other order lost the entry for good when a kill
        // fell between the state change and the audit: the upload final, never re-run — found by the lifecycle
        // crash harness in the results stage, which has the same shape). The entry and upload.audited_at commit
        // in one transaction, so a re-run after a kill anywhere here reads the column — never the audit log —
        // and writes the entry exactly once.
        String target = "/" + upload.campaign() + "/inbox/" + upload.originalName();
        if (!ctx.uploads().audited(uploadId)) {
            ctx.audit().record(new AuditEvent(upload.account(), null, "upload.processed", target,
                    outcome.accepted() ? AuditEvent.Outcome.OK : AuditEvent.Outcome.DENIED,
                    "id=" + uploadId + " rows_accepted=" + outcome.rowsAccepted() + " rows_rejected="
                            + outcome.rowsRejected() + (outcome.reasonCode() == null ? "" : " reason=" + outcome.reasonCode())
                            + " report=" + reportName), ctx.uploads().markAudited(uploadId, ctx.clock().instant()));
        }
        ctx.checkpoints().reached("report-audited", uploadId);
        Upload.State last = outcome.accepted() ? Upload.State.ACCEPTED : Upload.State.REJECTED;
        if (!outcome.accepted()) {
            ctx.uploads().releaseContent(uploadId); // before the final state: a kill in between re-runs it
        }
        ctx.uploads().updateState(uploadId, last, outcome.reasonCode(), ctx.clock().instant());
        ctx.metrics().ingestFiles(outcome.accepted()).increment();
        ctx.metrics().ingestRecordsAccepted().increment(outcome.rowsAccepted());
        ctx.metrics().ingestRecordsRejected().increment(outcome.rowsRejected());
    }

    private String write(Upload upload, UploadReportStore.Outcome outcome, Envelope envelope) throws IOException {
        return publish(upload, outcome.csv(), envelope);
    }

    /** The envelope agreed with whoever sent {@code upload}: empty when that party has no usable key or passphrase. */
    Optional<Envelope> envelopeOf(Upload upload) {
        return envelopes.forParty(ctx.agreements().partyOf(upload.campaign(), upload.account()));
    }

    /**
     * Publishes {@code csv} as the upload's report in the campaign outbox, sealed with {@code envelope}; its
     * name is chosen once and remembered. Also the way a given-up upload's report goes out.
     */
    String publish(Upload upload, String csv, Envelope envelope) throws IOException {
        Path outbox = ctx.folders().area(upload.campaign(), Area.OUTBOX);
        String name = ctx.reports().reportFile(upload.id()).orElseGet(() -> {
            String base = upload.originalName() + ".report.csv" + envelope.suffix();
            String chosen = Files.exists(outbox.resolve(base))
                    ? upload.originalName() + "." + upload.id().substring(0, 8) + ".report.csv" + envelope.suffix() : base;
            // Named (and so, for a supplier's upload, owned by the supplier) before the file exists: the
            // controller's view hides it from its first byte.
            ctx.reports().setReportFile(upload.id(), chosen);
            return chosen;
        });
        OutboxFile.publish(ctx.storage(), outbox, name, ".tmp-" + upload.id() + ".report", envelope,
                csv.getBytes(StandardCharsets.UTF_8));
        return name;
    }
}
