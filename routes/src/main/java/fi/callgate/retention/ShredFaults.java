package fi.callgate.retention;

/**
 * A hook called by the shredder after each durable step of a run (and before each pass). In production it
 * does nothing; the crash tests make it throw {@link ShredCrash} to stop a run there, as a kill would, or
 * block in {@code beforePass} to hold the shredder back.
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
    final class ShredCrash extends RuntimeException {
        public ShredCrash(String where) {
            super("simulated crash after " + where);
        }
    }
}
