package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients controllers and their IT actually run, each driving the whole controller flow against a real
 * gateway: connect, list the campaign, upload a gpg-encrypted list (and, where the client can rename, a
 * second one under a temporary name renamed afterwards), wait for the reports, download them with the
 * same client and decrypt and verify them with gpg. A client that cannot connect fails here with its own
 * error output — none is skipped: {@code .ci/run} installs them all. Each client's negotiated cipher is
 * asserted where the client reports it; README "SSH algorithms" lists the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientMatrixTest {
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    Path work;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        acme = new Controller(gw, "ctl-matrix", "Acme", "Acme <lists@acme.example>");
        work = Files.createDirectories(home.resolve("matrix"));
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    /** What a client is told to do, in the op language of the scripts: ls:PATH put:LOCAL:REMOTE mv:A:B get:REMOTE:LOCAL. */
    interface Driver {
        Proc.Result run(List<String> ops);
    }

    /** The flow every client goes through; {@code rename} says whether it also does the temporary-name sequence. */
    private Proc.Result flow(String campaign, boolean rename, Driver client) {
        gw.admin("campaign", "add", campaign, "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme.keyFor(campaign);
        String c = "/" + campaign;
        List<String> ops = new ArrayList<>(List.of("ls:" + c,
                "put:" + list(campaign, 1) + ":" + c + "/inbox/list.csv.gpg"));
        if (rename) {
            ops.add("put:" + list(campaign, 2) + ":" + c + "/inbox/second.csv.gpg.filepart");
            ops.add("mv:" + c + "/inbox/second.csv.gpg.filepart:" + c + "/inbox/second.csv.gpg");
        }
        Proc.Result first = client.run(ops);
        // What the client says it negotiated, for the record (README "SSH algorithms" lists the same).
        first.err().lines().filter(l -> l.contains("negotiated") || l.contains("Initialised") || l.contains("kex: ")
                || l.contains("key exchange")).forEach(l -> System.out.println("[" + campaign + "] " + l.strip()));
        assertThat(first.exit()).as("client failed:\nstdout: %s\nstderr: %s", first.out(), first.err()).isZero();
        assertThat(first.out()).as(first.err()).contains("inbox").contains("outbox");

        List<String> uploads = rename ? List.of("list.csv.gpg", "second.csv.gpg") : List.of("list.csv.gpg");
        List<String> gets = new ArrayList<>();
        for (String name : uploads) {
            acme.awaitProcessed(campaign, name);
            assertThat(gw.callgate().audit().find("upload.received", c + "/inbox/" + name))
                    .as("one upload of %s, no retry", name).hasSize(1);
            gets.add("get:" + c + "/outbox/" + name + ".report.csv.gpg:" + work.resolve(campaign + "-" + name + ".report"));
        }
        Proc.Result second = client.run(gets);
        assertThat(second.exit()).as("download failed:\nstdout: %s\nstderr: %s", second.out(), second.err()).isZero();
        for (String name : uploads) {
            GnuPg.Result report = acme.gpg.decrypt(work.resolve(campaign + "-" + name + ".report"), "--status-fd", "2")
                    .requireOk();
            assertThat(report.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint);
            assertThat(new String(report.stdout(), StandardCharsets.UTF_8)).contains(";rows_accepted;1");
        }
        return first;
    }

    /** A distinct encrypted list per upload (identical bytes would be a repeat of an earlier upload). */
    private Path list(String campaign, int n) {
        String csv = "first_name;last_name;phone;source\nAino;Aalto;04011122" + (10 + n) + ";" + campaign + "\n";
        Path p = acme.encrypt(campaign + "-" + n + ".csv", Controller.utf8(csv), true, false, -1);
        return p;
    }

    private Path key() {
        return gw.newKey(acme.account);
    }

    @Test
    void puttyPsftp() {
        Path ppk = work.resolve("ctl.ppk");
        Proc.run(work, null, List.of("puttygen", key().toString(), "-O", "private", "-o", ppk.toString())).assertOk();
        String fingerprint = hostKeyFingerprint();
        Proc.Result r = flow("PTY1", true, ops -> {
            StringBuilder batch = new StringBuilder();
            for (String op : ops) {
                String[] a = op.split(":");
                batch.append(switch (a[0]) {
                    case "ls" -> "ls " + a[1];
                    case "put" -> "put " + a[1] + " " + a[2];
                    case "mv" -> "mv " + a[1] + " " + a[2];
                    case "get" -> "get " + a[1] + " " + a[2];
                    default -> throw new IllegalArgumentException(op);
                }).append('\n');
            }
            Path script = work.resolve("psftp-" + System.nanoTime());
            write(script, batch.toString());
            return Proc.run(work, null, List.of("psftp", "-v", "-batch", "-bc", "-P", String.valueOf(gw.port()),
                    "-i", ppk.toString(), "-hostkey", fingerprint, "-b", script.toString(),
                    acme.account + "@127.0.0.1"));
        });
        // PuTTY 0.78 has AES-GCM and keeps it (README: SSH algorithms).
        assertThat(r.err()).containsPattern("Initialised AES-(128|256) GCM .*outbound encryption")
                .containsPattern("Initialised AES-(128|256) GCM .*inbound encryption");
    }

    @Test
    void lftp() {
        String ssh = "ssh -a -x -i " + key() + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        flow("LFT1", true, ops -> {
            StringBuilder cmds = new StringBuilder("set sftp:connect-program \"" + ssh + "\"; set net:max-retries 1; "
                    + "set net:timeout 20; set cmd:fail-exit yes; open -u " + acme.account + ", sftp://127.0.0.1:"
                    + gw.port() + "; ");
            for (String op : ops) {
                String[] a = op.split(":");
                cmds.append(switch (a[0]) {
                    case "ls" -> "cls -1 " + a[1] + "/";
                    case "put" -> "put " + a[1] + " -o " + a[2];
                    case "mv" -> "mv " + a[1] + " " + a[2];
                    case "get" -> "get " + a[1] + " -o " + a[2];
                    default -> throw new IllegalArgumentException(op);
                }).append("; ");
            }
            return Proc.run(work, null, List.of("lftp", "-c", cmds.toString()));
        });
    }

    /** rclone 1.60 with its defaults (set the time after upload, then stat to check); no rename in one session. */
    @Test
    void rclone() {
        String remote = ":sftp,host=127.0.0.1,port=" + gw.port() + ",user=" + acme.account + ",key_file=" + key()
                + ",shell_type=none,disable_hashcheck=true:";
        flow("RCL1", false, ops -> {
            Proc.Result last = null;
            for (String op : ops) {
                String[] a = op.split(":");
                List<String> cmd = new ArrayList<>(List.of("rclone", "--config", work.resolve("rclone.conf").toString()));
                switch (a[0]) {
                    case "ls" -> cmd.addAll(List.of("lsf", remote + a[1]));
                    case "put" -> cmd.addAll(List.of("copyto", a[1], remote + a[2]));
                    case "get" -> cmd.addAll(List.of("copyto", remote + a[1], a[2]));
                    default -> throw new IllegalArgumentException(op);
                }
                Proc.Result r = Proc.run(work, null, cmd);
                last = last == null ? r : new Proc.Result(r.exit() != 0 ? r.exit() : last.exit(), last.out() + r.out(),
                        last.err() + r.err());
                if (r.exit() != 0) {
                    break;
                }
            }
            return last;
        });
    }

    @Test
    void paramiko() {
        Proc.Result r = flow("PMK1", true, ops -> script("/usr/bin/python3", "paramiko_client.py", ops, Map.of()));
        assertThat(r.err()).contains("cipher=aes128-ctr"); // paramiko 2.12 has no GCM
    }

    @Test
    void asyncssh() {
        Proc.Result r = flow("ASY1", true, ops -> script("/usr/bin/python3", "asyncssh_client.py", ops, Map.of()));
        assertThat(r.err()).containsPattern("cipher=aes(128|256)-gcm@openssh.com");
    }

    @Test
    void nodeSsh2() {
        Path modules = Path.of("").toAbsolutePath().getParent().resolve(".ci/node/node_modules");
        assertThat(modules.resolve("ssh2")).as("npm ssh2 is not installed in %s: run .ci/run", modules).isDirectory();
        Proc.Result r = flow("NSH1", true, ops -> script("node", "ssh2_client.js", ops,
                Map.of("NODE_PATH", modules.toString())));
        assertThat(r.err()).containsPattern("\"cs\":\\{\"cipher\":\"aes(128|256)-gcm@openssh.com\"");
    }

    /** curl 7.88 with libssh2 1.10: no GCM, no -etm MACs; the rename goes as a post-transfer quote command. */
    @Test
    void curlWithLibssh2() {
        List<String> auth = List.of("curl", "-sS", "--fail", "-k", "--key", key().toString(), "--pubkey",
                key() + ".pub", "-u", acme.account + ":");
        String url = "sftp://127.0.0.1:" + gw.port();
        flow("CRL1", true, ops -> {
            List<Proc.Result> results = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                String[] a = ops.get(i).split(":");
                List<String> cmd = new ArrayList<>(auth);
                switch (a[0]) {
                    case "ls" -> cmd.add(url + a[1] + "/");
                    case "put" -> {
                        cmd.addAll(List.of("-T", a[1], url + a[2]));
                        if (i + 1 < ops.size() && ops.get(i + 1).startsWith("mv:")) {
                            String[] mv = ops.get(++i).split(":");
                            cmd.addAll(List.of("-Q", "-rename " + mv[1] + " " + mv[2]));
                        }
                    }
                    case "get" -> cmd.addAll(List.of("-o", a[2], url + a[1]));
                    default -> throw new IllegalArgumentException(ops.get(i));
                }
                Proc.Result r = Proc.run(work, null, cmd);
                results.add(r);
                if (r.exit() != 0) {
                    break;
                }
            }
            return merge(results);
        });
    }

    /** Stands in for PuTTY 0.77 / WinSCP 5.x (no GCM): OpenSSH forced to AES-CTR with a plain SHA-2 MAC. */
    @Test
    void openSshWithLegacyChoices() {
        Proc.Result r = flow("OSL1", true, ops -> {
            StringBuilder batch = new StringBuilder();
            for (String op : ops) {
                String[] a = op.split(":");
                batch.append(switch (a[0]) {
                    case "ls" -> "ls " + a[1];
                    case "put" -> "put " + a[1] + " " + a[2];
                    case "mv" -> "rename " + a[1] + " " + a[2];
                    case "get" -> "get " + a[1] + " " + a[2];
                    default -> throw new IllegalArgumentException(op);
                }).append('\n');
            }
            List<String> cmd = new ArrayList<>(List.of("sftp", "-P", String.valueOf(gw.port()), "-b", "-",
                    "-c", "aes256-ctr", "-o", "MACs=hmac-sha2-256"));
            cmd.addAll(gw.clientOptions(acme.account));
            cmd.addAll(List.of("-v", acme.account + "@127.0.0.1")); // -v wins over the fixture's LogLevel=ERROR
            return Proc.run(work, batch.toString(), cmd);
        });
        assertThat(r.err().replace("\r", "")).contains("kex: client->server cipher: aes256-ctr MAC: hmac-sha2-256 compression: none");
    }

    private Proc.Result script(String interpreter, String name, List<String> ops, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(interpreter, resource(name).toString(), "127.0.0.1",
                String.valueOf(gw.port()), acme.account, key().toString()));
        cmd.addAll(ops);
        return Proc.run(work, null, cmd, env);
    }

    private static Proc.Result merge(List<Proc.Result> results) {
        int exit = results.stream().mapToInt(Proc.Result::exit).filter(e -> e != 0).findFirst().orElse(0);
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        results.forEach(r -> {
            out.append(r.out());
            err.append(r.err());
        });
        return new Proc.Result(exit, out.toString(), err.toString());
    }

    /** The gateway's host key as PuTTY's -hostkey takes it: the SHA256 fingerprint from ssh-keyscan. */
    private String hostKeyFingerprint() {
        Proc.Result scan = Proc.run(work, null, List.of("ssh-keyscan", "-t", "ed25519", "-p",
                String.valueOf(gw.port()), "127.0.0.1")).assertOk();
        Path keys = work.resolve("host.keys");
        write(keys, scan.out());
        String line = Proc.run(work, null, List.of("ssh-keygen", "-l", "-E", "sha256", "-f", keys.toString()))
                .assertOk().out().strip();
        return line.split(" ")[1];
    }

    private static Path resource(String name) {
        try {
            return Path.of(ClientMatrixTest.class.getResource("/interop/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
