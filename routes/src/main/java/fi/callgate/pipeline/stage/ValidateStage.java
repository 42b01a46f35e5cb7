package fi.callgate.pipeline.stage;

import fi.callgate.domain.Campaign;
import fi.callgate.files.SealedSpool;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.files.FileShredder;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * Stage "validate": reads the sealed plaintext, validates it row by row and stages every accepted record
 * in the store, encrypted under the campaign key and invisible until the store stage publishes it. Parsing
 * and storing run on two threads ({@link StagingPipe}). A file
 * refused as a whole has its staged rows discarded. The outcome (counts and reasons, no personal data)
 * is saved for the report. A re-run after a crash discards what an earlier attempt staged first.
 */
public final class ValidateStage {
    private final IntakeContext ctx;
    private final CallListPolicy defaults;

    public ValidateStage(IntakeContext ctx, CallListPolicy defaults) {
        this.ctx = ctx;
        this.defaults = defaults;
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("validate", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) throws IOException {
        Upload upload = ctx.uploads().find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.DECRYPTED) {
            return;
        }
        ctx.storage().checkWrite(ctx.spoolDir().resolveSibling("db")); // before the first write: the discard
        Campaign campaign = ctx.campaigns().find(upload.campaign()).orElseThrow();
        ctx.records().discardStaged(uploadId);
        CallListPolicy policy = new CallListPolicy(campaign.personalId(), defaults.maxFileBytes(),
                defaults.maxRowChars(), defaults.maxFieldChars(), defaults.maxColumns(), defaults.maxListedIssues());
        ValidationReport validation;
        try (InputStream plaintext = SealedSpool.reader(ctx.plaintextFile(uploadId),
                ctx.campaignKeys().forCampaign(upload.campaign()), "plaintext:" + uploadId);
             RecordStore.Staging staging = ctx.records().stage(uploadId, upload.campaign())) {
            try (StagingPipe pipe = new StagingPipe(staging, uploadId)) {
                validation = new CallListParser(policy).parse(plaintext, pipe);
                pipe.finish();
            }
            // The three commits of the record store, each a kill point: parts on disk, index, count.
            staging.forceParts();
            ctx.checkpoints().reached("validate-parts", uploadId);
            staging.commitIndex();
            ctx.checkpoints().reached("validate-index", uploadId);
            staging.recordCount();
        }
        if (!validation.isAccepted()) {
            ctx.records().discardStaged(uploadId);
        }
        UploadReport report = UploadReport.of(upload.originalName(), validation);
        ctx.reports().save(uploadId, new UploadReportStore.Outcome(report.accepted(), report.reasonCode(),
                report.rowsAccepted(), report.rowsRejected(), report.csv()));
        ctx.uploads().updateState(uploadId, Upload.State.VALIDATED, report.reasonCode(), ctx.clock().instant());
        FileShredder.shred(ctx.plaintextFile(uploadId));
    }
}
