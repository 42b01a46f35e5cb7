package fi.callgate.store;

import fi.callgate.domain.EeaPolicy;
import fi.callgate.domain.Location;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether anything may be written under {@code data-dir} now: only while its declared location
 * ({@code storage.location}, re-read on SIGHUP) is in the EEA (CONTRACT §6: a location outside it is
 * "refused before any byte is written"). One gate for every part — the drop point, the pipeline, the
 * shredder, exports, pushes, commands, the audit log and, as the backstop, the database itself, whose
 * connections are handed out read-only while it is closed.
 */
public final class WriteGate {
    private final AtomicReference<String> location;
    private final Runnable onRefusal;

    /** {@code onRefusal} counts each refused write attempt (a metric). */
    public WriteGate(String location, Runnable onRefusal) {
        this.location = new AtomicReference<>(location);
        this.onRefusal = onRefusal;
    }

    /** A gate that stays open: for tools and tests that open a store outside a running gateway. */
    public static WriteGate alwaysOpen() {
        return new WriteGate("FI", () -> { });
    }

    public String location() {
        return location.get();
    }

    /** Takes a newly configured location; returns the one it replaces. */
    public String relocate(String newLocation) {
        return location.getAndSet(newLocation);
    }

    public boolean isOpen() {
        return refusal().isEmpty();
    }

    /** Why writes are refused now, e.g. "storage location GB is outside the EEA"; empty while they are not. */
    public Optional<String> refusal() {
        String declared = location.get();
        if (EeaPolicy.check(declared).allowed()) {
            return Optional.empty();
        }
        boolean known;
        try {
            Location.parse(declared);
            known = true;
        } catch (IllegalArgumentException e) {
            known = false;
        }
        return Optional.of("storage location " + declared + (known ? " is outside the EEA"
                : " is not a known location inside the EEA"));
    }

    /** As {@link #refusal()}, for an attempt to write: a refusal is counted. */
    public Optional<String> checkWrite() {
        Optional<String> refused = refusal();
        if (refused.isPresent()) {
            onRefusal.run();
        }
        return refused;
    }
}
