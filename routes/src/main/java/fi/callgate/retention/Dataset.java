package fi.callgate.retention;

import java.time.Instant;
import java.util.Optional;

/**
 * One dataset: a finished inbox upload (an accepted list with its records and dialer lists, or a rejected
 * file) with its deletion deadline and shredding state. Carries no personal data: the original file
 * name is the controller's own label for its upload.
 */
public record Dataset(String uploadId, String campaign, boolean accepted, String originalName,
                      Optional<String> sha256, Instant receivedAt, Instant deadline, RetentionPolicy.Reason reason,
                      State state, Optional<String> runId, long recordCount, String filesDestroyed,
                      Optional<Instant> shreddedAt) {

    /** HELD: kept (due once its deadline has passed); SHREDDING: taken by a run; SHREDDED: destroyed. */
    public enum State { HELD, SHREDDING, SHREDDED }

    public boolean isDue(Instant now) {
        return state != State.SHREDDED && !deadline.isAfter(now);
    }
}
