package fi.callgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every meter filter is configured when the registry is created, before the first meter: a filter set later
 * misses the meters already registered, and Micrometer says so ("A MeterFilter is being configured after a
 * Meter has been registered"). Micrometer logs that at WARN once per JVM and at DEBUG afterwards, so the
 * capture takes DEBUG: the test sees the complaint even when another gateway in this JVM already started.
 */
class MeterFilterOrderTest {
    @TempDir
    Path home;

    @Test
    void startingTheGatewayConfiguresNoMeterFilterLate() throws Exception {
        Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
        Level before = micrometer.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        micrometer.addAppender(captured);
        micrometer.setLevel(Level.DEBUG);
        try (TestGateway gw = TestGateway.start(home)) {
            assertThat(gw.callgate().registry().find("jvm.memory.used").gauges()).isNotEmpty();
        } finally {
            micrometer.detachAppender(captured);
            micrometer.setLevel(before);
        }
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("MeterFilter is being configured after"));
    }
}
