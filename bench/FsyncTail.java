import fi.callgate.intake.SpoolCipher;
import fi.callgate.store.MasterKey;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.Base64;
import java.util.Random;

/**
 * How long the upload hand-off's fsync takes after a 1 GiB upload: writes 1 GiB through the spool's
 * encrypting channel in OpenSSH's 261 120-byte writes, closes it, then times {@code force(true)} on the file
 * as {@code UploadIntake.accept} does. Two rounds. Run: {@code java -cp gateway/target/callgate.jar
 * bench/FsyncTail.java /a/dir/on/the/data/disk}. See bench/RESULTS.md ("the last few per cent").
 */
public class FsyncTail {
    public static void main(String[] a) throws Exception {
        SpoolCipher cipher = new SpoolCipher(MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        byte[] data = new byte[261120];
        new Random(1).nextBytes(data);
        long total = 1L << 30;
        for (int round = 0; round < 2; round++) {
            Path f = Path.of(a[0], "tail-" + round);
            long t0 = System.nanoTime();
            try (var ch = cipher.openForWrite(f, SpoolCipher.newIv(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long off = 0; off < total; off += data.length) {
                    ch.position(off);
                    ch.write(ByteBuffer.wrap(data, 0, (int) Math.min(data.length, total - off)));
                }
            }
            long t1 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: writes %.2f s, fsync at close %.3f s%n", round, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            Files.delete(f);
        }
    }
}
