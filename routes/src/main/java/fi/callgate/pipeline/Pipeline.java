package fi.callgate.pipeline;

import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadAttempts;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.pipeline.stage.DecryptStage;
import fi.callgate.pipeline.stage.DialerLoadStage;
import fi.callgate.pipeline.stage.GiveUpStage;
import fi.callgate.pipeline.stage.ReportStage;
import fi.callgate.pipeline.stage.StoreStage;
import fi.callgate.pipeline.stage.ValidateStage;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipeline: a Camel context with the stage routes, the error policy and a resume timer.
 * Started after the store and before the SSH listener; stopped after the listener, with a bounded
 * graceful shutdown — what is still in flight then keeps its recorded state and resumes at next start.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final InFlight inFlight;
    private final UploadIntake intake;

    private Pipeline(CamelContext camel, InFlight inFlight, UploadIntake intake) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.inFlight = inFlight;
        this.intake = intake;
    }

    /**
     * Limits of the intake, from the configuration. {@code maxAttempts}: pipeline passes an upload may take
     * before it is finished unprocessed.
     */
    public record Limits(Duration resumeEvery, int maxAttempts) {
    }

    /**
     * The intake's stages in the order an upload goes through them, and the stage that finishes an upload that
     * keeps failing; built by the composition root, each with the collaborators it uses.
     */
    public record Stages(DecryptStage decrypt, ValidateStage validate, StoreStage store, DialerLoadStage dialerLoad,
                         ReportStage report, GiveUpStage giveUp) {
    }

    /**
     * The filter that makes Camel's route meters pass Prometheus' naming rules; configure it on the registry
     * when the registry is created — a filter added after the first meter misses meters and makes Micrometer warn.
     */
    public static io.micrometer.core.instrument.config.MeterFilter meterNames() {
        return new CamelMeterNames();
    }

    /**
     * Builds the context with the error policy, the intake routes and the resume timer; nothing runs until
     * {@link #start}. Other parts add their routes with {@link #add} in between, so every route starts at once.
     */
    public static Pipeline build(Stages stages, Limits limits, UploadStore uploads, UploadIntake intake,
                                 UploadAttempts attempts, CallgateMetrics metrics) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(30);
        InFlight inFlight = new InFlight();
        var failures = metrics.pipelineFailures();
        // Route metrics (exchanges, failures, durations per route id) on the one registry; no Camel
        // management server or JMX is involved. Their names are fixed by meterNames(), which the registry's
        // creator configures before the first meter.
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(metrics.registry());
        camel.addRoutePolicyFactory(routeMetrics);
        AttemptPolicy attemptPolicy = new AttemptPolicy(attempts, stages.giveUp(), limits.maxAttempts());
        camel.addRoutes(new PipelineErrorPolicy(failures, attemptPolicy));
        camel.addRoutes(new IntakeRoutes(uploads, inFlight, attemptPolicy, stages.decrypt(), stages.validate(),
                stages.store(), stages.dialerLoad(), stages.report()));
        camel.addRoutes(new ResumeRoute(intake, limits.resumeEvery()));
        return new Pipeline(camel, inFlight, intake);
    }

    /**
     * Starts every route and takes uploads from the drop point from now on. {@code beforeStart} sees the context
     * with all its routes defined and none running — Camel's usual place for an embedding application's last
     * changes (the composition root passes what its caller asked for; the crash tests advise routes there).
     */
    public void start(java.util.function.Consumer<CamelContext> beforeStart) throws Exception {
        beforeStart.accept(camel);
        camel.start();
        intake.subscribe(this::submit);
        log.info("pipeline started: routes {}", camel.getRoutes().stream().map(r -> r.getRouteId()).toList());
    }

    /** Hands an upload to the pipeline; returns at once (the durable row is the real hand-off). */
    public void submit(Upload upload) {
        producer.sendBody(IntakeRoutes.QUEUE, upload.id());
    }

    /** Adds routes of other parts (shredding, pushes, results, recordings) to the context, sharing its lifecycle. */
    public void add(org.apache.camel.RoutesBuilder routes) throws Exception {
        camel.addRoutes(routes);
    }

    public boolean isUp() {
        return camel.getStatus() == ServiceStatus.Started;
    }

    /** Nothing queued or being processed: for tests and orderly shutdown. */
    public boolean isIdle() {
        return inFlight.isIdle() && camel.getEndpoint(IntakeRoutes.QUEUE, org.apache.camel.component.seda.SedaEndpoint.class)
                .getCurrentQueueSize() == 0;
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            log.warn("pipeline shutdown: {}", e.toString());
        }
    }
}
