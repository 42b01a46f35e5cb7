package fi.callgate.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defender on a running gateway with OpenSSH: three failed logins from one source ban it (even the
 * right key is refused, the ban and the refusals are audited and counted), and the ban expires.
 * Different loopback addresses (127.0.0.x, {@code ssh -b}) act as separate sources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefenderIntegrationTest {
    @TempDir
    static Path home;
    TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_DEFENDER_THRESHOLD", "3", "CALLGATE_DEFENDER_BAN_TIME", "PT30S"));
        gw.account("dialer1", "dialer", null);
        gw.newKey("stranger");
    }

    @AfterAll
    void tearDown() {
        gw.close();
    }

    /** OpenSSH sftp as {@code user} with {@code keyOf}'s key, from a chosen loopback source. */
    private Proc.Result sftpAs(String user, String keyOf, String source) {
        List<String> cmd = new ArrayList<>(List.of("sftp", "-P", String.valueOf(gw.port()), "-b", "-"));
        cmd.addAll(gw.clientOptions(keyOf));
        cmd.addAll(Arrays.asList("-o", "BindAddress=" + source));
        cmd.add(user + "@127.0.0.1");
        return Proc.run(gw.home, "pwd\n", cmd);
    }

    private long failedLogins(String user) {
        return gw.callgate().audit().find("login", user).stream()
                .filter(e -> e.event().action().equals("login") && e.event().outcome() == AuditEvent.Outcome.FAILED)
                .count();
    }

    private double authFailures() {
        return gw.callgate().registry().get("callgate_auth_failures").counter().count();
    }

    @Test
    void threeFailuresBanTheSourceEvenForTheRightKeyUntilTheBanExpires() {
        String source = "127.0.0.2";
        double failuresBefore = authFailures();
        sftpAs("dialer1", "dialer1", source).assertOk();
        for (int i = 1; i <= 3; i++) {
            assertThat(sftpAs("dialer1", "stranger", source).exit()).isNotZero();
            int n = i;
            // The failure is scored when the server closes the session: wait so attempts are counted in order.
            await().atMost(Duration.ofSeconds(5)).until(() -> failedLogins("dialer1") >= n);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !gw.callgate().audit().find("login.ban", source).isEmpty());
        assertThat(gw.callgate().audit().find("login.ban", source).get(0).event().detail()).contains("banned until");
        assertThat(authFailures() - failuresBefore).isGreaterThanOrEqualTo(3);
        assertThat(gw.callgate().registry().scrape()).contains("callgate_auth_failures_total");

        Proc.Result banned = sftpAs("dialer1", "dialer1", source);
        assertThat(banned.exit()).as("right key from a banned source").isNotZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gw.callgate().audit().find("login.banned", source).isEmpty());
        assertThat(gw.callgate().audit().find("login.banned", source).get(0).event().outcome())
                .isEqualTo(AuditEvent.Outcome.DENIED);
        // Another source is not affected.
        sftpAs("dialer1", "dialer1", "127.0.0.3").assertOk();

        gw.clock.advance(Duration.ofSeconds(20));
        assertThat(sftpAs("dialer1", "dialer1", source).exit()).as("still banned after 20 s").isNotZero();
        gw.clock.advance(Duration.ofSeconds(11));
        assertThat(sftpAs("dialer1", "dialer1", source).assertOk().out()).contains("Remote working directory");
    }

    @Test
    void unknownUserAndKnownUserWithAWrongKeyFailAlike() {
        // Separate sources so neither series reaches the threshold.
        long[] unknown = new long[2];
        long[] known = new long[2];
        Proc.Result u = null;
        Proc.Result k = null;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            u = sftpAs("nosuchuser", "stranger", "127.0.0.10");
            unknown[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            k = sftpAs("dialer1", "stranger", "127.0.0.11");
            known[i] = System.nanoTime() - t0;
        }
        assertThat(u.exit()).isEqualTo(k.exit()).isNotZero();
        assertThat(u.err().replace("nosuchuser", "USER")).isEqualTo(k.err().replace("dialer1", "USER"));
        await().atMost(Duration.ofSeconds(5)).until(() -> failedLogins("nosuchuser") >= 2);
        assertThat(gw.callgate().audit().find("login", "nosuchuser").get(0).event().detail())
                .isEqualTo(gw.callgate().audit().find("login", "dialer1").stream()
                        .filter(e -> e.event().outcome() == AuditEvent.Outcome.FAILED).findFirst().orElseThrow()
                        .event().detail());
        System.out.printf("failed login wall time (ms, incl. process start): unknown user %s, known user %s%n",
                Arrays.toString(Arrays.stream(unknown).map(n -> n / 1_000_000).toArray()),
                Arrays.toString(Arrays.stream(known).map(n -> n / 1_000_000).toArray()));
    }
}
