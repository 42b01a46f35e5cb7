package fi.callgate.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.MinaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional passwords: set by an admin on stdin, usable with a Java SSH client (OpenSSH cannot script a
 * password without a tty), never for admins, never for an account without one, stored only as Argon2id
 * PHC. Each test logs in from its own loopback address so the defender's per-source count stays apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordLoginTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path home;
    TestGateway gw;
    SshClient client;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_DEFENDER_THRESHOLD", "3"));
        gw.account("sup1", "supervisor", null);
        gw.account("sup2", "supervisor", null);
        gw.account("dialer1", "dialer", null);
        gw.sshIn("it-admin", PASSWORD + "\n", "account", "password", "sup1").assertOk();
        gw.sshIn("it-admin", PASSWORD + "\n", "account", "password", "sup2").assertOk();
        client = MinaClients.client(c -> c.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE)));
    }

    @AfterAll
    void tearDown() throws IOException {
        client.close();
        gw.close();
    }

    private boolean passwordLogin(String user, String password, String source) throws IOException {
        try (ClientSession s = MinaClients.connectFrom(client, user, gw.port(), source)) {
            s.addPasswordIdentity(password);
            return MinaClients.tryAuth(s);
        }
    }

    @Test
    void theRightPasswordLogsInAndAWrongOneDoesNot() throws Exception {
        assertThat(passwordLogin("sup1", PASSWORD, "127.0.0.31")).isTrue();
        assertThat(passwordLogin("sup1", PASSWORD + "x", "127.0.0.32")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gw.callgate().audit().find("login.password", "sup1").isEmpty());
        assertThat(gw.callgate().audit().find("login", "sup1").stream()
                .anyMatch(e -> e.event().action().equals("login") && e.event().detail().contains("key=password")))
                .isTrue();
    }

    @Test
    void anAdminCannotGetAPassword() {
        Proc.Result r = gw.sshIn("it-admin", PASSWORD + "\n", "account", "password", "it-admin");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err() + r.out()).contains("admins log in with keys only");
        assertThat(passwordHash("it-admin")).isNull();
    }

    @Test
    void anAccountWithoutAPasswordCannotLogInByPasswordNotEvenWithTheDummyHashsPassword() throws Exception {
        assertThat(passwordHash("dialer1")).isNull();
        assertThat(passwordLogin("dialer1", PASSWORD, "127.0.0.41")).isFalse();
        // Unknown users and accounts without a password are checked against a dummy hash of this text.
        assertThat(passwordLogin("dialer1", "not-a-password", "127.0.0.42")).isFalse();
        assertThat(passwordLogin("nosuchuser", "not-a-password", "127.0.0.43")).isFalse();
        assertThat(passwordLogin("it-admin", "not-a-password", "127.0.0.44")).isFalse();
    }

    @Test
    void aShortPasswordIsRefused() {
        assertThat(gw.sshIn("it-admin", "short\n", "account", "password", "dialer1").exit()).isNotZero();
        assertThat(passwordHash("dialer1")).isNull();
    }

    @Test
    void passwordsAreStoredOnlyAsArgon2idPhcAndNowhereInPlainText() throws Exception {
        String hash = passwordHash("sup1");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=65536,t=3,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}")
                .doesNotContain(PASSWORD);
        assertThat(passwordHash("sup2")).isNotEqualTo(hash); // salted
        byte[] needle = PASSWORD.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(gw.dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(indexOf(Files.readAllBytes(f), needle)).as(f.toString()).isNegative();
            }
        }
    }

    @Test
    void guessingOneAccountsPasswordFromManySourcesBlocksItsPasswordButNotItsKey() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(passwordLogin("sup2", "wrong password " + i, "127.0.0.5" + i)).isFalse();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gw.callgate().audit().find("login", "sup2").stream()
                .filter(e -> e.event().action().equals("login")).count() >= 3);
        assertThat(passwordLogin("sup2", PASSWORD, "127.0.0.55")).as("right password, account blocked").isFalse();
        SshClient keys = MinaClients.client(c -> c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE)));
        try (keys; ClientSession s = MinaClients.connectFrom(keys, "sup2", gw.port(), "127.0.0.56")) {
            s.addPublicKeyIdentity(MinaClients.key(gw.newKey("sup2")));
            assertThat(MinaClients.tryAuth(s)).as("key login still works").isTrue();
        }
        gw.clock.advance(Duration.ofMinutes(16)); // default ban time PT15M
        assertThat(passwordLogin("sup2", PASSWORD, "127.0.0.57")).as("after the block expired").isTrue();
    }

    private String passwordHash(String name) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM account WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getString(1);
                }
            }
        });
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
