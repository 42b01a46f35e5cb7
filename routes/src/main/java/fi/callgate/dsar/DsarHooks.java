package fi.callgate.dsar;

import fi.callgate.domain.PhoneNumber;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a data-subject erasure reaches parts of Callgate that live elsewhere (the block list, the dialer
 * lists, the exports). Each has a no-op default until its component is wired in the composition root.
 * Every implementation must be idempotent (an interrupted erase is run again) and must not log or audit
 * the personal data it is handed.
 */
public record DsarHooks(PhoneBlocker blocker, ListRepublisher lists, PendingExports exports) {

    /** Nothing wired: no block list, no dialer lists, no exports. */
    public static final DsarHooks NONE = new DsarHooks(PhoneBlocker.NONE, ListRepublisher.NONE, PendingExports.NONE);

    /** {@code dsar erase --block}: the block list. */
    @FunctionalInterface
    public interface PhoneBlocker {
        PhoneBlocker NONE = (phone, reason) -> {
            throw new UnsupportedOperationException("no block list in this build");
        };

        /** Adds the number; {@code reason} is e.g. "dsar DSAR-2026-ABC123" (no personal data). */
        void block(PhoneNumber phone, String reason);
    }

    /**
     * Dialer lists: re-published from the store. Called after the erased records were deleted, with the
     * uploads they came from, so each list is rendered again without them.
     */
    @FunctionalInterface
    public interface ListRepublisher {
        ListRepublisher NONE = uploadIds -> 0;

        /** Re-renders the lists of these uploads; returns how many lists were re-published. */
        int republish(Collection<String> uploadIds);

        /**
         * For the {@code dsar find} answer: the published (not yet shredded) dialer lists that hold these
         * records now, one entry per record and list. Default: no dialer lists in this build.
         */
        default List<Listed> holding(Collection<DsarStore.Found> records) {
            return List.of();
        }

        /**
         * A record in a dialer list: the list's file, when it was last (re-)published and whether the dialer
         * has downloaded it (then the dialer holds its own copy, which a re-publication cannot take back).
         */
        record Listed(String recordId, String campaign, String file, Instant publishedAt,
                      Optional<Instant> downloadedAt, Optional<String> downloadedBy) {
        }
    }

    /** Exports (orders, address changes, call bans) produced but not yet sent to the controller. */
    public interface PendingExports {
        PendingExports NONE = new PendingExports() {
            @Override
            public List<Held> find(Collection<String> recordIds) {
                return List.of();
            }

            @Override
            public int erase(Collection<String> recordIds) {
                return 0;
            }
        };

        /** Every result held about these records, pending exports included (for the {@code dsar find} answer). */
        List<Held> find(Collection<String> recordIds);

        /** Removes these records from pending exports; returns how many export rows went. */
        int erase(Collection<String> recordIds);

        /**
         * One result the dialer or a supervisor reported about a record, and how far it is on its way to the
         * controller. {@code stage}: {@code not_exported} (the outcome is never exported), {@code pending}
         * (goes out with the next export), {@code exporting} (an export file is being written), {@code
         * exported} (in the published {@code export} file), {@code export_shredded} (that file is gone).
         * {@code fields}: what the export carries (the person's data and the order or address change) while
         * it is still held sealed, i.e. until the export is published; empty after.
         */
        record Held(String recordId, String campaign, String resultsFile, long row, String outcome,
                    Instant reportedAt, String stage, Optional<String> export, Optional<Instant> exportDownloaded,
                    Map<String, String> fields) {
            /** Not yet with the controller: waiting for, or in, an export not yet downloaded. */
            public boolean pending() {
                return switch (stage) {
                    case "pending", "exporting" -> true;
                    case "exported" -> exportDownloaded.isEmpty();
                    default -> false;
                };
            }

            @Override
            public String toString() {
                return "Held[" + recordId + ", " + campaign + ", " + outcome + ", " + stage + "]";
            }
        }
    }
}
