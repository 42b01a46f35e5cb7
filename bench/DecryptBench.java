import fi.callgate.crypto.DecryptLimits;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpDecryptor;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * bench helper, run with {@code java -cp callgate.jar DecryptBench.java}:
 *   key DIR              creates the gateway key pair in DIR (secret.asc, public.asc) for gpg to use
 *   decrypt DIR FILE N   decrypts FILE with Callgate's PgpDecryptor to nowhere N+1 times in one JVM; prints
 *                        the seconds of the last N, one a line (the first run warms the JIT up)
 */
public class DecryptBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        GatewayKey key = GatewayKey.loadOrCreate(dir.resolve("secret.asc"), dir.resolve("public.asc"),
                "Bench Gateway <bench@callgate.invalid>");
        if (args[0].equals("key")) {
            return;
        }
        Path file = Path.of(args[2]);
        PgpDecryptor d = new PgpDecryptor();
        DecryptLimits limits = DecryptLimits.defaults().withMaxPlaintextBytes(Long.MAX_VALUE / 4)
                .withMaxCompressionRatio(1_000_000);
        int n = Integer.parseInt(args[3]);
        for (int i = 0; i <= n; i++) {
            long t0 = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                d.decrypt(in, key, Optional.empty(), limits,
                        (p, name) -> p.transferTo(OutputStream.nullOutputStream()));
            }
            if (i > 0) {
                System.out.printf("%.3f%n", (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
