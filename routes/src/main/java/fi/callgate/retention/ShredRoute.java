package fi.callgate.retention;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Route "shred": a Camel timer firing every {@code shredder.interval} calls {@link Shredder#pass}. The
 * timer only paces the passes; what is due is decided with Callgate's injected clock. The first pass runs
 * shortly after start, so a gateway that was down catches up at once. A timer consumer is single-threaded
 * and does not fire again while a pass is still running.
 */
public final class ShredRoute extends RouteBuilder {
    private final Shredder shredder;
    private final Duration every;

    public ShredRoute(Shredder shredder, Duration every) {
        this.shredder = shredder;
        this.every = every;
    }

    @Override
    public void configure() {
        long period = Math.max(every.toMillis(), 1);
        long delay = Math.min(period, 1000);
        from("timer:shred?fixedRate=false&delay=" + delay + "&period=" + period).routeId("shred")
                .bean(shredder, "pass");
    }
}
