package fi.callgate.pipeline;

import fi.callgate.publish.StorageGuard;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The error policy of every pipeline route, kept out of the route bodies. A stage that fails on an
 * infrastructure problem (disk, database) is retried with back-off; if it still fails, the upload keeps
 * its last recorded state and is picked up again by the resume timer or at the next start — nothing is
 * lost and nothing half-done becomes visible — until it has had {@code intake.max-attempts} passes: then
 * {@link AttemptPolicy} finishes it with a "could not be processed" report. A refused write (EEA policy) is not
 * retried. The upload's in-flight claim is not released here: it ends with the exchange ({@link IntakeRoutes}).
 */
final class PipelineErrorPolicy extends RouteConfigurationBuilder {
    /** Every pipeline route names this configuration, so no route runs without the policy. */
    static final String ID = "pipeline-errors";

    private final Counter failures;
    private final AttemptPolicy attempts;

    PipelineErrorPolicy(Counter failures, AttemptPolicy attempts) {
        this.failures = failures;
        this.attempts = attempts;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(StorageGuard.StorageRefusedException.class).handled(true)
                    .process(e -> failures.increment())
                    .process(e -> attempts.refund(e.getIn().getBody(String.class)))
                    .log(LoggingLevel.ERROR, "upload ${body}: ${exception.message}; it stays parked until the"
                            + " storage location is fixed")
                    .end()
                .onException(Exception.class).handled(true)
                    .maximumRedeliveries(3).redeliveryDelay(500).useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .process(e -> failures.increment())
                    .process(this::failed).end();
    }

    /** Records the cause on the upload and gives it up at the retry cap; logs the failure either way. */
    private void failed(Exchange exchange) {
        String stage = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
        attempts.failed(exchange.getIn().getBody(String.class), stage,
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }
}
