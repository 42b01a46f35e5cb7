package fi.callgate.pipeline.stage;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.EeaPolicy;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The EEA-only rule, checked before every write the pipeline makes. The declared location of
 * {@code data-dir} is read from a supplier each time, so a location changed while running (or a
 * configuration that was wrong from the start) is refused at the very next write, before any byte goes
 * out. Refusals are audited and counted.
 */
public final class StorageGuard {
    private final Supplier<String> dataDirLocation;
    private final AuditLog audit;
    private final Counter refusals;

    public StorageGuard(Supplier<String> dataDirLocation, AuditLog audit, Counter refusals) {
        this.dataDirLocation = dataDirLocation;
        this.audit = audit;
        this.refusals = refusals;
    }

    /** Refused writes are reported with the policy's reason; nothing was written. */
    public static final class StorageRefusedException extends RuntimeException {
        public StorageRefusedException(String message) {
            super(message);
        }
    }

    public void checkWrite(Path target) {
        String declared = dataDirLocation.get();
        EeaPolicy.Decision d = EeaPolicy.check(declared);
        if (!d.allowed()) {
            refusals.increment();
            audit.record(AuditEvent.denied("callgate", null, "storage.refused", target.getFileName().toString(),
                    "storage.location " + declared + ": " + d.reason()));
            throw new StorageRefusedException("write refused: storage.location " + declared + ": " + d.reason());
        }
    }
}
