package fi.callgate.gateway.flow.intake;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pipeline stopped between each pair of stages, as a kill would stop it, then restarted: every
 * upload ends processed exactly once — one final state, one report, the right number of records — and
 * nothing partial is ever visible.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineCrashTest {
    static final String LIST = "first_name;last_name;phone;source\n"
            + "Aino;Aaltonen;0401000001;Messut\nBertta;Berg;0401000002;Messut\nCecilia;Cajander;0401000003;Messut\n";
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme <lists@acme.example>");
        acme.keyFor("C1");
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @ParameterizedTest(name = "killed after {0}, found in state {1}")
    @CsvSource({"decrypt, DECRYPTED", "validate-parts, DECRYPTED", "validate-list, DECRYPTED",
            "validate-index, DECRYPTED", "validate, VALIDATED", "store, STORED", "report-audited, LOADED", "report, ACCEPTED"})
    void aKillBetweenStagesNeitherLosesNorDuplicates(String stage, String stateAfter) throws Exception {
        String name = "crash-after-" + stage + ".csv.gpg";
        gw.faults = (s, id) -> {
            if (s.equals(stage)) {
                throw new SimulatedCrash(s);
            }
        };
        Path file = acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1);
        gw.sftp(acme.account, "put " + file + " /C1/inbox/" + name + "\n").assertOk();
        // LOADED is recorded by dialer-load, before the report stage has run up to its kill: wait for the audit too
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(name).equals(stateAfter)
                && (!stage.equals("report-audited")
                        || !gw.callgate().audit().find("upload.processed", "/C1/inbox/" + name).isEmpty()));
        assertThat(reportsFor(name)).isLessThanOrEqualTo(1);
        // Nothing half-done is visible: before the store stage no record of the list, after it all three.
        long visible = gw.callgate().records().activeRecords(idOf(name)).count();
        assertThat(visible).isEqualTo(stage.equals("decrypt") || stage.startsWith("validate") ? 0 : 3);
        if (stage.equals("report-audited")) {
            // Report out and upload audited, final state not yet recorded: the re-run must not audit it again.
            assertThat(reportsFor(name)).isEqualTo(1);
            assertThat(gw.callgate().audit().find("upload.processed", "/C1/inbox/" + name)).hasSize(1);
        } else if (!stateAfter.equals("ACCEPTED")) {
            assertThat(reportsFor(name)).isZero();
        }

        gw.faults = StageFaults.NONE;
        gw.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(name).equals("ACCEPTED"));
        assertThat(gw.callgate().audit().find("upload.processed", "/C1/inbox/" + name)).hasSize(1);
        assertThat(reportsFor(name)).isEqualTo(1);
        assertThat(acme.report("C1", name)).contains(";rows_accepted;3");
        assertThat(countRows("SELECT COUNT(*) FROM upload WHERE original_name = ?", name)).isEqualTo(1);
        assertThat(gw.callgate().records().activeRecords(idOf(name)).count()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> Controller.spoolEmpty(gw.dataDir));
    }

    private String stateOf(String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM upload WHERE original_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "";
                }
            }
        });
    }

    private String idOf(String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM upload WHERE original_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private long countRows(String sql, String param) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private long reportsFor(String name) throws Exception {
        try (Stream<Path> files = Files.list(gw.dataDir.resolve("sftp/C1/outbox"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(name)).count();
        }
    }
}
