package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile (or merely unusual) client speaking raw SFTP requests through MINA's low-level client: path
 * tricks, renames, handles, sparse writes, retries and stat probes, each with the answer it must get.
 * The probes that found defects (issue 14 items 1, 3, 4, 5, 7) each have their own test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientTest {
    private static final String ANNA = "ctl-anna";
    private static final String BEN = "ctl-ben"; // Anna's colleague: another controller of the same organisation
    private static final long QUOTA = 3L * 1024 * 1024;

    @TempDir
    static Path home;
    static TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_SFTP_MAX_BYTES_IN_FLIGHT_PER_ACCOUNT", Long.toString(QUOTA)));
        gw.account(ANNA, "controller", "Acme");
        gw.account(BEN, "controller", "Acme");
        gw.admin("campaign", "add", "HC1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
    }

    @AfterAll
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    private static SftpClient.CloseableHandle create(SftpClient c, String path) throws IOException {
        return c.open(path, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
    }

    private static SftpException refusal(ThrowingAction a) {
        return catchThrowableOfType(SftpException.class, a::run);
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Exception;
    }

    private static Path inbox() {
        return gw.dataDir.resolve("sftp/HC1/inbox");
    }

    private static long dataDirKiB() {
        Proc.Result r = Proc.run(home, null, List.of("du", "-sk", gw.dataDir.toString())).assertOk();
        return Long.parseLong(r.out().strip().split("\\s+")[0]);
    }

    @Test
    void pathTricksAnswerNoSuchFileWhetherOrNotSomethingIsThere() throws Exception {
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            for (String path : List.of("/../../etc/passwd", "/HC1/inbox/../../../etc/passwd", "/HC1/inbox/a/b",
                    "/HC1/inbox/.hidden", "/HC1/inbox/a\\..\\b", "/HC1/../../HC1/inbox/x", "/NOPE/inbox/x",
                    "/HC1/lists/x", "//HC1//inbox//..//..//etc")) {
                SftpException e = refusal(() -> anna.sftp.stat(path));
                assertThat(e).as(path).isNotNull();
                assertThat(e.getStatus()).as(path).isEqualTo(SftpConstants.SSH_FX_NO_SUCH_FILE);
            }
        }
    }

    @Test
    void renamesOtherThanTemporaryToFinalAreRefused() throws Exception {
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            try (SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/r.csv")) {
                anna.sftp.write(h, 0, new byte[] {1, 2, 3});
            }
            try (SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/t.csv.filepart")) {
                anna.sftp.write(h, 0, new byte[] {4, 5, 6});
            }
            // a closed upload is gone; a temporary name only to a name in the same folder
            assertThat(refusal(() -> anna.sftp.rename("/HC1/inbox/r.csv", "/HC1/inbox/r2.csv"))).isNotNull();
            assertThat(refusal(() -> anna.sftp.rename("/HC1/inbox/t.csv.filepart", "/HC1/outbox/t.csv"))).isNotNull();
            assertThat(refusal(() -> anna.sftp.rename("/HC1/inbox/t.csv.filepart", "/HC1/inbox/../outbox/t.csv")))
                    .isNotNull();
            anna.sftp.rename("/HC1/inbox/t.csv.filepart", "/HC1/inbox/t.csv");
        }
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/t.csv")).hasSize(1);
    }

    /** Issue 14 item 7: the limit that was hit is named, not "No space left on device". */
    @Test
    void theSeventeenthHandleIsRefusedNamingTheLimit() throws Exception {
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            List<SftpClient.CloseableHandle> open = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                open.add(anna.sftp.openDir("/HC1/outbox"));
            }
            SftpException e = refusal(() -> anna.sftp.open("/HC1/inbox/seventeen.csv", OpenMode.Write,
                    OpenMode.Create, OpenMode.Exclusive));
            assertThat(e).isNotNull();
            assertThat(e.getStatus()).isNotEqualTo(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM);
            assertThat(e.getMessage()).containsIgnoringCase("open").contains("16").doesNotContainIgnoringCase("space");
            for (SftpClient.CloseableHandle h : open) {
                h.close();
            }
            assertThat(inbox().resolve("seventeen.csv")).doesNotExist();
        }
    }

    /** Issue 14 item 7: nothing in the attributes reveals the server's accounts or its folders on disk. */
    @Test
    void directoryAttributesAreNeutral() throws Exception {
        // SFTP v6 (MINA to MINA): owner and group travel as names
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            for (String dir : List.of("/", "/HC1", "/HC1/inbox", "/HC1/outbox")) {
                Attributes a = anna.sftp.stat(dir);
                assertThat(a.isDirectory()).as(dir).isTrue();
                assertThat(a.getOwner()).as(dir).isEqualTo("callgate");
                assertThat(a.getGroup()).as(dir).isEqualTo("callgate");
            }
        }
        // SFTP v3 (OpenSSH): numeric ids and the long listing with its link count
        for (String dir : List.of("/", "/HC1")) {
            for (String flags : List.of("-l", "-ln")) {
                String out = gw.sftp(ANNA, "ls " + flags + " " + dir + "\n").assertOk().out();
                List<String> entries = out.lines().filter(l -> l.startsWith("d")).toList();
                assertThat(entries).as(dir).isNotEmpty();
                for (String line : entries) {
                    String[] f = line.trim().split("\\s+");
                    // link count: the server's long name says 1; with -n the client builds the line, and v3 has none
                    assertThat(f[1]).as(line).isEqualTo(flags.equals("-l") ? "1" : "?");
                    assertThat(f[2]).as(line).isIn("callgate", "65534");
                    assertThat(f[3]).as(line).isIn("callgate", "65534");
                }
            }
        }
    }

    /** Issue 14 item 3: a write that would leave a hole is refused; the data dir does not grow by the hole. */
    @Test
    void aSparseWriteIsRefusedAndTheDiskDoesNotGrow() throws Exception {
        long before = dataDirKiB();
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/sparse.bin");
            anna.sftp.write(h, 0, new byte[20]);
            SftpException e = refusal(() -> anna.sftp.write(h, (2L << 30) - 8, new byte[8]));
            assertThat(e).as("write at 2 GiB - 8").isNotNull();
            assertThat(e.getMessage()).containsIgnoringCase("unwritten");
            try {
                h.close();
            } catch (IOException refusedClose) {
                // an upload with a refused write is not accepted at its close either
            }
            // and writes a little out of order, as pipelining clients send them, are fine
            try (SftpClient.CloseableHandle ok = create(anna.sftp, "/HC1/inbox/pipelined.bin")) {
                anna.sftp.write(ok, 65536, new byte[65536]);
                anna.sftp.write(ok, 0, new byte[65536]);
                anna.sftp.write(ok, 0, new byte[65536]); // a retried request
            }
        }
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/sparse.bin")).isEmpty();
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/pipelined.bin")).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.callgate().audit()
                .find("upload.processed", "/HC1/inbox/pipelined.bin").size() == 1);
        assertThat(dataDirKiB() - before).as("data-dir growth in KiB").isLessThan(4096);
    }

    /** Issue 14 item 3: one account's uploads in flight are bounded in all. */
    @Test
    void theBytesInFlightQuotaIsEnforcedWithAClearError() throws Exception {
        byte[] mib = new byte[1024 * 1024];
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA); MinaSftp again = MinaSftp.connect(gw, ANNA)) {
            SftpClient.CloseableHandle a = create(anna.sftp, "/HC1/inbox/q1.bin");
            SftpClient.CloseableHandle b = create(again.sftp, "/HC1/inbox/q2.bin");
            anna.sftp.write(a, 0, mib);
            anna.sftp.write(a, mib.length, mib);
            again.sftp.write(b, 0, mib);
            SftpException e = refusal(() -> again.sftp.write(b, mib.length, mib));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).containsIgnoringCase("quota").contains(Long.toString(QUOTA));
            a.close();
            // what was handed off no longer counts
            try (SftpClient.CloseableHandle c = create(anna.sftp, "/HC1/inbox/q3.bin")) {
                anna.sftp.write(c, 0, mib);
            }
        }
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/q1.bin")).hasSize(1);
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/q2.bin")).isEmpty();
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/q3.bin")).hasSize(1);
    }

    /** Issue 14 item 4: names are measured in bytes, with room for every name Callgate derives from them. */
    @Test
    void namesTooLongInBytesAreRefusedAtOpenWithAClearMessage() throws Exception {
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA)) {
            for (String name : List.of("L".repeat(240) + ".gpg", "ä".repeat(200), "x".repeat(228) + ".csv.filepart")) {
                SftpException e = refusal(() -> create(anna.sftp, "/HC1/inbox/" + name).close());
                assertThat(e).as(name).isNotNull();
                assertThat(e.getMessage()).as(name).containsIgnoringCase("name").contains("bytes");
                assertThat(gw.callgate().audit().find("sftp.open", "/HC1/inbox/" + name))
                        .as(name).anyMatch(x -> x.event().outcome() == AuditEvent.Outcome.DENIED);
            }
            // the longest name that fits still works
            String longest = "L".repeat(227) + ".gpg";
            try (SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/" + longest)) {
                anna.sftp.write(h, 0, new byte[] {1});
            }
            assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/" + longest)).hasSize(1);
            // a temporary name may carry its suffix beyond that, as long as the final name fits
            String finalName = "y".repeat(227) + ".csv";
            try (SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/" + finalName + ".filepart")) {
                anna.sftp.write(h, 0, new byte[] {2});
            }
            assertThat(refusal(() -> anna.sftp.rename("/HC1/inbox/" + finalName + ".filepart",
                    "/HC1/inbox/" + finalName + "z"))).isNotNull();
            anna.sftp.rename("/HC1/inbox/" + finalName + ".filepart", "/HC1/inbox/" + finalName);
            assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/" + finalName)).hasSize(1);
        }
        try (Stream<Path> s = Files.list(inbox())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    /** Issue 14 item 1: the uploading session, and only it, can stat the name it has just closed. */
    @Test
    void theUploaderCanStatWhatItJustClosedAndNobodyElseCan() throws Exception {
        byte[] data = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA); MinaSftp other = MinaSftp.connect(gw, ANNA);
             MinaSftp ben = MinaSftp.connect(gw, BEN)) {
            SftpClient.CloseableHandle h = create(anna.sftp, "/HC1/inbox/checked.csv");
            anna.sftp.write(h, 0, data);
            assertThat(anna.sftp.stat(h).getSize()).isEqualTo(data.length); // fstat on the open handle
            h.close();
            anna.sftp.setStat("/HC1/inbox/checked.csv", new Attributes().modifyTime(12345));
            for (Attributes a : List.of(anna.sftp.stat("/HC1/inbox/checked.csv"),
                    anna.sftp.lstat("/HC1/inbox/checked.csv"))) {
                assertThat(a.getSize()).isEqualTo(data.length);
                assertThat(a.isRegularFile()).isTrue();
            }
            SftpException missing = refusal(() -> other.sftp.stat("/HC1/inbox/never-there.csv"));
            for (MinaSftp probe : List.of(other, ben)) {
                SftpException e = refusal(() -> probe.sftp.stat("/HC1/inbox/checked.csv"));
                assertThat(e).isNotNull();
                assertThat(e.getStatus()).isEqualTo(missing.getStatus());
                assertThat(e.getMessage()).isEqualTo(missing.getMessage());
            }
        }
        assertThat(gw.callgate().audit().find("upload.received", "/HC1/inbox/checked.csv")).hasSize(1);
    }

    /** Issue 14 item 5: a colleague's upload in flight, or its waiting temporary file, answers as nothing. */
    @Test
    void aColleaguesUploadInFlightLooksExactlyLikeNothing() throws Exception {
        try (MinaSftp anna = MinaSftp.connect(gw, ANNA); MinaSftp ben = MinaSftp.connect(gw, BEN)) {
            SftpClient.CloseableHandle open = create(anna.sftp, "/HC1/inbox/open.csv");
            anna.sftp.write(open, 0, new byte[5000]);
            try (SftpClient.CloseableHandle t = create(anna.sftp, "/HC1/inbox/waiting.csv.filepart")) {
                anna.sftp.write(t, 0, new byte[7000]);
            }
            assertThat(anna.sftp.stat("/HC1/inbox/waiting.csv.filepart").getSize()).isEqualTo(7000);

            for (boolean link : List.of(false, true)) {
                SftpException missing = refusal(() -> stat(ben.sftp, "/HC1/inbox/nothing.csv", link));
                assertThat(missing).isNotNull();
                for (String path : List.of("/HC1/inbox/open.csv", "/HC1/inbox/waiting.csv.filepart")) {
                    SftpException e = refusal(() -> stat(ben.sftp, path, link));
                    assertThat(e).as(path).isNotNull();
                    assertThat(e.getStatus()).as(path).isEqualTo(missing.getStatus());
                    assertThat(e.getMessage()).as(path).isEqualTo(missing.getMessage());
                }
            }
            // directory listings of write areas are empty for everyone
            assertThat(StreamSupport.stream(ben.sftp.readDir("/HC1/inbox").spliterator(), false)
                    .map(SftpClient.DirEntry::getFilename).filter(n -> !n.startsWith("."))).isEmpty();
            open.close();
            anna.sftp.rename("/HC1/inbox/waiting.csv.filepart", "/HC1/inbox/waiting.csv");
        }
    }

    private static Attributes stat(SftpClient c, String path, boolean link) throws IOException {
        return link ? c.lstat(path) : c.stat(path);
    }
}
