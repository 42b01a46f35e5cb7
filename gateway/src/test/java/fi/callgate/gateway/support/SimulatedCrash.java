package fi.callgate.gateway.support;

/**
 * Thrown by a test's {@link StageFaults} or {@link ShredFaults} to stop a job where it is, as a kill would.
 * Production code never sees it handled: {@link KillPoints} turns it into a stopped exchange inside the
 * pipeline, and elsewhere (an SSH command, the shredder's pass) it fails the call like any error.
 */
public class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String where) {
        super("simulated crash after " + where);
    }
}
