package fi.callgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar itself (what {@code ./callgate serve} runs), after {@code package}: it starts on the
 * shipped configuration, answers {@code /health} with 200, and stops cleanly on SIGTERM. Unit tests run on
 * the test class path and cannot notice a dependency missing from the jar — this one can.
 */
class PackagedJarIT {
    @TempDir
    Path dir;

    @Test
    void theShadedJarStartsAndIsHealthy() throws Exception {
        Path jar = Path.of("target", "callgate.jar").toAbsolutePath();
        assertThat(jar).exists();
        int mgmt;
        try (ServerSocket s = new ServerSocket(0)) {
            mgmt = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "serve", "--config", Path.of("..", "config", "callgate.yaml")
                .toAbsolutePath().toString());
        pb.environment().put("CALLGATE_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("CALLGATE_MASTER_KEY_FILE", dir.resolve("keys/master.key").toString());
        pb.environment().put("CALLGATE_SFTP_HOST", "127.0.0.1");
        pb.environment().put("CALLGATE_SFTP_PORT", "0");
        pb.environment().put("CALLGATE_MANAGEMENT_PORT", Integer.toString(mgmt));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile());
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            int status = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    status = http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode();
                    if (status == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            assertThat(status).as("health of the packaged jar; log:\n" + Files.readString(dir.resolve("serve.log")))
                    .isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("callgate_retention_overdue_datasets", "callgate_sftp_sessions");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops SSH, the pipeline and the store
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(dir.resolve("serve.log"))).contains("Callgate is up").contains("Callgate stopped");
    }
}
