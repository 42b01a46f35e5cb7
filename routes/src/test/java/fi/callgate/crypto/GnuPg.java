package fi.callgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the real GnuPG binary ({@code gpg}, 2.2 here) in a throw-away GNUPGHOME, so tests talk
 * OpenPGP exactly as controllers do. Reusable from other modules through the routes test-jar.
 *
 * <p>Every call runs {@code gpg --batch --pinentry-mode loopback --passphrase '' --trust-model always
 * --no-tty --status-fd 2} with a timeout; status lines ({@code [GNUPG:] ...}) are collected from
 * stderr into {@link Result#status()}. Keys are created without passphrase. {@link #close()} stops
 * the agent and deletes the home.
 *
 * <pre>
 * try (GnuPg gpg = GnuPg.newHome()) {
 *     String fpr = gpg.genKey("Controller &lt;ops@example.fi&gt;", "ed25519");
 *     gpg.importKey(gateway.armoredPublicKey());
 *     Path enc = gpg.encrypt(file, gateway.fingerprint(), fpr, false, -1);
 * }
 * </pre>
 */
public final class GnuPg implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** Exit code, stdout bytes, stderr text and the {@code [GNUPG:]} status lines (prefix removed). */
    public record Result(int exitCode, byte[] stdout, String stderr, List<String> status) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Status lines starting with the given keyword, e.g. {@code "VALIDSIG"}. */
        public List<String> status(String keyword) {
            return status.stream().filter(s -> s.equals(keyword) || s.startsWith(keyword + " ")).toList();
        }

        public Result requireOk() {
            if (!ok()) {
                throw new IllegalStateException("gpg failed with exit " + exitCode + ":\n" + stderr);
            }
            return this;
        }
    }

    private final Path home;
    private final Path work;
    private Duration timeout = DEFAULT_TIMEOUT;

    private GnuPg(Path home) throws IOException {
        this.home = home;
        this.work = Files.createDirectories(home.resolve("work"));
    }

    /**
     * New empty GNUPGHOME under /tmp. The path is kept short because gpg-agent's socket path
     * must fit in a sockaddr_un (108 bytes).
     */
    public static GnuPg newHome() {
        try {
            Path home = Files.createTempDirectory(Path.of("/tmp"), "gpg",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new GnuPg(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    /** Scratch directory inside the home for files handed to or produced by gpg. */
    public Path workDir() {
        return work;
    }

    public GnuPg timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs gpg with the standard batch options plus {@code args}, feeding {@code stdin} (may be null). */
    public Result run(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty",
                "--pinentry-mode", "loopback", "--passphrase", "", "--trust-model", "always", "--status-fd", "2"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GNUPGHOME", home.toString());
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException ignored) {
                // gpg may exit before reading stdin; its exit code tells the story
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("gpg timed out after " + timeout + ": " + cmd);
            }
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            List<String> status = stderr.lines().filter(l -> l.startsWith("[GNUPG:] "))
                    .map(l -> l.substring("[GNUPG:] ".length())).toList();
            return new Result(p.exitValue(), out.join(), stderr, status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Result run(String... args) {
        return run(null, args);
    }

    /**
     * Creates a key without passphrase and returns its primary fingerprint. {@code algo} is a
     * gpg algorithm string: {@code "default"} (gpg picks primary + encryption subkey),
     * {@code "ed25519"} (Ed25519 primary + cv25519 subkey), {@code "rsa2048"}, {@code "rsa1024"}…
     * (RSA primary + RSA subkey of the same size). {@code expire} is gpg's syntax
     * ({@code "never"}, {@code "1d"}, {@code "2020-01-01"}); {@code extraArgs} go before the command
     * (e.g. {@code --faked-system-time 20200101T000000}).
     */
    public String genKey(String uid, String algo, String expire, String... extraArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(extraArgs));
        if (algo.equals("default")) {
            args.addAll(List.of("--quick-gen-key", uid, "default", "default", expire));
            run(args.toArray(String[]::new)).requireOk();
            return fingerprintOfLastKey(uid);
        }
        args.addAll(List.of("--quick-gen-key", uid, algo, "cert,sign", expire));
        run(args.toArray(String[]::new)).requireOk();
        String fpr = fingerprintOfLastKey(uid);
        String subAlgo = algo.startsWith("ed25519") ? "cv25519" : algo;
        List<String> sub = new ArrayList<>(Arrays.asList(extraArgs));
        sub.addAll(List.of("--quick-add-key", fpr, subAlgo, "encr", expire));
        run(sub.toArray(String[]::new)).requireOk();
        return fpr;
    }

    public String genKey(String uid, String algo) {
        return genKey(uid, algo, "never");
    }

    /** Primary fingerprint of the newest key whose user id matches {@code uid}. */
    public String fingerprintOfLastKey(String uid) {
        Result r = run("--with-colons", "--list-keys", "--", uid).requireOk();
        String last = null;
        boolean afterPub = false;
        for (String line : r.stdoutText().lines().toList()) {
            if (line.startsWith("pub:")) {
                afterPub = true;
            } else if (line.startsWith("fpr:") && afterPub) {
                last = line.split(":")[9];
                afterPub = false;
            } else if (line.startsWith("sub:")) {
                afterPub = false;
            }
        }
        if (last == null) {
            throw new IllegalStateException("no key for " + uid);
        }
        return last;
    }

    public byte[] exportPublic(String who, boolean armor) {
        return armor ? run("--armor", "--export", who).requireOk().stdout() : run("--export", who).requireOk().stdout();
    }

    public String exportPublicArmored(String... who) {
        List<String> args = new ArrayList<>(List.of("--armor", "--export"));
        args.addAll(Arrays.asList(who));
        return new String(run(args.toArray(String[]::new)).requireOk().stdout(), StandardCharsets.US_ASCII);
    }

    public String exportSecretArmored(String who) {
        return new String(run("--armor", "--export-secret-keys", who).requireOk().stdout(), StandardCharsets.US_ASCII);
    }

    /** Imports keys (armored or binary) and returns the result. */
    public Result importKey(byte[] key) {
        return run(key, "--import").requireOk();
    }

    public Result importKey(String armored) {
        return importKey(armored.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Encrypts {@code input} to {@code recipient} (fingerprint or user id), signing with
     * {@code signer} if not null; {@code compressLevel} -1 leaves gpg's default, 0 stores
     * uncompressed. Returns the output file ({@code .gpg} or {@code .asc}) in the work dir.
     */
    public Path encrypt(Path input, String recipient, String signer, boolean armor, int compressLevel, String... extraArgs) {
        Path out = work.resolve(input.getFileName() + "." + System.nanoTime() + (armor ? ".asc" : ".gpg"));
        List<String> args = new ArrayList<>(Arrays.asList(extraArgs));
        args.addAll(List.of("--output", out.toString(), "--recipient", recipient));
        if (armor) {
            args.add("--armor");
        }
        if (compressLevel >= 0) {
            args.add("-z");
            args.add(Integer.toString(compressLevel));
        }
        if (signer != null) {
            args.addAll(List.of("--local-user", signer, "--sign"));
        }
        args.addAll(List.of("--encrypt", input.toString()));
        run(args.toArray(String[]::new)).requireOk();
        return out;
    }

    /** Decrypts (and verifies, if signed) a file; the plaintext is {@link Result#stdout()}. Not required to succeed. */
    public Result decrypt(Path input, String... extraArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(extraArgs));
        args.addAll(List.of("--output", "-", "--decrypt", input.toString()));
        return run(args.toArray(String[]::new));
    }

    /** Verifies a clear-signed or signed file. Not required to succeed. */
    public Result verify(Path input, String... extraArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(extraArgs));
        args.addAll(List.of("--verify", input.toString()));
        return run(args.toArray(String[]::new));
    }

    /** Writes bytes into a file of the work dir. */
    public Path file(String name, byte[] content) {
        try {
            return Files.write(work.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort: the agent exits by itself once its home is gone
        }
        try (Stream<Path> walk = Files.walk(home)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; nothing secret in it beyond test keys
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
