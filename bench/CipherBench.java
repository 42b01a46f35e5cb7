import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;

/**
 * bench helper, run with {@code java -cp callgate.jar CipherBench.java}: the CPU cost per GiB of MINA's
 * SSH packet protection (cipher, plus the MAC where the cipher has none) on 32 KiB packets, one thread,
 * three rounds (the first two warm the JIT up). What decided which ciphers Callgate offers (README, SSH
 * algorithms): it compares the algorithms only, not whole transfers.
 */
public class CipherBench {
    public static void main(String[] a) throws Exception {
        int pkt = 32 * 1024;
        long total = 1L << 30;
        String[][] cases = {{"aes128-gcm@openssh.com", ""}, {"aes256-gcm@openssh.com", ""},
                {"aes128-ctr", "hmac-sha2-256-etm@openssh.com"}, {"aes256-ctr", "hmac-sha2-256-etm@openssh.com"},
                {"aes128-ctr", "hmac-sha2-256"}, {"chacha20-poly1305@openssh.com", ""}};
        for (int round = 0; round < 3; round++) {
            for (String[] c : cases) {
                Cipher cipher = BuiltinCiphers.fromFactoryName(c[0]).create();
                byte[] key = new byte[cipher.getKdfSize()];
                byte[] iv = new byte[cipher.getIVSize()];
                cipher.init(Cipher.Mode.Encrypt, key, iv);
                Mac mac = c[1].isEmpty() ? null : BuiltinMacs.fromFactoryName(c[1]).create();
                if (mac != null) mac.init(new byte[mac.getBlockSize()]);
                int aad = cipher.getAuthenticationTagSize() > 0 ? 4 : 0;
                byte[] buf = new byte[4 + pkt + 64];
                byte[] tag = new byte[64];
                long t0 = System.nanoTime();
                long seq = 0;
                for (long done = 0; done < total; done += pkt) {
                    if (aad > 0) {
                        cipher.updateWithAAD(buf, 0, 4, pkt);
                    } else {
                        cipher.update(buf, 4, pkt);
                        mac.updateUInt(seq);
                        mac.update(buf, 0, 4 + pkt);
                        mac.doFinal(tag, 0);
                    }
                    seq++;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (round == 2) System.out.printf("%-32s %-32s %.2f s/GiB  %.0f MiB/s%n", c[0], c[1], s, 1024 / s);
            }
        }
    }
}
