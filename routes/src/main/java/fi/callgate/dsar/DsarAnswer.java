package fi.callgate.dsar;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@code dsar find}: the request opened, and every record held of the person with where it
 * came from and when it goes. Personal data: it goes to the requester (via the supervisor) and nowhere
 * else; {@link #toString()} of every part is masked.
 */
public record DsarAnswer(String requestId, Instant openedAt, Instant dueAt, String criteriaKind, List<Item> records,
                         List<DsarHooks.PendingExports.Held> pendingExports) {

    /** One stored record. {@code fields} are the decrypted fields in call-list order (absent ones left out). */
    public record Item(String recordId, String campaign, String organisation, String source,
                       Map<String, String> fields, String uploadId, Instant recordCreated, Instant uploadReceived,
                       Optional<Instant> deleteBy, Optional<String> deleteReason) {
        @Override
        public String toString() {
            return "Item[" + recordId + ", " + campaign + "]";
        }
    }

    @Override
    public String toString() {
        return "DsarAnswer[" + requestId + ", " + records.size() + " record(s)]";
    }
}
