package fi.callgate.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.boot.ConfigException;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EEA-only rule for data-dir: locations outside the EEA (the UK, Switzerland and their cloud regions)
 * and unknown codes are refused at start, and — when the configuration is changed while running — at the
 * very next write, before any byte of it. The upload then waits, unprocessed and unlost, until the
 * location is corrected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageLocationTest {
    static final String[] REFUSED = {"GB", "CH", "eu-west-2", "europe-west6", "switzerlandnorth", "mars-east-1"};
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home.resolve("running"), Map.of("CALLGATE_STORAGE_LOCATION", "europe-north1"));
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme <lists@acme.example>");
        acme.keyFor("C1");
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @ParameterizedTest(name = "start refused with storage.location {0}")
    @ValueSource(strings = {"GB", "CH", "eu-west-2", "europe-west6", "switzerlandnorth", "mars-east-1"})
    void startIsRefused(String location) throws Exception {
        Path dir = home.resolve("start-" + location);
        assertThatThrownBy(() -> TestGateway.start(dir, Map.of("CALLGATE_STORAGE_LOCATION", location)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config storage.location:");
        assertThat(Files.exists(dir.resolve("data"))).as("nothing written").isFalse();
    }

    @Test
    void aLocationChangedWhileRunningIsRefusedAtTheNextWrite() throws Exception {
        int n = 0;
        for (String location : REFUSED) {
            gw.reload("CALLGATE_STORAGE_LOCATION", location);
            String name = "while-" + location + ".gpg";
            Path file = acme.encrypt("l.csv", Controller.utf8("first_name;last_name;phone;source\nA;B;0401234567;x\n"),
                    false, false, -1);
            gw.sftp(acme.account, "put " + file + " /C1/inbox/" + name + "\n").assertOk();
            int expected = ++n;
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    gw.callgate().audit().find("storage.refused", null).size() >= expected);
            assertThat(gw.callgate().audit().find("upload.processed", "/C1/inbox/" + name)).isEmpty();
            assertThat(gw.callgate().records().count("C1")).isZero();
        }
        assertThat(gw.callgate().registry().get("callgate_storage_refusals").counter().count())
                .isGreaterThanOrEqualTo(REFUSED.length);
        // Corrected: the parked uploads go through, none lost.
        gw.reload("CALLGATE_STORAGE_LOCATION", "FI");
        gw.callgate().intake().resumeUnfinished();
        for (String location : REFUSED) {
            acme.awaitProcessed("C1", "while-" + location + ".gpg");
        }
        assertThat(gw.callgate().records().count("C1")).isEqualTo(REFUSED.length);
    }
}
