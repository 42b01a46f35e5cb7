package fi.callgate.gateway.support;

import fi.callgate.gateway.boot.Callgate;
import fi.callgate.gateway.boot.CallgateConfig;
import fi.callgate.gateway.boot.ConfigLoader;
import fi.callgate.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Callgate on an ephemeral port in a temporary directory, with a bootstrap admin, driven by the
 * real OpenSSH {@code ssh} and {@code sftp} binaries. Each person gets a fresh Ed25519 key from
 * {@code ssh-keygen}.
 */
public final class TestGateway implements AutoCloseable {
    public final Path home;
    public final Path dataDir;
    public final MutableClock clock = new MutableClock();
    /** What happens between pipeline stages; tests set it to simulate a crash. */
    public volatile StageFaults faults = StageFaults.NONE;
    private final Map<String, String> env;
    /** What happens at the shredder's steps; tests set it to simulate a crash. */
    public volatile ShredFaults shredFaults = ShredFaults.NONE;
    /** What data-subject erasures reach (block list, dialer lists, exports); test doubles go here. */
    private final fi.callgate.dsar.DsarHooks dsarHooks;
    private Callgate callgate;

    private TestGateway(Path home, Map<String, String> extraEnv) throws Exception {
        this(home, extraEnv, null);
    }

    private TestGateway(Path home, Map<String, String> extraEnv, fi.callgate.dsar.DsarHooks dsarHooks)
            throws Exception {
        this.home = home;
        this.dsarHooks = dsarHooks;
        this.dataDir = home.resolve("data");
        Files.createDirectories(home.resolve("people"));
        Path adminKey = newKey("it-admin");
        env = new HashMap<>();
        env.put("CALLGATE_DATA_DIR", dataDir.toString());
        env.put("CALLGATE_MASTER_KEY_FILE", home.resolve("secrets/master.key").toString());
        env.put("CALLGATE_SFTP_HOST", "127.0.0.1");
        env.put("CALLGATE_SFTP_PORT", "0");
        env.put("CALLGATE_MANAGEMENT_PORT", "0");
        env.put("CALLGATE_BOOTSTRAP_ADMIN_NAME", "it-admin");
        env.put("CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY", Files.readString(Path.of(adminKey + ".pub")).strip());
        env.putAll(extraEnv);
        start();
    }

    public static TestGateway start(Path home) throws Exception {
        return new TestGateway(home, Map.of());
    }

    public static TestGateway start(Path home, Map<String, String> env) throws Exception {
        return new TestGateway(home, env);
    }

    public static TestGateway start(Path home, Map<String, String> env, fi.callgate.dsar.DsarHooks dsarHooks)
            throws Exception {
        return new TestGateway(home, env, dsarHooks);
    }

    public void start() throws Exception {
        CallgateConfig config = ConfigLoader.load(null, env);
        callgate = Callgate.start(config, clock, KillPoints.extensions(() -> faults, () -> shredFaults, dsarHooks));
    }

    /** Changes a configuration value as an operator would, then sends the gateway the equivalent of SIGHUP. */
    public void reload(String envName, String value) {
        env.put(envName, value);
        callgate.reload(ConfigLoader.load(null, env));
    }

    /** Sets a configuration value for the next start. */
    public void set(String envName, String value) {
        env.put(envName, value);
    }

    /** Stops and starts again on the same data (a new port). */
    public void restart() throws Exception {
        callgate.close();
        start();
    }

    public Callgate callgate() {
        return callgate;
    }

    public int port() {
        return callgate.sshPort();
    }

    /** A new Ed25519 key pair for a person; returns the private key path. */
    public Path newKey(String person) {
        Path key = home.resolve("people").resolve(person);
        if (!Files.exists(key)) {
            Proc.run(null, null, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", person + "@test",
                    "-f", key.toString())).assertOk();
        }
        return key;
    }

    public String publicKey(String person) {
        try {
            return Files.readString(Path.of(newKey(person) + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an account through the admin's SSH commands, with a fresh key. */
    public void account(String name, String role, String org) {
        List<String> args = new ArrayList<>(List.of("account", "add", name, "--role", role));
        if (org != null) {
            args.addAll(List.of("--org", org));
        }
        admin(args.toArray(String[]::new)).assertOk();
        sshIn("it-admin", publicKey(name), "account", "key", name).assertOk();
    }

    public Proc.Result admin(String... args) {
        return ssh("it-admin", args);
    }

    public Proc.Result ssh(String person, String... args) {
        return sshIn(person, null, args);
    }

    public Proc.Result sshIn(String person, String stdin, String... args) {
        return sshWith(person, List.of(), stdin, args);
    }

    /** ssh with extra client options before the destination. */
    public Proc.Result sshWith(String person, List<String> options, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", String.valueOf(port())));
        cmd.addAll(clientOptions(person));
        cmd.addAll(options);
        cmd.add(person + "@127.0.0.1");
        cmd.addAll(List.of(args));
        return Proc.run(home, stdin, cmd);
    }

    /** Runs an sftp batch (commands one a line); "-" prefixes let a line fail without aborting. */
    public Proc.Result sftp(String person, String batch) {
        List<String> cmd = new ArrayList<>(List.of("sftp", "-P", String.valueOf(port()), "-b", "-"));
        cmd.addAll(clientOptions(person));
        cmd.add(person + "@127.0.0.1");
        return Proc.run(home, batch, cmd);
    }

    public List<String> clientOptions(String person) {
        return List.of("-i", newKey(person).toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10");
    }

    public Path file(String name, String content) {
        try {
            Path p = home.resolve(name);
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (callgate != null) {
            callgate.close();
        }
    }
}
