package fi.callgate.gateway.harness;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash harness, second half: the life after intake. Callgate runs as a child JVM (a 1 s shredder, a 2 s
 * export timer) while {@link LifecycleDriver} takes campaign after campaign through list upload, dialer
 * download, results uploads, exports (command and timer), the controller's downloads, {@code campaign end}
 * and the deletion receipt; the child is killed with SIGKILL at seeded random moments, in operation or in
 * start-up, and started again on the same data. After a last clean stop, on the data itself:
 * <ul>
 *   <li>every acknowledged results file was processed exactly once (one upload row, final, at most one
 *       {@code results.processed} entry), an unacknowledged one at most once;</li>
 *   <li>every file in an outbox decrypts whole (or verifies) with the gateway's signature, no hidden
 *       leftovers; every export batch is published and has its file; each exportable result of an
 *       acknowledged file is in exactly one export of the right kind, nothing else is exported;</li>
 *   <li>per ended campaign: every dataset shredded, its key destroyed, no records left, and exactly one
 *       receipt per shred run that issues one (audited once, {@code gpg --verify} good);</li>
 *   <li>the audit chain verifies; no test person in plaintext under data-dir or in the child's log.</li>
 * </ul>
 * Reproduce with {@code -Dcrash.seed=N}; {@code -Dcrash.lifecycle.kills=N} changes the number of kills.
 */
class LifecycleCrashHarnessTest {
    @TempDir
    Path home;

    @Test
    void killNineThroughResultsExportsAndShreddingLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int kills = Integer.getInteger("crash.lifecycle.kills", 20);
        System.out.println("[lifecycle-harness] seed=" + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        List<String> campaigns = IntStream.rangeClosed(1, 12).mapToObj(i -> "L" + i).toList();
        try (ChildGateway child = new ChildGateway(home, Map.of("CALLGATE_SHREDDER_INTERVAL", "PT1S",
                "CALLGATE_EXPORT_INTERVAL", "PT2S"));
             GnuPg gpg = GnuPg.newHome()) {
            child.start();
            String fpr = gpg.genKey("Acme Lists <lists@acme.example>", "ed25519");
            gpg.importKey(child.admin("gateway", "pgp-key").assertOk().out());
            String gatewayFpr = CrashHarnessTest.gatewayFingerprint(gpg, fpr);
            LifecycleDriver.setUp(child, gpg, fpr, campaigns);
            LifecycleDriver driver = new LifecycleDriver(child, gpg, gatewayFpr,
                    Files.createDirectories(home.resolve("client")), seed ^ 0x9E3779B97F4A7C15L);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<String> completed = new ArrayList<>();
            Thread clients = new Thread(() -> {
                try {
                    for (String c : campaigns) {
                        if (stop.get()) {
                            break;
                        }
                        driver.lifecycle(c); // a campaign begun is finished, kills or not
                        synchronized (completed) {
                            completed.add(c);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "lifecycle-clients");
            long tKills = System.nanoTime();
            clients.start();
            int duringStart = 0;
            int done = 0;
            KillPlacement where = new KillPlacement(child.dataDir);
            for (; done < kills && failure.get() == null && clients.isAlive(); done++) {
                if (rnd.nextInt(3) > 0) { // in operation: some time after the child is up
                    child.awaitUp();
                    LifecycleDriver.sleep(300 + rnd.nextInt(2500));
                } else { // anywhere from launch on, start-up (store recovery, resumes) included
                    LifecycleDriver.sleep(rnd.nextInt(3000));
                }
                boolean up = child.up();
                duringStart += up ? 0 : 1;
                child.kill();
                where.record(up);
                child.launch();
            }
            long killPhase = (System.nanoTime() - tKills) / 1_000_000;
            child.awaitUp();
            stop.set(true);
            clients.join(300_000);
            if (failure.get() != null) {
                throw new AssertionError("client side failed; child log:\n" + child.tail(), failure.get());
            }
            assertThat(clients.isAlive()).as("clients finished").isFalse();
            awaitSettled(child, driver.ended);
            child.stop();
            long acked = driver.resultsFiles.values().stream().filter(a -> a).count();
            System.out.printf("[lifecycle-harness] kills in work=%d (%s)%n", where.inWork(), where.describe());
            System.out.printf("[lifecycle-harness] kills=%d (during start-up %d) in %d ms; starts=%d (mean start %d ms);"
                            + " campaigns completed=%d %s; list uploads=%d (not acknowledged %d); results files=%d"
                            + " (acknowledged %d); result rows=%d; export commands=%d (timer waits %d);"
                            + " outbox files checked live=%d; retries=%d%n", done, duringStart, killPhase,
                    child.starts(), child.meanStartMillis(), completed.size(), completed, driver.listUploads,
                    driver.listUploadsNotAcked, driver.resultsFiles.size(), acked, driver.sent.size(),
                    driver.exportCommands, driver.timerExportWaits, driver.liveFilesChecked, driver.retries);
            assertThat(done).as("kills").isEqualTo(kills);
            assertThat(completed).as("campaigns taken through their whole life").isNotEmpty();
            assertThat(acked).as("acknowledged results files").isPositive();
            new LifecycleInvariants(child, gpg, gatewayFpr, driver).check(t0);
        }
    }

    /**
     * Waits until every dataset of the ended campaigns shows as shredded in {@code retention status}, then a
     * few shredder passes more (the key of an ended campaign can go one pass after its last dataset).
     */
    private static void awaitSettled(ChildGateway child, Set<String> ended) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Proc.Result r = child.admin("retention", "status");
            boolean settled = r.exit() == 0 && r.out().lines().noneMatch(l -> {
                String[] cells = l.strip().split("\\s+");
                return cells.length > 6 && ended.contains(cells[0]) && !l.contains("export-")
                        && !l.contains(" shredded ");
            });
            if (settled) {
                LifecycleDriver.sleep(3000);
                return;
            }
            LifecycleDriver.sleep(500);
        }
    }
}
