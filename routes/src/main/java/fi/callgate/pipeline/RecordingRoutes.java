package fi.callgate.pipeline;

import fi.callgate.recordings.RecordingStage;
import fi.callgate.recordings.Recordings;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Route "recording": a recordings-area upload from the intake route, processed by {@link RecordingStage}
 * under the pipeline's error policy. Route "recordings-housekeeping": a timer (the export interval) that
 * removes recordings past their outbox deadline.
 */
public final class RecordingRoutes extends RouteBuilder {
    static final String ENDPOINT = "direct:recording";
    private final RecordingStage stage;
    private final Recordings recordings;
    private final Duration every;

    public RecordingRoutes(RecordingStage stage, Recordings recordings, Duration every) {
        this.stage = stage;
        this.recordings = recordings;
        this.every = every;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId("recording").routeConfigurationId(PipelineErrorPolicy.ID).bean(stage, "run");
        long period = Math.max(every.toMillis(), 1);
        from("timer:recordings?fixedRate=false&delay=" + period + "&period=" + period)
                .routeId("recordings-housekeeping").bean(recordings, "housekeeping");
    }
}
