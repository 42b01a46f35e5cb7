package fi.callgate.gateway.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Exported;
import fi.callgate.gateway.support.PushTarget;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults at a push target (the controller's SFTP server, a second MINA server on loopback; the dialer
 * push is the same mechanism): the server is down, then comes up; the server accepts the connection and
 * then stalls in the middle of the write. Each failed attempt is counted in
 * {@code callgate_push_failures_total{target="controller",reason="transfer"}} and shown by {@code campaign show};
 * the file stays in the outbox throughout, is never at the target under its final name half-written, and
 * arrives whole with a later attempt once the server is healthy — also after a restart in between, since
 * the push queue is durable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushFaultTest {
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    PushTarget target;
    String remoteHostKey;

    @BeforeAll
    void setUp() throws Exception {
        // A stall is given up after 3 s without progress (the default is a minute).
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H", "CALLGATE_PUSH_STALL_TIMEOUT", "PT3S"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
        for (String c : List.of("D1", "D2", "D3")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "sup").assertOk();
            gw.admin("campaign", "grant", c, "dial").assertOk();
        }
        target = new PushTarget(home.resolve("remote_host_key"));
        remoteHostKey = target.hostKeyLine();
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    /** The controller's server; its writes block while {@code stall} is not counted down, if given. */
    SshServer remote(Path root, int port, CountDownLatch stall) throws Exception {
        return target.start(root, port, "acme", gw.callgate().controllerPush().publicKey(),
                stall == null ? null : new StallingAccessor(stall));
    }

    void configure(String campaign, int port) {
        gw.sshIn("it-admin", remoteHostKey, "campaign", "push", campaign, "--to", "controller", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--user", "acme", "--dir", campaign, "--location", "FI")
                .assertOk();
    }

    @Test
    void aTargetThatIsDownGetsTheFileWhenItComesUp() throws Exception {
        int port = ChildGateway.freePort(); // nothing listens here yet
        configure("D1", port);
        double failuresBefore = failures();
        String file = exportOne("D1", "0401238001");
        await().atMost(Duration.ofSeconds(30)).until(() -> show("D1").contains("failed (attempt 1/"));
        assertThat(show("D1")).contains("Connect");
        assertThat(failures()).isGreaterThan(failuresBefore);
        assertThat(outbox("D1", file)).exists();

        Path root = Files.createDirectories(home.resolve("remote-d1/D1")).getParent();
        SshServer remote = remote(root, port, null);
        try {
            Path pushed = root.resolve("D1/" + file);
            await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(pushed));
            await().atMost(Duration.ofSeconds(10)).until(() -> show("D1").contains("pushed " + file));
            assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(outbox("D1", file)));
            assertThat(Integer.parseInt(field(show("D1"), "controller_push_failures"))).isPositive();
            assertThat(gw.callgate().registry().scrape())
                    .containsPattern("callgate_pushes_total\\{target=\"controller\"} [1-9]");
            System.out.printf("[push-fault] down then up: failures %.0f -> %.0f, then %s%n", failuresBefore,
                    failures(), field(show("D1"), "controller_push_last_status"));
        } finally {
            remote.stop();
        }
    }

    @Test
    void aPushARestartInterruptedIsResumedAtStart() throws Exception {
        int port = ChildGateway.freePort(); // nothing listens here until after the restart
        configure("D3", port);
        String file = exportOne("D3", "0401238003");
        await().atMost(Duration.ofSeconds(30)).until(() -> show("D3").contains("failed (attempt 1/"));

        gw.restart(); // the retries scheduled in memory are gone with the old process
        Path root = Files.createDirectories(home.resolve("remote-d3/D3")).getParent();
        SshServer remote = remote(root, port, null);
        try {
            Path pushed = root.resolve("D3/" + file);
            await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(pushed));
            await().atMost(Duration.ofSeconds(10)).until(() -> show("D3").contains("pushed " + file));
            assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(outbox("D3", file)));
            await().atMost(Duration.ofSeconds(10)).until(() -> queued("D3") == 0);
        } finally {
            remote.stop();
        }
    }

    long queued(String campaign) {
        return gw.callgate().database().query("SELECT COUNT(*) FROM push_queue WHERE campaign = ?",
                rs -> rs.getLong(1), campaign).get(0);
    }

    @Test
    void aTargetThatStallsMidWriteIsAbortedRetriedAndNeverShowsAPartialFile() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        Path root = Files.createDirectories(home.resolve("remote-d2/D2")).getParent();
        SshServer remote = remote(root, 0, stall);
        try {
            configure("D2", remote.getPort());
            double failuresBefore = failures();
            long t0 = System.nanoTime();
            String file = exportOne("D2", "0401238002");
            await().atMost(Duration.ofSeconds(30)).until(() -> show("D2").contains("transfer stalled"));
            long abortedAfter = (System.nanoTime() - t0) / 1_000_000;
            assertThat(failures()).isGreaterThan(failuresBefore);
            assertThat(root.resolve("D2/" + file)).doesNotExist(); // at most its hidden temporary name
            assertThat(outbox("D2", file)).exists();
            String stalledStatus = field(show("D2"), "controller_push_last_status");

            stall.countDown(); // the server is healthy again
            Path pushed = root.resolve("D2/" + file);
            await().atMost(Duration.ofSeconds(40)).until(() -> show("D2").contains("pushed " + file));
            assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(outbox("D2", file)));
            try (var files = Files.list(root.resolve("D2"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(file);
            }
            System.out.printf("[push-fault] stalled target: aborted within %d ms of the export (%s); failures %.0f"
                    + " -> %.0f; then pushed%n", abortedAfter, stalledStatus, failuresBefore, failures());
        } finally {
            stall.countDown();
            remote.stop();
        }
    }

    String exportOne(String campaign, String phone) throws Exception {
        return Exported.oneCallBan(gw, acme, home, campaign, phone);
    }

    String show(String campaign) {
        return gw.admin("campaign", "show", campaign).assertOk().out();
    }

    static String field(String show, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " +(.*)$").matcher(show);
        return m.find() ? m.group(1).strip() : "";
    }

    double failures() {
        var c = gw.callgate().registry().find("callgate_push_failures").tag("target", "controller")
                .tag("reason", "transfer").counter();
        return c == null ? 0 : c.count();
    }

    Path outbox(String campaign, String file) {
        return gw.dataDir.resolve("sftp/" + campaign + "/outbox/" + file);
    }

    /** Writes block until the latch is counted down: a server that took the connection and hangs. */
    static final class StallingAccessor implements SftpFileSystemAccessor {
        private final CountDownLatch stall;

        StallingAccessor(CountDownLatch stall) {
            this.stall = stall;
        }

        @Override
        public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                                            String handle, Set<? extends OpenOption> options,
                                            FileAttribute<?>... attrs) throws IOException {
            SeekableByteChannel ch = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle,
                    options, attrs);
            if (!options.contains(StandardOpenOption.WRITE)) {
                return ch;
            }
            return new SeekableByteChannel() {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    try {
                        stall.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                    return ch.write(src);
                }

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    return ch.read(dst);
                }

                @Override
                public long position() throws IOException {
                    return ch.position();
                }

                @Override
                public SeekableByteChannel position(long p) throws IOException {
                    ch.position(p);
                    return this;
                }

                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public SeekableByteChannel truncate(long size) throws IOException {
                    ch.truncate(size);
                    return this;
                }

                @Override
                public boolean isOpen() {
                    return ch.isOpen();
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    }
}
