package fi.callgate.intake;

import fi.callgate.domain.Area;
import java.time.Instant;
import java.util.Optional;

/**
 * A closed upload held in the spool. {@code originalName} is the client's file name (reports carry it
 * back); {@code spoolName} is ours, so nothing the client chose is used as a path inside the spool.
 */
public record Upload(String id, String campaign, Area area, String account, String originalName,
                     String spoolName, long sizeBytes, Optional<String> sha256, byte[] spoolIv, State state,
                     Instant receivedAt) {

    /** Where the upload is on its way; the pipeline adds its own states after RECEIVED. */
    public enum State {
        RECEIVED(false), DECRYPTED(false), VALIDATED(false), STORED(false), LOADED(false), ACCEPTED(true), REJECTED(true);

        private final boolean fin;

        State(boolean fin) {
            this.fin = fin;
        }

        public boolean isFinal() {
            return fin;
        }
    }
}
