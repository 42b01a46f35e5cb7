package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloads are answered in SSH packets of the client's own size ({@link DropPointSubsystem#doRead}): the
 * bytes a client gets must be the file's, whatever the client's packet size, the read's length and offset
 * (across packet boundaries, up to and past the end of the file), and the read audit must count them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacketedReadTest {
    private static final String CTL = "ctl-pia";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Not a multiple of any packet size, so the last packet of most reads is partly filled. */
    private static final int SIZE = 700_001;

    @TempDir
    static Path home;
    static TestGateway gw;
    static byte[] content;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of());
        gw.account(CTL, "controller", "Acme");
        gw.admin("campaign", "add", "PR1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        content = new byte[SIZE];
        new Random(15).nextBytes(content);
        Path outbox = gw.dataDir.resolve("sftp/PR1/outbox");
        Files.createDirectories(outbox);
        Files.write(outbox.resolve("export.bin"), content);
    }

    @AfterAll
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    /** A client whose channel takes packets of at most this many bytes (OpenSSH: 32 KiB; PuTTY: 16 KiB). */
    private static SftpClient client(SshClient ssh, int packetSize) throws IOException {
        CoreModuleProperties.MAX_PACKET_SIZE.set(ssh, (long) packetSize);
        ClientSession session = ssh.connect(CTL, "127.0.0.1", gw.port()).verify(TIMEOUT).getSession();
        for (KeyPair kp : new FileKeyPairProvider(gw.newKey(CTL)).loadKeys(null)) {
            session.addPublicKeyIdentity(kp);
        }
        session.auth().verify(TIMEOUT);
        return SftpClientFactory.instance().createSftpClient(session);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 4096, 16 * 1024, 32 * 1024, 256 * 1024})
    void everyReadReturnsTheFilesBytesWhateverTheClientsPacketSize(int packetSize) throws Exception {
        SshClient ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
        int before = gw.callgate().audit().find("sftp.read", "/PR1/outbox/export.bin").size();
        try (SftpClient sftp = client(ssh, packetSize);
             SftpClient.CloseableHandle h = sftp.open("/PR1/outbox/export.bin", OpenMode.Read)) {
            long served = 0;
            // {offset, length}: from the start, across packet boundaries, odd sizes, to and past the end
            long[][] reads = {{0, 1}, {0, 13}, {1, packetSize - 14}, {5, packetSize - 13}, {7, packetSize + 1},
                {100_000, 255 * 1024}, {SIZE - 1000, 4096}, {SIZE - 1, 10}, {SIZE, 100}, {SIZE + 5000, 100}};
            for (long[] r : reads) {
                byte[] got = new byte[(int) r[1]];
                int n = sftp.read(h, r[0], got, 0, got.length);
                // at most sftp-max-readdata-packet-length (255 KiB) per read, as DropPointServer sets it
                int expected = (int) Math.max(0, Math.min(Math.min(r[1], 255 * 1024), SIZE - r[0]));
                if (expected == 0) {
                    assertThat(n).as("read at %d", r[0]).isEqualTo(-1);
                    continue;
                }
                assertThat(n).as("bytes of read at %d length %d", r[0], r[1]).isEqualTo(expected);
                assertThat(Arrays.copyOf(got, n)).as("content of read at %d length %d", r[0], r[1])
                        .isEqualTo(Arrays.copyOfRange(content, (int) r[0], (int) r[0] + n));
                served += n;
            }
            // a whole read in the client's own request size, as a download does
            byte[] whole = new byte[SIZE];
            int at = 0;
            while (at < SIZE) {
                int n = sftp.read(h, at, whole, at, Math.min(64 * 1024, SIZE - at));
                assertThat(n).isPositive();
                at += n;
            }
            assertThat(whole).isEqualTo(content);
            served += SIZE;
            h.close();
            long total = served;
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gw.callgate().audit()
                    .find("sftp.read", "/PR1/outbox/export.bin")).hasSize(before + 1)
                    .last().extracting(e -> e.event().detail()).isEqualTo("bytes=" + total));
        } finally {
            ssh.stop();
        }
    }
}
