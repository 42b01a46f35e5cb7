package fi.callgate.pipeline;

import fi.callgate.intake.UploadAttempts;
import fi.callgate.pipeline.stage.FailureText;
import fi.callgate.pipeline.stage.GiveUpStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry cap of the pipeline (issue #14: a crafted upload failed its decrypt stage four times a minute,
 * forever). Every pass of an upload through the pipeline is counted durably before it starts
 * ({@link UploadAttempts}); a failed pass records its cause; an upload that has had {@code max} passes and is
 * still not finished — whether the last one failed or was cut short by a kill — is handed to
 * {@link GiveUpStage}, which finishes it with a "could not be processed" report.
 */
final class AttemptPolicy {
    private static final Logger log = LoggerFactory.getLogger(AttemptPolicy.class);
    private final UploadAttempts attempts;
    private final GiveUpStage giveUp;
    private final int max;

    AttemptPolicy(UploadAttempts attempts, GiveUpStage giveUp, int max) {
        this.attempts = attempts;
        this.giveUp = giveUp;
        this.max = max;
    }

    /** The intake route's gate: true when a new pass may start (and has been counted). */
    public boolean begin(String uploadId) {
        UploadAttempts.Begin b = attempts.begin(uploadId, max);
        if (b.exhausted()) {
            giveUp.finish(uploadId, b.attempts(), attempts.lastFailure(uploadId)
                    .orElse("none recorded: the gateway stopped during the last attempt"));
        }
        return b.proceed();
    }

    /** A pass failed in a stage (after Camel's redeliveries): record why, and give up at the cap. */
    public void failed(String uploadId, String stage, Throwable cause) {
        if (uploadId == null || cause == null) {
            return;
        }
        String why = FailureText.of(cause);
        try {
            attempts.failed(uploadId, why);
            int n = attempts.count(uploadId);
            if (n >= max) {
                giveUp.finish(uploadId, n, why);
            } else {
                log.error("upload {}: stage {} failed (attempt {} of {}): {}; it will be retried later", uploadId, stage,
                        n, max, why);
            }
        } catch (RuntimeException e) {
            // The store itself may be what fails; the upload stays unfinished and the next pass decides again.
            log.error("upload {}: stage {} failed: {}; recording the failure failed too: {}", uploadId, stage, why,
                    FailureText.of(e));
        }
    }

    /** A pass that did not run through no fault of the upload (the storage location was refused) is not counted. */
    public void refund(String uploadId) {
        if (uploadId != null) {
            attempts.refund(uploadId);
        }
    }
}
