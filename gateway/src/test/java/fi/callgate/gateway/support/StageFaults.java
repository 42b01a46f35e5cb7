package fi.callgate.gateway.support;

/**
 * What a test does at each kill point of the pipeline, exports and data-subject erasures: after each stage
 * route's step ({@code decrypt}, {@code validate}, {@code store}, {@code dialer-load}, {@code report}) and at
 * each checkpoint inside a job ({@code content-claimed}, {@code validate-parts}, {@code export-batch},
 * {@code dsar-records} …). Throwing {@link SimulatedCrash} stops the job there.
 */
@FunctionalInterface
public interface StageFaults {
    StageFaults NONE = (stage, id) -> { };

    void after(String stage, String id);
}
