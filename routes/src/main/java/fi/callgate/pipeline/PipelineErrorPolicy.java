package fi.callgate.pipeline;

import fi.callgate.pipeline.stage.SimulatedCrash;
import fi.callgate.pipeline.stage.StorageGuard;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The error policy of every pipeline route, kept out of the route bodies. A stage that fails on an
 * infrastructure problem (disk, database) is retried with back-off; if it still fails, the upload keeps
 * its last recorded state and is picked up again by the resume timer or at the next start — nothing is
 * lost and nothing half-done becomes visible. A refused write (EEA policy) is not retried. A simulated
 * crash (tests only) stops the exchange where it is, as a kill would.
 */
final class PipelineErrorPolicy extends RouteConfigurationBuilder {
    static final String ID = "pipeline-errors";
    private final InFlight inFlight;
    private final Counter failures;

    PipelineErrorPolicy(InFlight inFlight, Counter failures) {
        this.inFlight = inFlight;
        this.failures = failures;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(SimulatedCrash.class).handled(true)
                    .log(LoggingLevel.WARN, "upload ${body}: simulated crash in ${routeId}")
                    .bean(inFlight, "release").end()
                .onException(StorageGuard.StorageRefusedException.class).handled(true)
                    .process(e -> failures.increment())
                    .log(LoggingLevel.ERROR, "upload ${body}: ${exception.message}; it stays parked until the"
                            + " storage location is fixed")
                    .bean(inFlight, "release").end()
                .onException(Exception.class).handled(true)
                    .maximumRedeliveries(3).redeliveryDelay(500).useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .process(e -> failures.increment())
                    .log(LoggingLevel.ERROR, "upload ${body}: stage ${routeId} failed: ${exception.message};"
                            + " it will be retried later")
                    .process(this::release).end();
    }

    private void release(Exchange exchange) {
        inFlight.release(exchange.getIn().getBody(String.class));
    }
}
