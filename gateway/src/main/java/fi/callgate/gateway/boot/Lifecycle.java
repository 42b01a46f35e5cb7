package fi.callgate.gateway.boot;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Callgate#start} has brought up, stopped in exactly the reverse order: a part is registered the
 * moment it has started, so whatever started later — and may still use it (the pipeline and the push workers
 * use the store, the SSH server uses the pipeline) — is stopped before it. The store, started first, closes
 * last. A part that fails to stop is logged and the rest still stop; each part is stopped once.
 */
final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private record Part(String name, AutoCloseable stop) {
    }

    private final Deque<Part> started = new ArrayDeque<>();

    /** Records that {@code name} has started; {@code stop} stops it. Returns nothing to chain on purpose. */
    synchronized void started(String name, AutoCloseable stop) {
        started.push(new Part(name, stop));
    }

    /** Stops every started part, the last started first. */
    @Override
    public void close() {
        while (true) {
            Part part;
            synchronized (this) {
                part = started.poll();
            }
            if (part == null) {
                return;
            }
            log.debug("stopping {}", part.name());
            try {
                part.stop().close();
            } catch (Exception e) {
                log.warn("while stopping {}: {}", part.name(), e.toString());
            }
        }
    }
}
