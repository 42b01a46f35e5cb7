package fi.callgate.csv;

import fi.callgate.domain.RejectReason;
import java.util.Objects;

/** A whole-file refusal: the reason and a sentence naming rows and columns, never cell content. */
public record FileRejection(RejectReason reason, String message) {
    public FileRejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
