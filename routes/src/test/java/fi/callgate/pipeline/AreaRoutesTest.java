package fi.callgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wiring of an upload area's routes, with Camel's own test kit: the stage route hands the upload id to its
 * stage and runs under the pipeline's error policy (the route configuration it names — without the name, a
 * failure escaped to the sender and no retry or failure metric ever ran), and the outbox job runs every
 * interval. The stage and the job are doubles: what is tested is the routes, not the beans.
 */
class AreaRoutesTest {
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Stage stage = new Stage();
    private final Job job = new Job();
    private final List<String> policyTook = new CopyOnWriteArrayList<>();

    /** Records each upload id it runs; fails on "broken" as a stage with a lost disk would. */
    public static final class Stage {
        final List<String> ran = new CopyOnWriteArrayList<>();

        public void run(String uploadId) {
            ran.add(uploadId);
            if (uploadId.equals("broken")) {
                throw new IllegalStateException("disk gone");
            }
        }
    }

    public static final class Job {
        final AtomicInteger runs = new AtomicInteger();

        public void tick() {
            runs.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // Stands in for PipelineErrorPolicy under the same id: it records what reached it.
        camel.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration(PipelineErrorPolicy.ID).onException(Exception.class).handled(true)
                        .process(e -> policyTook.add(e.getIn().getBody(String.class)));
            }
        });
        camel.addRoutes(new AreaRoutes("direct:area", "area", stage, "area-job", job, "tick", Duration.ofMillis(20)));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void anUploadOfTheAreaRunsItsStageAndAFailureGoesToThePipelinesErrorPolicy() {
        NotifyBuilder both = new NotifyBuilder(camel).fromRoute("area").whenDone(2).create();
        var producer = camel.createProducerTemplate();
        producer.sendBody("direct:area", "u-1");
        producer.sendBody("direct:area", "broken"); // throws here if the route did not name the policy
        assertThat(both.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stage.ran).containsExactly("u-1", "broken");
        assertThat(policyTook).containsExactly("broken");
    }

    @Test
    void theOutboxJobRunsEveryInterval() {
        NotifyBuilder runs = new NotifyBuilder(camel).fromRoute("area-job").whenDone(3).create();
        assertThat(runs.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(job.runs.get()).isGreaterThanOrEqualTo(3);
    }
}
