package fi.callgate.gateway.boot;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.Proc;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first start (CONTRACT §1): with no admin account the process says, in one line of its log
 * and one line of stderr, exactly which variables let somebody in, and {@code /health} says so too; once an
 * admin exists, all of that is gone. The real {@code CallgateMain serve} as its own process.
 */
class FirstStartTest {
    static final String NAME_VAR = "CALLGATE_BOOTSTRAP_ADMIN_NAME";
    static final String KEY_VAR = "CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY";

    @TempDir
    Path home;

    @Test
    void withoutAnAdminTheStartSaysHowToGetIn() throws Exception {
        int mgmt = freePort();
        Path config = home.resolve("callgate.yaml");
        Files.writeString(config, String.join("\n", "data-dir: " + home.resolve("data"), "sftp:", "  host: 127.0.0.1",
                "  port: 0", "management:", "  host: 127.0.0.1", "  port: " + mgmt, ""));
        String master = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

        Served first = serve(config, master, Map.of(), mgmt, "first", "first.err", "no admin account");
        assertThat(first.health.statusCode()).as("still healthy: the gateway runs").isEqualTo(200);
        assertThat(first.health.body()).contains("\"notices\":{\"admin\":").contains(NAME_VAR, KEY_VAR);
        assertThat(linesNaming(first.stderr)).as("stderr:\n" + first.stderr).hasSize(1);
        assertThat(linesNaming(first.stdout)).as("log:\n" + first.stdout).hasSize(1);

        Proc.run(null, null, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", home.resolve("admin")
                .toString())).assertOk();
        String key = Files.readString(home.resolve("admin.pub")).strip();
        Served second = serve(config, master, Map.of(NAME_VAR, "it-admin", KEY_VAR, key), mgmt, "second",
                "second.out", "Callgate is up");
        assertThat(second.health.statusCode()).isEqualTo(200);
        assertThat(second.health.body()).doesNotContain("notices", NAME_VAR);
        assertThat(linesNaming(second.stderr)).isEmpty();
        assertThat(linesNaming(second.stdout)).isEmpty();
        assertThat(second.stdout).contains("bootstrap admin account it-admin created");
    }

    private static List<String> linesNaming(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains("no admin account")) {
                assertThat(line).contains(NAME_VAR, KEY_VAR);
                out.add(line);
            }
        }
        return out;
    }

    private record Served(String stdout, String stderr, HttpResponse<String> health) {
    }

    /** Starts {@code serve}, waits for /health and for a text in one of its outputs, stops it with SIGTERM. */
    private Served serve(Path config, String master, Map<String, String> env, int mgmt, String name,
                         String awaitIn, String awaitText) throws Exception {
        Path out = home.resolve(name + ".out");
        Path err = home.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "fi.callgate.gateway.boot.CallgateMain", "serve", "--config", config.toString())
                .directory(home.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("CALLGATE_MASTER_KEY", master);
        pb.environment().remove(NAME_VAR);
        pb.environment().remove(KEY_VAR);
        pb.environment().putAll(env);
        Process p = pb.start();
        HttpResponse<String> health = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (health == null && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    health = MetricsScrape.get(mgmt, "/health");
                } catch (AssertionError notYet) { // not listening yet
                    Thread.sleep(200);
                }
            }
            assertThat(health).as("/health answered; log:\n" + Files.readString(out) + Files.readString(err))
                    .isNotNull();
            while (!Files.readString(home.resolve(awaitIn)).contains(awaitText) && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return new Served(Files.readString(out), Files.readString(err), health);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
