package fi.callgate.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.accounts.PreAuthBudget.Decision;
import fi.callgate.gateway.accounts.PreAuthBudget.Limits;
import fi.callgate.gateway.boot.ConfigException;
import fi.callgate.gateway.boot.ConfigLoader;
import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.TestGateway;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that have not authenticated have their own, smaller budget (#14 item 6): silent
 * connections from several sources no longer take the slots of people who log in, and the budget drops
 * new connections early and at random the way OpenSSH's MaxStartups does.
 */
class PreAuthBudgetTest {
    @TempDir
    Path home;

    /**
     * Three sources × ten silent connections with a total cap of ten sessions: before the budget the
     * thirty connections filled the cap and a legitimate key login from a fourth source was refused.
     */
    @Test
    void silentConnectionsFromSeveralSourcesDoNotStopAKeyLogin() throws Exception {
        try (TestGateway gw = TestGateway.start(home, Map.of("CALLGATE_DEFENDER_ENABLED", "false",
                "CALLGATE_SFTP_MAX_SESSIONS", "10", "CALLGATE_SFTP_MAX_SESSIONS_PER_IP", "10",
                "CALLGATE_SFTP_MAX_STARTUPS", "20:30:40", "CALLGATE_SFTP_MAX_STARTUPS_PER_IP", "4"))) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (String source : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
                    for (int i = 0; i < 10; i++) {
                        Socket s = new Socket();
                        s.bind(new InetSocketAddress(source, 0));
                        s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
                        silent.add(s);
                    }
                }
                // Each source keeps 4 connections waiting; its other 6 were refused at once.
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(metric(gw, "callgate_sftp_preauth_connections", "")).isEqualTo(12.0);
                    assertThat(metric(gw, "callgate_sftp_preauth_refused_total", "reason=\"source_full\""))
                            .isEqualTo(18.0);
                });
                assertThat(gw.callgate().audit().find("session.limit", "127.0.0.3")).hasSize(6);

                gw.admin("help").assertOk();
                gw.sftp("it-admin", "pwd\n").assertOk();
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(metric(gw, "callgate_sftp_preauth_connections", "")).isZero());
        }
    }

    /** Connections that sit out the auth timeout without naming a user count as failures of their source. */
    @Test
    void connectionsHeldUntilTheAuthTimeoutGetTheirSourceBanned() throws Exception {
        try (TestGateway gw = TestGateway.start(home, Map.of("CALLGATE_SFTP_AUTH_TIMEOUT", "PT1S",
                "CALLGATE_DEFENDER_THRESHOLD", "3"))) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress("127.0.0.9", 0));
                    s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
                    silent.add(s);
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(gw.callgate().audit().find("login.ban", "127.0.0.9")).hasSize(1));
                assertThat(gw.callgate().audit().find("login", "-")).extracting(e -> e.event().detail())
                        .contains("connection held until the authentication timeout without naming a user");
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            gw.admin("help").assertOk(); // another source is not affected
        }
    }

    @Test
    void fromStartOnNewConnectionsAreDroppedWithARisingProbabilityAndAllAtFull() {
        AtomicReference<Double> dice = new AtomicReference<>(0.0);
        PreAuthBudget budget = new PreAuthBudget(new Limits(2, 50, 4, 10), dice::get);
        assertThat(budget.admit("a")).isEqualTo(Decision.ADMITTED);
        assertThat(budget.admit("b")).isEqualTo(Decision.ADMITTED);
        // 2 pending = start: refused with probability 50%.
        dice.set(0.49);
        assertThat(budget.admit("c")).isEqualTo(Decision.EARLY_DROP);
        dice.set(0.51);
        assertThat(budget.admit("c")).isEqualTo(Decision.ADMITTED);
        // 3 pending: 75%.
        dice.set(0.74);
        assertThat(budget.admit("d")).isEqualTo(Decision.EARLY_DROP);
        dice.set(0.76);
        assertThat(budget.admit("d")).isEqualTo(Decision.ADMITTED);
        // 4 pending = full: always refused, whatever the dice say.
        dice.set(0.999);
        assertThat(budget.admit("e")).isEqualTo(Decision.FULL);
        budget.release("a");
        dice.set(0.0);
        assertThat(budget.pending()).isEqualTo(3);
        assertThat(budget.admit("e")).isEqualTo(Decision.EARLY_DROP);
    }

    @Test
    void oneSourceCannotHoldMoreThanItsShare() {
        PreAuthBudget budget = new PreAuthBudget(new Limits(100, 30, 200, 2), () -> 0.0);
        assertThat(budget.admit("x")).isEqualTo(Decision.ADMITTED);
        assertThat(budget.admit("x")).isEqualTo(Decision.ADMITTED);
        assertThat(budget.admit("x")).isEqualTo(Decision.SOURCE_FULL);
        assertThat(budget.admit("y")).isEqualTo(Decision.ADMITTED);
        budget.release("x");
        assertThat(budget.admit("x")).isEqualTo(Decision.ADMITTED);
    }

    @Test
    void badMaxStartupsIsRefusedNamingTheKey() {
        for (String bad : List.of("10:30", "30:10:20", "10:130:60", "x", "0:30:10")) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CALLGATE_SFTP_MAX_STARTUPS", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("sftp.max-startups");
        }
    }

    private static double metric(TestGateway gw, String name, String labels) {
        return MetricsScrape.fetch(gw.callgate().managementPort()).samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().contains(labels))
                .mapToDouble(MetricsScrape.Sample::value).sum();
    }
}
