package fi.callgate.pipeline;

import fi.callgate.domain.Area;
import fi.callgate.intake.UploadStore;
import fi.callgate.pipeline.stage.DecryptStage;
import fi.callgate.pipeline.stage.DialerLoadStage;
import fi.callgate.pipeline.stage.ReportStage;
import fi.callgate.pipeline.stage.StoreStage;
import fi.callgate.pipeline.stage.ValidateStage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The intake stages as routes: {@code intake} takes an upload id from the hand-off queue and sends call
 * lists down {@code decrypt -> validate -> store -> dialer-load -> report} and results files to
 * {@code results} and recordings to {@code recording} ({@link AreaRoutes}). Each stage bean checks the upload's recorded
 * state and does nothing if it is already past it, so an upload resumed after a crash simply flows
 * through to where it stopped.
 */
final class IntakeRoutes extends RouteBuilder {
    // pollTimeout: a stop waits for each consumer thread's pending poll of the queue to return (Camel's
    // default 1 s, per seda queue, on every stop); an idle wake-up every 100 ms costs nothing measurable.
    static final String QUEUE = "seda:uploads?size=100000&concurrentConsumers=2&blockWhenFull=true&pollTimeout=100";

    private final UploadStore uploads;
    private final InFlight inFlight;
    private final AttemptPolicy attempts;
    private final DecryptStage decrypt;
    private final ValidateStage validate;
    private final StoreStage store;
    private final DialerLoadStage dialerLoad;
    private final ReportStage report;

    IntakeRoutes(UploadStore uploads, InFlight inFlight, AttemptPolicy attempts, DecryptStage decrypt,
                 ValidateStage validate, StoreStage store, DialerLoadStage dialerLoad, ReportStage report) {
        this.uploads = uploads;
        this.inFlight = inFlight;
        this.attempts = attempts;
        this.decrypt = decrypt;
        this.validate = validate;
        this.store = store;
        this.dialerLoad = dialerLoad;
        this.report = report;
    }

    @Override
    public void configure() {
        // A route configuration with an id applies only to routes that name it: without this the
        // retries, the failure metric and the in-flight release never ran (DefaultErrorHandler instead).
        from(QUEUE).routeId("intake").routeConfigurationId(PipelineErrorPolicy.ID)
                .filter(method(inFlight, "claim"))
                    .process(this::releaseWhenDone)
                    // Counts this pass durably before any work (a kill mid-pass still counts); false when the
                    // upload is already final, or has had its passes and was just finished unprocessed.
                    .filter(method(attempts, "begin"))
                        .setHeader("callgateArea", method(this, "area"))
                        .choice()
                            .when(header("callgateArea").isEqualTo(Area.INBOX.name())).to("direct:decrypt")
                            .when(header("callgateArea").isEqualTo(Area.RESULTS.name())).to(AreaRoutes.RESULTS)
                            .when(header("callgateArea").isEqualTo(Area.RECORDINGS.name())).to(AreaRoutes.RECORDING)
                            .otherwise().log(org.apache.camel.LoggingLevel.WARN, "upload ${body}: not an upload area; left as it is")
                        .end()
                    .end();
        from("direct:decrypt").routeId("decrypt").routeConfigurationId(PipelineErrorPolicy.ID).bean(decrypt, "run").to("direct:validate");
        from("direct:validate").routeId("validate").routeConfigurationId(PipelineErrorPolicy.ID).bean(validate, "run").to("direct:store");
        from("direct:store").routeId("store").routeConfigurationId(PipelineErrorPolicy.ID).bean(store, "run").to("direct:dialer-load");
        from("direct:dialer-load").routeId("dialer-load").routeConfigurationId(PipelineErrorPolicy.ID).bean(dialerLoad, "run").to("direct:report");
        from("direct:report").routeId("report").routeConfigurationId(PipelineErrorPolicy.ID).bean(report, "run");
    }

    /**
     * The claim ends with the exchange, however it ends: done, failed after the error policy, or stopped where
     * it was. One place instead of a release at the end of the route and in each error branch, which an
     * exchange stopped mid-route never reached (the upload then stayed claimed and the resume timer skipped it).
     */
    private void releaseWhenDone(Exchange exchange) {
        String uploadId = exchange.getIn().getBody(String.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inFlight.release(uploadId);
            }
        });
    }

    /** The area the upload arrived in, which decides its route. */
    public String area(String uploadId) {
        return uploads.find(uploadId).map(u -> u.area().name()).orElse("NONE");
    }
}
