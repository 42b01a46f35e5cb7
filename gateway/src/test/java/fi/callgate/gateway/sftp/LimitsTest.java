package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.boot.ConfigException;
import fi.callgate.gateway.boot.ConfigLoader;
import fi.callgate.gateway.support.MinaClients;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource limits on a running gateway, each with its own configuration (the defender off, so that
 * the deliberate failures here do not ban 127.0.0.1): auth attempts, auth timeout, sessions per source
 * and per account, hard session age, identification-line cap, and no keyboard-interactive.
 */
class LimitsTest {
    @TempDir
    Path home;

    private TestGateway start(String... kv) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("CALLGATE_DEFENDER_ENABLED", "false"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return TestGateway.start(home, env);
    }

    private static ClientSession keyLogin(SshClient client, TestGateway gw, String person) throws IOException {
        ClientSession s = MinaClients.connect(client, person, gw.port());
        s.addPublicKeyIdentity(MinaClients.key(gw.newKey(person)));
        return s;
    }

    @Test
    void moreThanSixAuthAttemptsAreCutOffAndCannotBeConfigured() throws Exception {
        try (TestGateway gw = start()) {
            gw.account("sup1", "supervisor", null);
            SshClient client = MinaClients.client(c -> c.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE)));
            try (client; ClientSession s = MinaClients.connect(client, "sup1", gw.port())) {
                for (int i = 1; i <= 7; i++) {
                    s.addPasswordIdentity("wrong password number " + i);
                }
                assertThat(MinaClients.tryAuth(s)).isFalse();
                s.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), MinaClients.WAIT);
                assertThat(s.isOpen()).isFalse();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !gw.callgate().audit().find("login", "sup1").stream()
                    .filter(e -> e.event().action().equals("login")).toList().isEmpty());
            long tried = gw.callgate().audit().find("login.password", "sup1").size();
            System.out.println("password attempts that reached the server: " + tried);
            assertThat(tried).isBetween(1L, 6L);
        }
        Map<String, String> env = new HashMap<>(Map.of("CALLGATE_DATA_DIR", home.resolve("x").toString(),
                "CALLGATE_SFTP_MAX_AUTH_ATTEMPTS", "7"));
        assertThatThrownBy(() -> ConfigLoader.load(null, env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sftp.max-auth-attempts");
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsDroppedAtTheAuthTimeout() throws Exception {
        try (TestGateway gw = start("CALLGATE_SFTP_AUTH_TIMEOUT", "PT2S")) {
            long t0 = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", gw.port())) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write("SSH-2.0-silent_probe\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String banner = drainUntilClosed(socket.getInputStream());
                assertThat(banner).startsWith("SSH-2.0-Callgate");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("silent connection dropped after " + ms + " ms");
            assertThat(ms).isBetween(1_500L, 4_500L);
        }
    }

    @Test
    void anOverlongIdentificationLineIsDisconnected() throws Exception {
        try (TestGateway gw = start()) {
            long t0 = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", gw.port())) {
                socket.setSoTimeout(15_000);
                String line = "SSH-2.0-" + "a".repeat(2000) + "\r\n";
                try {
                    socket.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the server may close while we are still writing
                }
                drainUntilClosed(socket.getInputStream());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("2000-byte identification line: disconnected after " + ms + " ms");
            assertThat(ms).isLessThan(5_000L);
            // The server still serves others.
            gw.admin("help").assertOk();
        }
    }

    @Test
    void aThirdConcurrentSessionFromOneSourceIsClosed() throws Exception {
        try (TestGateway gw = start("CALLGATE_SFTP_MAX_SESSIONS_PER_IP", "2")) {
            gw.account("dialer1", "dialer", null);
            gw.account("dialer2", "dialer", null);
            gw.account("dialer3", "dialer", null);
            SshClient client = MinaClients.client(c -> { });
            try (client; ClientSession a = keyLogin(client, gw, "dialer1");
                 ClientSession b = keyLogin(client, gw, "dialer2")) {
                assertThat(MinaClients.tryAuth(a)).isTrue();
                assertThat(MinaClients.tryAuth(b)).isTrue();
                // Refused either way: closed before the client had its session, or before it could log in.
                try (ClientSession c = keyLogin(client, gw, "dialer3")) {
                    assertThat(MinaClients.tryAuth(c)).as("third session from 127.0.0.1").isFalse();
                } catch (org.apache.sshd.common.SshException closedAtOnce) {
                    assertThat(closedAtOnce).hasMessageContaining("No session attached");
                }
                assertThat(gw.callgate().audit().find("session.limit", "127.0.0.1")).isNotEmpty();
                a.close(false).await(MinaClients.WAIT);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    try (ClientSession d = keyLogin(client, gw, "dialer3")) {
                        assertThat(MinaClients.tryAuth(d)).as("a slot is free again").isTrue();
                    }
                });
            }
        }
    }

    @Test
    void aSecondSessionOfOneAccountOverItsCapIsRefused() throws Exception {
        try (TestGateway gw = start("CALLGATE_SFTP_MAX_SESSIONS_PER_ACCOUNT", "1")) {
            gw.account("dialer1", "dialer", null);
            gw.account("dialer2", "dialer", null);
            SshClient client = MinaClients.client(c -> { });
            try (client; ClientSession a = keyLogin(client, gw, "dialer1")) {
                assertThat(MinaClients.tryAuth(a)).isTrue();
                try (ClientSession b = keyLogin(client, gw, "dialer1")) {
                    assertThat(MinaClients.tryAuth(b) && b.isOpen()).as("second dialer1 session").isFalse();
                }
                try (ClientSession other = keyLogin(client, gw, "dialer2")) {
                    assertThat(MinaClients.tryAuth(other)).as("another account").isTrue();
                }
                assertThat(a.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aBusySessionIsClosedAtTheHardMaximumAge() throws Exception {
        try (TestGateway gw = start("CALLGATE_SFTP_MAX_SESSION_AGE", "PT2S")) {
            gw.account("dialer1", "dialer", null);
            SshClient client = MinaClients.client(c -> CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, Duration.ofMillis(200)));
            long t0 = System.nanoTime();
            try (client; ClientSession s = keyLogin(client, gw, "dialer1")) {
                assertThat(MinaClients.tryAuth(s)).isTrue();
                var events = s.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofSeconds(10));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("session with keepalives closed after " + ms + " ms");
                assertThat(events).contains(ClientSessionEvent.CLOSED);
                assertThat(ms).isBetween(1_500L, 5_000L);
            }
        }
    }

    @Test
    void keyboardInteractiveIsNeverOffered() throws Exception {
        try (TestGateway gw = start()) {
            gw.newKey("stranger");
            Proc.Result r = gw.sshWith("stranger", List.of("-vvv"), null, "help");
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("Authentications that can continue: publickey,password")
                    .doesNotContain("keyboard-interactive,").doesNotContain(",keyboard-interactive");
        }
    }

    private static String drainUntilClosed(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException reset) {
            // a reset is a disconnect too
        }
        return sb.toString();
    }
}
