package fi.callgate.gateway.flow.results;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.SimulatedCrash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kill during an export (after the batch is taken, or after the file is published but before it is
 * marked) and a restart yield each export exactly once: one file per kind, every result in it once, and a
 * later export finds nothing left.
 */
class ExportCrashTest {
    @TempDir
    Path home;
    TestGateway gw;
    Controller acme;

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"export-batch", "export-publish"})
    void aKillDuringExportAndARestartYieldEachExportOnce(String where) throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("dial", "dialer", null);
        gw.account("sup", "supervisor", null);
        gw.admin("campaign", "add", "K1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme.keyFor("K1");
        gw.admin("campaign", "grant", "K1", "dial").assertOk();
        gw.admin("campaign", "grant", "K1", "sup").assertOk();
        acme.upload("K1", acme.encrypt("a.csv", Controller.utf8(ResultsFlowTest.LIST), true, false, -1), "a.csv.gpg");
        Path local = home.resolve("l.csv");
        gw.sftp("dial", "get /K1/lists/K1-0001.csv " + local + "\n").assertOk();
        Map<String, String> ids = ResultsFlowTest.ids(Files.readAllBytes(local));
        Path res = home.resolve("r.csv");
        Files.writeString(res, "record_id;outcome;product;start_date;invoice_due_date;offer_sent\n"
                + ids.get("+358401230001") + ";order;Lehti;2026-03-01;2026-03-15;yes\n"
                + ids.get("+358401230002") + ";order;Kirja;2026-03-01;2026-03-15;no\n"
                + ids.get("+358401230004") + ";call_ban;;;;\n");
        gw.sftp("dial", "put " + res + " /K1/results/r.csv\n").assertOk();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> !gw.callgate().audit().find("results.processed", "/K1/results/r.csv").isEmpty());

        gw.faults = (stage, id) -> {
            if (stage.equals(where)) {
                throw new SimulatedCrash(stage);
            }
        };
        assertThat(gw.ssh("sup", "campaign", "export", "K1").exit()).isNotZero();
        gw.faults = fi.callgate.gateway.support.StageFaults.NONE;
        gw.restart();

        List<String> files = outbox();
        assertThat(files.stream().filter(f -> f.startsWith("orders-K1-"))).hasSize(1);
        gw.ssh("sup", "campaign", "export", "K1").assertOk();
        assertThat(gw.ssh("sup", "campaign", "export", "K1").assertOk().out()).contains("nothing to export");
        files = outbox();
        assertThat(files.stream().filter(f -> f.startsWith("orders-K1-"))).hasSize(1);
        assertThat(files.stream().filter(f -> f.startsWith("callbans-K1-"))).hasSize(1);
        assertThat(files).noneMatch(f -> f.startsWith(".tmp-"));
        String orders = files.stream().filter(f -> f.startsWith("orders-K1-")).findFirst().orElseThrow();
        String text = acme.fetchAndDecrypt("K1", orders).requireOk().stdoutText();
        assertThat(text.lines().count()).isEqualTo(3);
        assertThat(text.lines().filter(l -> l.startsWith(ids.get("+358401230001") + ";"))).hasSize(1);
        assertThat(text.lines().filter(l -> l.startsWith(ids.get("+358401230002") + ";"))).hasSize(1);
        String bans = files.stream().filter(f -> f.startsWith("callbans-K1-")).findFirst().orElseThrow();
        assertThat(acme.fetchAndDecrypt("K1", bans).requireOk().stdoutText().lines().count()).isEqualTo(2);
        assertThat(gw.callgate().audit().find("export.published", "/K1/outbox/" + orders)).hasSize(1);
    }

    List<String> outbox() throws Exception {
        try (Stream<Path> s = Files.list(gw.dataDir.resolve("sftp/K1/outbox"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".report.csv.gpg")).sorted().toList();
        }
    }
}
