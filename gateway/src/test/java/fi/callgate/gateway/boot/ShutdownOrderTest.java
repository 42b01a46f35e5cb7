package fi.callgate.gateway.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The gateway stops in the reverse of its start order: what started later and may still use the store (the
 * SSH server, the pipeline with its pushes, the record purge) stops first, and the store closes last. It used to
 * close before the push workers, against its own Javadoc.
 */
class ShutdownOrderTest {
    @TempDir
    Path home;

    @Test
    void theStoreClosesLastAfterEverythingThatUsesIt() throws Exception {
        List<String> stopped = stopsOf(() -> TestGateway.start(home).close());
        assertThat(stopped).isNotEmpty();
        assertThat(stopped.get(0)).isEqualTo("management server");
        assertThat(stopped.get(stopped.size() - 1)).isEqualTo("store");
        // the pushes are routes in the pipeline's Camel context: they stop with it, before the stores
        assertThat(stopped).containsSubsequence("ssh server", "pipeline", "record purge", "record store", "store");
        assertThat(stopped).doesNotHaveDuplicates();
    }

    @Test
    void aPartThatFailsToStopDoesNotKeepTheOthersRunning() {
        List<String> closed = new ArrayList<>();
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.started("first", () -> closed.add("first"));
        lifecycle.started("broken", () -> {
            throw new IllegalStateException("cannot stop");
        });
        lifecycle.started("last", () -> closed.add("last"));
        lifecycle.close();
        lifecycle.close(); // a second close stops nothing twice
        assertThat(closed).containsExactly("last", "first");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static List<String> stopsOf(Action action) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Lifecycle.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.setLevel(Level.DEBUG);
        try {
            action.run();
        } finally {
            logger.detachAppender(captured);
            logger.setLevel(before);
        }
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("stopping ")).map(m -> m.substring("stopping ".length())).toList();
    }
}
