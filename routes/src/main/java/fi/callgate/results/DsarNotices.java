package fi.callgate.results;

import java.util.Optional;

/**
 * Hook for the DSAR work: a notice the controller must see with a person's exported row (e.g. that the
 * person asked for access or erasure; its {@code dsar_notice} table). The export writes it in the
 * {@code dsar_notice} column of the orders file. Until that work is merged, {@link #NONE} is wired.
 */
@FunctionalInterface
public interface DsarNotices {
    DsarNotices NONE = (campaign, recordId) -> Optional.empty();

    /** The notice for this record's row, if any; plain text without personal data beyond the row's own. */
    Optional<String> noticeFor(String campaign, String recordId);
}
