package fi.callgate.pipeline.stage;

import fi.callgate.dialer.DialerLists;
import fi.callgate.intake.Upload;
import java.io.IOException;

/**
 * Stage "dialer-load" (between store and report): publishes an accepted upload's dialer list
 * ({@link DialerLists}) and moves the upload to LOADED; a rejected upload passes straight through.
 * Idempotent: the list's number and name are assigned once and a published list is not rendered again,
 * so a re-run after a crash either finishes the same file or changes nothing.
 */
public final class DialerLoadStage {
    private final IntakeContext ctx;
    private final DialerLists lists;

    public DialerLoadStage(IntakeContext ctx, DialerLists lists) {
        this.ctx = ctx;
        this.lists = lists;
    }

    public void run(String uploadId) throws IOException {
        Upload upload = ctx.uploads().find(uploadId).orElseThrow();
        if (upload.state() != Upload.State.STORED) {
            return;
        }
        ctx.storage().checkWrite(ctx.spoolDir().resolveSibling("db")); // before this stage's first write
        if (ctx.reports().find(uploadId).orElseThrow().accepted()) {
            lists.publishOnce(uploadId, upload.campaign());
        }
        ctx.uploads().updateState(uploadId, Upload.State.LOADED, null, ctx.clock().instant());
    }
}
