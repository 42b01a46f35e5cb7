package fi.callgate.intake;

import fi.callgate.store.MasterKey;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (skipped unless {@code -Dcallgate.bench=true}; run with
 * {@code mvn -B -pl routes -am test -Dtest=SpoolWriteBenchmark -Dcallgate.bench=true -Dsurefire.failIfNoSpecifiedTests=false}):
 * writes {@code callgate.bench.mb} MiB (default 1024) in writes of {@code callgate.bench.write} bytes (default 32 KiB) the way MINA does (position, then
 * write of a wrapped array) through the spool's encrypting channel and, for reference, through a plain
 * FileChannel; prints MiB/s of each (best of {@code callgate.bench.rounds}, default 3), and for the breakdown
 * the SHA-256 alone of the same bytes. No assertion on time.
 */
class SpoolWriteBenchmark {
    static final int MB = Integer.getInteger("callgate.bench.mb", 1024);
    static final int ROUNDS = Integer.getInteger("callgate.bench.rounds", 3);
    /** 32 KiB: OpenSSH sftp before 8.6 and many clients; 261120: OpenSSH 8.6+ against MINA (limits@openssh.com). */
    static final int WRITE = Integer.getInteger("callgate.bench.write", 32 * 1024);
    @TempDir
    Path dir;

    @Test
    void writeThroughSpool() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("callgate.bench"), "benchmark; -Dcallgate.bench=true");
        SpoolCipher cipher = new SpoolCipher(MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        byte[] data = new byte[WRITE];
        new Random(1).nextBytes(data);
        long total = (long) MB * 1024 * 1024;
        double bestPlain = 0;
        double bestSpool = 0;
        double bestSha = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path plain = dir.resolve("plain-" + round);
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(plain, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long off = 0; off < total; off += WRITE) {
                    ch.position(off);
                    ch.write(ByteBuffer.wrap(data, 0, (int) Math.min(WRITE, total - off)));
                }
            }
            bestPlain = Math.max(bestPlain, mibPerSecond(total, System.nanoTime() - t0));
            Files.delete(plain);

            Path spool = dir.resolve("spool-" + round);
            t0 = System.nanoTime();
            String sha;
            try (var ch = cipher.openForWrite(spool, SpoolCipher.newIv(), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                for (long off = 0; off < total; off += WRITE) {
                    ch.position(off);
                    ch.write(ByteBuffer.wrap(data, 0, (int) Math.min(WRITE, total - off)));
                }
                sha = ch.sha256().orElseThrow();
            }
            bestSpool = Math.max(bestSpool, mibPerSecond(total, System.nanoTime() - t0));
            Files.delete(spool);

            MessageDigest md = MessageDigest.getInstance("SHA-256");
            t0 = System.nanoTime();
            for (long off = 0; off < total; off += WRITE) {
                md.update(data, 0, (int) Math.min(WRITE, total - off));
            }
            md.digest();
            bestSha = Math.max(bestSha, mibPerSecond(total, System.nanoTime() - t0));
            System.out.printf("SpoolWriteBenchmark round %d: plain %.0f MiB/s, spool %.0f MiB/s (sha %s...)%n",
                    round, bestPlain, bestSpool, sha.substring(0, 8));
        }
        System.out.printf("SpoolWriteBenchmark: %d MiB in %d-byte writes: plain FileChannel %.0f MiB/s (%.2f s/GiB), "
                + "spool %.0f MiB/s (%.2f s/GiB); SHA-256 alone %.0f MiB/s (%.2f s/GiB)%n", MB, WRITE, bestPlain,
                1024 / bestPlain, bestSpool, 1024 / bestSpool, bestSha, 1024 / bestSha);
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }
}
