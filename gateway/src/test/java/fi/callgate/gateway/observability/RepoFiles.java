package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the repository's {@code docker/} files from the test's working directory (Maven runs the gateway
 * module's tests in {@code gateway/}) and runs the stock tools that check them.
 */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docker")) && Files.isRegularFile(p.resolve("gateway/pom.xml"))) {
                return p;
            }
        }
        return fail("no repository root with docker/ and gateway/pom.xml above " + dir);
    }

    static Path docker(String relative) {
        return root().resolve("docker").resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in {@code dir} with stderr merged into stdout; fails the test on a timeout. */
    static Result run(Path dir, Duration timeout, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // Read on a separate thread so a chatty tool cannot fill the pipe and block before it exits.
            List<byte[]> out = new ArrayList<>(1);
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    out.add(in.readAllBytes());
                } catch (IOException e) {
                    out.add(("<output lost: " + e + ">").getBytes(StandardCharsets.UTF_8));
                }
            });
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within " + timeout);
            }
            reader.join(timeout.toMillis());
            String text = out.isEmpty() ? "" : new String(out.get(0), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether {@code program} is an executable on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** promtool is required, not optional: CI installs Debian's {@code prometheus} package for it. */
    static void requirePromtool() {
        if (!onPath("promtool")) {
            fail("promtool is not on the PATH. It is required to check the alert rules and dashboard queries: "
                    + "install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does.");
        }
    }
}
