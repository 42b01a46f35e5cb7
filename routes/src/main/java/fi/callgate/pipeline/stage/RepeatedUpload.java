package fi.callgate.pipeline.stage;

import fi.callgate.intake.Upload;
import java.time.temporal.ChronoUnit;

/**
 * An upload whose bytes an earlier upload of the same campaign already brought: a client's retry or
 * re-check, not a new list. It is not processed again (the same people would be called twice); its
 * sender learns which upload it repeats, by name and time, so that a list really meant to go twice can be
 * told apart and sent as a new file.
 */
final class RepeatedUpload {
    static final String REASON = "REPEATED_UPLOAD";

    private RepeatedUpload() {
    }

    static UploadReport report(Upload repeat, Upload original) {
        return UploadReport.rejected(repeat.originalName(), REASON, "the same bytes as " + original.originalName()
                + ", received " + original.receivedAt().truncatedTo(ChronoUnit.SECONDS) + " (upload "
                + original.id().substring(0, 8) + "); not processed again");
    }
}
