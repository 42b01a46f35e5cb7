package fi.callgate.gateway.flow.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many sftp readers hammer a list while it is first published and then re-published five times (numbers
 * blocked one by one): every read that finds the file gets a whole list — a header, only complete rows,
 * CRLF at the end — whose row count is one of the published versions'. Readers are supervisors, whose
 * reads never count as the dialer's pickup, so every block re-publishes the list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListAtomicityTest {
    static final int ROWS = 8_000;
    static final int BLOCKS = 5;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.admin("campaign", "add", "A1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        acme.keyFor("A1");
        for (int i = 0; i < 3; i++) {
            gw.account("sup" + i, "supervisor", null);
            gw.admin("campaign", "grant", "A1", "sup" + i).assertOk();
        }
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @Test
    void readersNeverSeeAPartialList() throws Exception {
        StringBuilder csv = new StringBuilder("first_name;last_name;phone;source\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("Etu").append(i).append(";Suku").append(i).append(String.format(";04620%05d;Messut\n", i));
        }
        Path encrypted = acme.encrypt("big.csv", Controller.utf8(csv.toString()), true, false, -1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger complete = new AtomicInteger();
        AtomicInteger absent = new AtomicInteger();
        Set<Integer> rowCounts = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            String person = "sup" + (r % 3);
            int id = r;
            running.add(readers.submit(() -> {
                int round = 0;
                while (!stop.get()) {
                    Path local = home.resolve("r" + id + "-" + round++ + ".csv");
                    Proc.Result got = gw.sftp(person, "get /A1/lists/A1-0001.csv " + local + "\n");
                    if (got.exit() != 0) {
                        absent.incrementAndGet(); // not published yet
                        continue;
                    }
                    try {
                        String text = Files.readString(local, StandardCharsets.UTF_8);
                        Files.delete(local);
                        String problem = check(text);
                        if (problem != null) {
                            problems.add(problem);
                        } else {
                            rowCounts.add(text.split("\r\n").length - 1);
                            complete.incrementAndGet();
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
                return null;
            }));
        }
        acme.upload("A1", encrypted, "big.csv.gpg");
        for (int b = 0; b < BLOCKS; b++) {
            Thread.sleep(300);
            gw.ssh("sup0", "blocklist", "add", String.format("04620%05d", b * 1000)).assertOk();
        }
        Thread.sleep(1000);
        stop.set(true);
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        readers.shutdown();
        assertThat(problems).isEmpty();
        assertThat(complete.get()).isGreaterThan(10);
        assertThat(rowCounts).isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(ROWS - BLOCKS, ROWS));
        assertThat(gw.callgate().audit().find("dialer.list.publish", "/A1/lists/A1-0001.csv")).hasSize(1 + BLOCKS);
    }

    /** Null if the text is one whole list. */
    static String check(String text) {
        if (!text.startsWith("record_id;phone;first_name;last_name\r\n")) {
            return "bad header: " + text.substring(0, Math.min(60, text.length()));
        }
        if (!text.endsWith("\r\n")) {
            return "cut off at " + text.length() + " bytes";
        }
        String[] lines = text.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].matches("[a-z2-7]{26};\\+3584620\\d{5};Etu\\d+;Suku\\d+")) {
                return "bad line " + i + " of " + lines.length;
            }
        }
        return null;
    }
}
