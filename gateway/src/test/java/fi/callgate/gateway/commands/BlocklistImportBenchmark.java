package fi.callgate.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.TestGateway;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1 000 000-number import of issue 4, measured (not a regular test: run with
 * {@code -Dcallgate.bench=true -Dtest=BlocklistImportBenchmark}). Prints wall time and the heap the
 * gateway JVM used at most during the import (peak of the heap pools, reset before it starts).
 */
class BlocklistImportBenchmark {
    @TempDir
    static Path home;

    @Test
    void importOneMillionNumbers() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("callgate.bench"), "benchmark; -Dcallgate.bench=true");
        int n = 1_000_000;
        try (TestGateway gw = TestGateway.start(home)) {
            gw.account("sup", "supervisor", null);
            Path input = home.resolve("numbers.txt");
            try (BufferedWriter w = Files.newBufferedWriter(input)) {
                for (int i = 0; i < n; i++) {
                    w.write(String.format("0%d%07d\n", 40 + i / 10_000_000, i % 10_000_000));
                }
            }
            System.gc();
            long baseline = heapUsed();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            List<String> cmd = new ArrayList<>(List.of("ssh", "-p", String.valueOf(gw.port())));
            cmd.addAll(gw.clientOptions("sup"));
            cmd.addAll(List.of("sup@127.0.0.1", "blocklist", "import", "--json"));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectInput(input.toFile())
                    .redirectOutput(home.resolve("out.txt").toFile()).redirectError(home.resolve("err.txt").toFile())
                    .start();
            assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(m -> m.getType() == MemoryType.HEAP).mapToLong(m -> m.getPeakUsage().getUsed()).sum();
            System.gc();
            long after = heapUsed();
            String out = Files.readString(home.resolve("out.txt"));
            System.out.printf("BENCH blocklist import: %d numbers in %.1f s (%.0f/s); heap before %d MiB, peak %d MiB,"
                            + " retained after GC %d MiB; exit %d; %s%n", n, seconds, n / seconds, baseline >> 20,
                    peak >> 20, after >> 20, p.exitValue(), out.replaceAll("\\s+", " "));
            assertThat(p.exitValue()).isZero();
            assertThat(gw.callgate().blockList().size()).isEqualTo(n);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
