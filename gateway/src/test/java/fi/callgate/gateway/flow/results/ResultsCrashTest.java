package fi.callgate.gateway.flow.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.SimulatedCrash;
import fi.callgate.gateway.support.StageFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A results file stopped at each recorded step of its processing, as a kill would stop it, then resumed by a
 * restart: it ends ACCEPTED with exactly one {@code results.processed} audit entry. Regression: the entry
 * used to be written after the final state, so a kill between the two left a processed upload that was
 * never audited (the lifecycle crash harness found it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsCrashTest {
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    Map<String, String> ids;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("dial", "dialer", null);
        gw.admin("campaign", "add", "X1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme.keyFor("X1");
        gw.admin("campaign", "grant", "X1", "dial").assertOk();
        acme.upload("X1", acme.encrypt("a.csv", Controller.utf8(ResultsFlowTest.LIST), true, false, -1), "a.csv.gpg");
        Path local = home.resolve("l.csv");
        gw.sftp("dial", "get /X1/lists/X1-0001.csv " + local + "\n").assertOk();
        ids = ResultsFlowTest.ids(Files.readAllBytes(local));
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"results-store", "results-audited", "results-report"})
    void aKillAtEachStepIsResumedAndAuditedOnce(String step) throws Exception {
        String name = "after-" + step + ".csv";
        String target = "/X1/results/" + name;
        gw.faults = (s, id) -> {
            if (s.equals(step)) {
                throw new SimulatedCrash(s);
            }
        };
        Path res = home.resolve(name);
        Files.writeString(res, "record_id;outcome\n" + ids.get("+358401230002") + ";callback\n");
        gw.sftp("dial", "put " + res + " " + target + "\n").assertOk();
        String expected = switch (step) {
            case "results-report" -> "ACCEPTED";
            default -> "STORED";
        };
        await().atMost(Duration.ofSeconds(30)).until(() -> state(name).equals(expected));
        gw.faults = StageFaults.NONE;
        gw.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(name).equals("ACCEPTED"));
        assertThat(gw.callgate().audit().find("results.processed", target)).hasSize(1);
        assertThat(gw.callgate().audit().find("results.processed", target).get(0).event().detail())
                .contains("rows_accepted=1");
        assertThat(gw.dataDir.resolve("sftp/X1/reports/" + name + ".report.csv")).exists();
    }

    private String state(String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM upload WHERE original_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "";
                }
            }
        });
    }
}
