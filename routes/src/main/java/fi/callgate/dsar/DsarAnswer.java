package fi.callgate.dsar;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@code dsar find}: the request opened, and every record held of the person with where it
 * came from and when it goes, and every other stage holding it: the dialer lists it is in ({@code lists})
 * and the results reported about it, pending exports included ({@code results}). Personal data: it goes to
 * the requester (via the supervisor) and nowhere else; {@link #toString()} of every part is masked.
 */
public record DsarAnswer(String requestId, Instant openedAt, Instant dueAt, String criteriaKind, List<Item> records,
                         List<DsarHooks.ListRepublisher.Listed> lists, List<DsarHooks.PendingExports.Held> results) {

    /** One stored record. {@code fields} are the decrypted fields in call-list order (absent ones left out). */
    public record Item(String recordId, String campaign, String organisation, String source,
                       Map<String, String> fields, String uploadId, Instant recordCreated, Instant uploadReceived,
                       Optional<Instant> deleteBy, Optional<String> deleteReason,
                       Optional<fi.callgate.agreement.Provenance> suppliedBy) {
        @Override
        public String toString() {
            return "Item[" + recordId + ", " + campaign + "]";
        }
    }

    /** The dialer lists holding this record. */
    public List<DsarHooks.ListRepublisher.Listed> listsOf(String recordId) {
        return lists.stream().filter(l -> l.recordId().equals(recordId)).toList();
    }

    /** The results reported about this record. */
    public List<DsarHooks.PendingExports.Held> resultsOf(String recordId) {
        return results.stream().filter(h -> h.recordId().equals(recordId)).toList();
    }

    /** The results not yet with the controller (waiting for, or in, an export not yet downloaded). */
    public List<DsarHooks.PendingExports.Held> pendingExports() {
        return results.stream().filter(DsarHooks.PendingExports.Held::pending).toList();
    }

    @Override
    public String toString() {
        return "DsarAnswer[" + requestId + ", " + records.size() + " record(s)]";
    }
}
