package fi.callgate.pipeline;

import fi.callgate.intake.UploadIntake;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Route "resume": every so often, re-announces uploads not in a final state, so one whose stage failed on
 * a passing problem (a full disk, say) is retried without waiting for a restart. Uploads being processed
 * are skipped by the in-flight guard.
 */
final class ResumeRoute extends RouteBuilder {
    private final UploadIntake intake;
    private final Duration every;

    ResumeRoute(UploadIntake intake, Duration every) {
        this.intake = intake;
        this.every = every;
    }

    @Override
    public void configure() {
        from("timer:resume?delay=" + every.toMillis() + "&period=" + every.toMillis()).routeId("resume").routeConfigurationId(PipelineErrorPolicy.ID)
                .bean(intake, "resumeUnfinished");
    }
}
