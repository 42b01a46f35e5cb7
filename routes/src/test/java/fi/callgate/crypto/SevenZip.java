package fi.callgate.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code 7z} binary (p7zip / 7-Zip), as the parties of an aes-zip agreement use 7-Zip: makes the
 * archives tests upload and extracts what Callgate returns.
 */
public final class SevenZip {
    private SevenZip() {
    }

    /** The outcome of one 7z run. */
    public record Result(int exit, String output) {
        public Result requireOk() {
            if (exit != 0) {
                throw new AssertionError("7z failed (" + exit + "): " + output);
            }
            return this;
        }
    }

    /** {@code 7z a ARCHIVE OPTIONS… FILES…}, run in {@code dir} so that names are stored as given. */
    public static Path archive(Path dir, String archive, List<String> options, String... files) {
        List<String> cmd = new ArrayList<>(List.of("7z", "a", "-bd", "-y", archive));
        cmd.addAll(options);
        cmd.addAll(List.of(files));
        run(dir, cmd).requireOk();
        return dir.resolve(archive);
    }

    /** 7z AES-256 with encrypted headers ({@code -mhe=on}) and a passphrase. */
    public static List<String> sevenZAes(String passphrase, boolean encryptHeaders) {
        return List.of("-t7z", "-p" + passphrase, "-mhe=" + (encryptHeaders ? "on" : "off"));
    }

    /** zip with the given entry encryption: AES256, AES128 or ZipCrypto. */
    public static List<String> zip(String passphrase, String method) {
        return List.of("-tzip", "-p" + passphrase, "-mem=" + method);
    }

    /** {@code 7z x -pPASSPHRASE -oOUT ARCHIVE}. */
    public static Result extract(Path archive, String passphrase, Path out) {
        return run(archive.getParent(), List.of("7z", "x", "-bd", "-y", "-p" + passphrase, "-o" + out, archive.toString()));
    }

    /** {@code 7z l -slt ARCHIVE}: the technical listing (method, encryption). */
    public static Result list(Path archive, String passphrase) {
        return run(archive.getParent(), List.of("7z", "l", "-slt", "-p" + passphrase, archive.toString()));
    }

    private static Result run(Path dir, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("7z timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
