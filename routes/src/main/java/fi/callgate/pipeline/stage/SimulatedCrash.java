package fi.callgate.pipeline.stage;

/** Thrown by a test's {@link StageFaults} to stop the pipeline between two stages, as a kill would. */
public final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String where) {
        super("simulated crash after " + where);
    }
}
