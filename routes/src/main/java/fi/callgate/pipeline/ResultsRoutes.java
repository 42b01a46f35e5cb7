package fi.callgate.pipeline;

import fi.callgate.results.Exports;
import fi.callgate.results.ResultsStage;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Route "results": a results-area upload from the intake route, processed by {@link ResultsStage} under the
 * pipeline's error policy (state on the upload row, retried, resumed after a crash). Route "exports": a
 * timer every {@code export.interval} that exports pending results and shreds outbox exports past their
 * deadline; it handles its own failures (a failed export stays pending for the next run) and, like the
 * shredder, does not fire again while a run is still going.
 */
public final class ResultsRoutes extends RouteBuilder {
    static final String ENDPOINT = "direct:results";
    private final ResultsStage stage;
    private final Exports exports;
    private final Duration every;

    public ResultsRoutes(ResultsStage stage, Exports exports, Duration every) {
        this.stage = stage;
        this.exports = exports;
        this.every = every;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId("results").routeConfigurationId(PipelineErrorPolicy.ID).bean(stage, "run");
        long period = Math.max(every.toMillis(), 1);
        from("timer:exports?fixedRate=false&delay=" + period + "&period=" + period)
                .routeId("exports").bean(exports, "tick");
    }
}
