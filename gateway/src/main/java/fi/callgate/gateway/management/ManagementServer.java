package fi.callgate.gateway.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener: exactly {@code GET /metrics} and {@code GET /health} (HEAD too). Any other path
 * is 404, any other method on these two is 405. Paths are compared raw and exactly, so {@code /metrics/},
 * {@code /metrics/../x} or an encoded variant is simply not found.
 */
public final class ManagementServer implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 32;

    private final HttpServer http;
    private final ThreadPoolExecutor workers;
    private final PrometheusMeterRegistry registry;
    private final Health health;

    private ManagementServer(HttpServer http, ThreadPoolExecutor workers, PrometheusMeterRegistry registry,
                             Health health) {
        this.http = http;
        this.workers = workers;
        this.registry = registry;
        this.health = health;
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving. */
    public static ManagementServer start(String host, int port, PrometheusMeterRegistry registry, Health health)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), QUEUE);
        // Two workers and a short queue: scrapes are cheap and rare. When both are busy and the queue is
        // full, the accepting thread answers itself, which slows accepting down instead of dropping.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "callgate-management");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        http.setExecutor(workers);
        ManagementServer server = new ManagementServer(http, workers, registry, health);
        http.createContext("/", server::handle);
        http.start();
        log.info("management listener on http://{}:{} (GET /metrics, GET /health)", host, server.port());
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            String path = exchange.getRequestURI().getRawPath();
            boolean metrics = "/metrics".equals(path);
            if (!metrics && !"/health".equals(path)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            if (metrics) {
                respond(exchange, 200, METRICS_CONTENT_TYPE, registry.scrape());
            } else {
                Map<String, String> failing = health.reasons();
                respond(exchange, failing.isEmpty() ? 200 : 503, "application/json", health.json(failing));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("management request failed: {}", e.toString());
            throw e;
        } finally {
            exchange.close(); // request bodies are never read; close discards them
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Gives requests in progress up to a second to finish, then closes the listener and its connections. The
     * wait is on our own workers, which run every exchange: JDK 17's {@code HttpServer.stop(delay)} sleeps the
     * whole delay even when nothing is in progress (JDK-8304065), a second lost on every stop.
     */
    @Override
    public void close() {
        workers.shutdown(); // a request arriving now is dropped; the stop below closes its connection
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        workers.shutdownNow();
    }
}
