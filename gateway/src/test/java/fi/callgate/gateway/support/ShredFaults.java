package fi.callgate.gateway.support;

/**
 * What a test does at the shredder's checkpoints: after each durable step of a run, and when a pass has
 * taken its lock (before it looks for work). Throwing {@link ShredCrash} stops the run there, as a kill
 * would; blocking in {@code beforePass} holds the shredder back.
 */
public interface ShredFaults {
    ShredFaults NONE = new ShredFaults() {
    };

    /** Steps: run-opened, records, files, dataset, key, receipt-written, receipt-audited, run-done. */
    default void after(String step, String id) {
    }

    default void beforePass() {
    }

    /** Thrown by a test's hook to stop a shredding run where it is. */
    final class ShredCrash extends SimulatedCrash {
        public ShredCrash(String where) {
            super(where);
        }
    }
}
