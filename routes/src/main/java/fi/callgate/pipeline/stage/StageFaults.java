package fi.callgate.pipeline.stage;

/**
 * A hook called after each stage has recorded its state change. In production it does nothing; the
 * crash tests make it throw, to stop the pipeline between any two stages as a kill would.
 */
@FunctionalInterface
public interface StageFaults {
    StageFaults NONE = (stage, uploadId) -> { };

    void after(String stage, String uploadId);
}
