package fi.callgate.gateway.flow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.ListExchange;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.SimulatedCrash;
import fi.callgate.gateway.support.StageFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two uploads of the same bytes with the pipeline killed around the repeat decision, then restarted:
 * exactly one of them is processed (one dialer list, one accepted report), the other is reported as its
 * repeat — never both processed, never both skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepeatedUploadCrashTest {
    static final String LIST = "first_name;last_name;phone;source\nAino;Aaltonen;0401000001;Messut\n";
    @TempDir
    static Path home;
    ListExchange exchange;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        exchange = ListExchange.start(home);
        gw = exchange.gw;
        acme = exchange.acme;
    }

    @AfterAll
    void tearDown() {
        exchange.close();
    }

    /** Killed right after each copy claimed (or found claimed) its content, or after the first was decrypted. */
    @ParameterizedTest(name = "killed after {0}")
    @ValueSource(strings = {"content-claimed", "decrypt"})
    void exactlyOneOfTwoCopiesIsProcessed(String stage) throws Exception {
        campaign = "K" + stage.length();
        exchange.campaign(campaign);
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        // after the claim: both copies stopped; after decrypt: only the first (the second's decision is a
        // "decrypt" step as well, and is to be seen happening while the first is stuck)
        boolean both = stage.equals("content-claimed");
        gw.faults = (s, id) -> {
            if (s.equals(stage) && (both || stopped.isEmpty() || stopped.contains(id))) {
                stopped.add(id);
                throw new SimulatedCrash(s);
            }
        };
        Path file = acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1);
        gw.sftp(acme.account, "put " + file + " /" + campaign + "/inbox/first.csv.gpg\n").assertOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> stopped.contains(idOf("first.csv.gpg")));
        gw.sftp(acme.account, "put " + file + " /" + campaign + "/inbox/second.csv.gpg\n").assertOk();
        if (stage.equals("content-claimed")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stopped.contains(idOf("second.csv.gpg")));
            assertThat(stateOf("second.csv.gpg")).isEqualTo("RECEIVED");
        } else {
            // the second copy is decided at once: the first holds the claim even while it is stuck
            await().atMost(Duration.ofSeconds(30)).until(() -> stateOf("second.csv.gpg").equals("REJECTED"));
        }

        gw.faults = StageFaults.NONE;
        gw.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf("first.csv.gpg").equals("ACCEPTED")
                && stateOf("second.csv.gpg").equals("REJECTED"));
        assertThat(acme.report(campaign, "first.csv.gpg")).contains(";rows_accepted;1");
        assertThat(acme.report(campaign, "second.csv.gpg")).contains("REPEATED_UPLOAD").contains("first.csv.gpg");
        try (Stream<Path> lists = Files.list(gw.dataDir.resolve("sftp/" + campaign + "/lists"))) {
            assertThat(lists.filter(p -> p.getFileName().toString().endsWith(".csv"))).hasSize(1);
        }
    }

    private String campaign;

    private String stateOf(String name) {
        return column("state", name);
    }

    private String idOf(String name) {
        return column("id", name);
    }

    private String column(String column, String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM upload WHERE original_name = ?"
                    + " AND campaign = ?")) {
                ps.setString(1, name);
                ps.setString(2, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "";
                }
            }
        });
    }
}
