package fi.callgate.pipeline.stage;

import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;

/**
 * Stage "store": makes an accepted upload's staged records visible, all at once (one statement), and
 * records the campaign's activity. Publishing twice is harmless, so a re-run after a crash is safe.
 */
public final class StoreStage {
    private final IntakeContext ctx;

    public StoreStage(IntakeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String uploadId) {
        try (StageMdc mdc = StageMdc.enter("store", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) {
        Upload upload = ctx.uploads().find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.VALIDATED) {
            return;
        }
        ctx.storage().checkWrite(ctx.spoolDir().resolveSibling("db")); // before this stage's first write
        boolean accepted = ctx.reports().find(uploadId).orElseThrow().accepted();
        if (accepted) {
            ctx.records().publish(uploadId);
            ctx.campaigns().touch(upload.campaign());
        }
        ctx.uploads().updateState(uploadId, Upload.State.STORED, null, ctx.clock().instant());
    }
}
