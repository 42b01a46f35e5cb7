package fi.callgate.pipeline;

import fi.callgate.recordings.RecordingStage;
import fi.callgate.recordings.Recordings;
import fi.callgate.results.Exports;
import fi.callgate.results.ResultsStage;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The two routes of an upload area other than the inbox, one shape for both (they were near-copies):
 * <ul>
 *   <li>the area's stage: an upload of the area handed over by the intake route, processed by the stage bean
 *   under the pipeline's error policy (state on the upload row, retried, resumed after a crash);</li>
 *   <li>its outbox job: a timer every {@code export.interval}, first run one interval after start, that does not
 *   fire again while a run is still going (fixedRate=false); the job handles its own failures.</li>
 * </ul>
 * {@link #results}: route {@code results} and the {@code exports} timer (export pending results, shred exports
 * past their deadline). {@link #recordings}: route {@code recording} and the {@code recordings-housekeeping}
 * timer (remove recordings past their outbox deadline).
 */
public final class AreaRoutes extends RouteBuilder {
    static final String RESULTS = "direct:results";
    static final String RECORDING = "direct:recording";

    private final String endpoint;
    private final String stageRoute;
    private final Object stage;
    private final String jobRoute;
    private final Object job;
    private final String jobMethod;
    private final Duration every;

    AreaRoutes(String endpoint, String stageRoute, Object stage, String jobRoute, Object job, String jobMethod,
               Duration every) {
        this.endpoint = endpoint;
        this.stageRoute = stageRoute;
        this.stage = stage;
        this.jobRoute = jobRoute;
        this.job = job;
        this.jobMethod = jobMethod;
        this.every = every;
    }

    /** Results files from the dialer and supervisors, and the export timer. */
    public static AreaRoutes results(ResultsStage stage, Exports exports, Duration every) {
        return new AreaRoutes(RESULTS, "results", stage, "exports", exports, "tick", every);
    }

    /** Call recordings from supervisors, and their outbox housekeeping. */
    public static AreaRoutes recordings(RecordingStage stage, Recordings recordings, Duration every) {
        return new AreaRoutes(RECORDING, "recording", stage, "recordings-housekeeping", recordings, "housekeeping",
                every);
    }

    @Override
    public void configure() {
        from(endpoint).routeId(stageRoute).routeConfigurationId(PipelineErrorPolicy.ID).bean(stage, "run");
        long period = Math.max(every.toMillis(), 1);
        from("timer:" + jobRoute + "?fixedRate=false&delay=" + period + "&period=" + period)
                .routeId(jobRoute).bean(job, jobMethod);
    }
}
