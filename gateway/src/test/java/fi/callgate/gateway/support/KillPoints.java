package fi.callgate.gateway.support;

import fi.callgate.dsar.DsarHooks;
import fi.callgate.gateway.boot.Callgate;
import fi.callgate.store.Checkpoints;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash tests' kill points, all on the test side. Production has none: it reports the durable steps inside
 * a job to {@link Checkpoints} (and logs them), and its pipeline routes are plain Camel routes.
 * <ul>
 *   <li>After each intake stage's step (the stage has recorded its state change) — Camel's AdviceWith weaves a
 *   processor after the stage route's bean that asks the test's {@link StageFaults}.</li>
 *   <li>Inside a job, between two commits — the test's {@link Checkpoints} asks {@link StageFaults} (or, for
 *   the shredder's {@code shred-…} steps, {@link ShredFaults}).</li>
 *   <li>A {@link SimulatedCrash} thrown at either must stop the exchange where it is, as a kill would: no
 *   redelivery, no failure recorded on the upload (the process would be gone). An intercept strategy added to
 *   the context — around every processor, inside Camel's error handler — takes the crash off the exchange
 *   before the error handler sees it and stops the exchange's routing.</li>
 * </ul>
 * The fault hooks are read at each call, so a test changes them while the gateway runs.
 */
public final class KillPoints {
    private static final Logger log = LoggerFactory.getLogger(KillPoints.class);
    /** The intake stage routes; a kill after each is a kill "between two stages". */
    static final List<String> STAGE_ROUTES = List.of("decrypt", "validate", "store", "dialer-load", "report");

    private KillPoints() {
    }

    /** The extensions a test gateway starts with: kill points from the hooks, {@code dsarHooks} may be null. */
    public static Callgate.Extensions extensions(Supplier<StageFaults> faults, Supplier<ShredFaults> shred,
                                                 DsarHooks dsarHooks) {
        Checkpoints checkpoints = (step, id) -> {
            if (step.equals("shred-pass-locked")) {
                shred.get().beforePass();
            } else if (step.startsWith("shred-")) {
                shred.get().after(step.substring("shred-".length()), id);
            } else {
                faults.get().after(step, id);
            }
        };
        return new Callgate.Extensions(checkpoints, dsarHooks, camel -> advise(camel, faults));
    }

    private static void advise(CamelContext camel, Supplier<StageFaults> faults) {
        camel.getCamelContextExtension().addInterceptStrategy(new CrashStopsExchange());
        for (String route : STAGE_ROUTES) {
            try {
                AdviceWith.adviceWith(camel, route, a -> a.weaveByType(BeanDefinition.class).selectFirst().after()
                        .process(e -> faults.get().after(route, e.getIn().getBody(String.class))));
            } catch (Exception e) {
                throw new IllegalStateException("cannot advise route " + route, e);
            }
        }
    }

    /** Turns a simulated crash into a stopped exchange before Camel's error handler could retry it. */
    private static final class CrashStopsExchange implements InterceptStrategy {
        @Override
        public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                     Processor nextTarget) {
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    return processor.process(exchange, doneSync -> {
                        SimulatedCrash crash = crashIn(exchange.getException());
                        if (crash != null) {
                            log.warn("upload {}: {} in {}", exchange.getIn().getBody(), crash.getMessage(),
                                    exchange.getFromRouteId());
                            exchange.setException(null);
                            exchange.setRouteStop(true);
                        }
                        callback.done(doneSync);
                    });
                }
            };
        }

        private static SimulatedCrash crashIn(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof SimulatedCrash crash) {
                    return crash;
                }
            }
            return null;
        }
    }
}
