package fi.callgate.gateway.management;

import fi.callgate.pipeline.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Creates the appliance's one meter registry with every meter filter already configured. Micrometer applies a
 * filter only to meters registered after it (and logs "A MeterFilter is being configured after a Meter has
 * been registered" otherwise), so the filters of the parts that register meters later — Camel's route meters,
 * the JVM and process meters — are set here, before the first meter exists, never by the parts themselves.
 */
public final class MeterRegistries {
    private MeterRegistries() {
    }

    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(Pipeline.meterNames());
        RuntimeMeters.FILTERS.forEach(registry.config()::meterFilter);
        return registry;
    }
}
