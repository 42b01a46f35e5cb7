package fi.callgate.publish;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.store.WriteGate;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The EEA-only rule, checked before every write the pipeline makes, through the one {@link WriteGate}: a
 * location changed while running is refused at the very next write, before any byte goes out. Refusals are
 * counted by the gate and audited (to the process log only, since the audit table is under data-dir too).
 */
public final class StorageGuard {
    private final WriteGate gate;
    private final AuditLog audit;

    public StorageGuard(WriteGate gate, AuditLog audit) {
        this.gate = gate;
        this.audit = audit;
    }

    /** Refused writes are reported with the policy's reason; nothing was written. */
    public static final class StorageRefusedException extends RuntimeException {
        public StorageRefusedException(String message) {
            super(message);
        }
    }

    /** Whether writes are allowed now; for timers that would only start work to have it refused. */
    public boolean isOpen() {
        return gate.isOpen();
    }

    public void checkWrite(Path target) {
        Optional<String> refused = gate.checkWrite();
        if (refused.isPresent()) {
            audit.record(AuditEvent.denied("callgate", null, "storage.refused", target.getFileName().toString(),
                    refused.get()));
            throw new StorageRefusedException("write refused: " + refused.get());
        }
    }
}
