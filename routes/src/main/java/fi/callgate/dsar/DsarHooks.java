package fi.callgate.dsar;

import fi.callgate.domain.PhoneNumber;
import java.util.Collection;
import java.util.List;

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

        /** What pending exports hold of these records (for the {@code dsar find} answer). */
        List<Held> find(Collection<String> recordIds);

        /** Removes these records from pending exports; returns how many export rows went. */
        int erase(Collection<String> recordIds);

        /** One pending export row: its campaign, export file, kind and the fields it carries. */
        record Held(String recordId, String campaign, String export, String kind, java.util.Map<String, String> fields) {
            @Override
            public String toString() {
                return "Held[" + recordId + ", " + campaign + ", " + kind + "]";
            }
        }
    }
}
