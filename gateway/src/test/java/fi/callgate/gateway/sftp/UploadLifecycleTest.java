package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload's life on the drop point (CONTRACT §2): only a closed upload is accepted; a cut-off one is
 * deleted and never recorded; a temporary name renamed at the end counts once; nothing is overwritten;
 * the size cap holds; attribute changes are accepted and change nothing; bytes are encrypted on disk
 * from the first one; the audited SHA-256 is the upload's; a restart clears leftovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadLifecycleTest {
    private static final String ACME = "ctl-acme";

    @TempDir
    static Path home;
    @TempDir
    static Path smallHome;
    static TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        setUpAcme(gw);
    }

    private static void setUpAcme(TestGateway g) {
        g.account(ACME, "controller", "Acme");
        g.admin("campaign", "add", "ACME1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
    }

    @AfterAll
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    private static Path inbox(TestGateway g) {
        return g.dataDir.resolve("sftp/ACME1/inbox");
    }

    private static Set<String> spool(TestGateway g) throws IOException {
        Path dir = g.dataDir.resolve("spool");
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static long uploadRows(TestGateway g, String originalName) {
        return g.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM upload WHERE original_name = ?")) {
                ps.setString(1, originalName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static List<AuditEvent> audit(TestGateway g, String action, String target) {
        return g.callgate().audit().find(action, target).stream().map(e -> e.event()).toList();
    }

    private static SftpClient.CloseableHandle create(SftpClient c, String path) throws IOException {
        return c.open(path, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    @Order(1)
    void anUploadCutOffMidWayIsDeletedAndNeverRecorded() throws Exception {
        Set<String> spoolBefore = spool(gw);
        MinaSftp m = MinaSftp.connect(gw, ACME);
        SftpClient.CloseableHandle h = create(m.sftp, "/ACME1/inbox/cut.csv");
        m.sftp.write(h, 0, randomBytes(5000, 1));
        Path onDisk = inbox(gw).resolve("cut.csv");
        assertThat(onDisk).exists();

        m.cutOff(); // no CLOSE for the handle, no channel close: the connection just goes

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> !Files.exists(onDisk));
        await().atMost(Duration.ofSeconds(2))
                .until(() -> !audit(gw, "upload.discarded", "/ACME1/inbox/cut.csv").isEmpty());
        assertThat(audit(gw, "upload.received", "/ACME1/inbox/cut.csv")).isEmpty();
        assertThat(uploadRows(gw, "cut.csv")).isZero();
        assertThat(spool(gw)).isEqualTo(spoolBefore);
    }

    @Test
    @Order(2)
    void winScpStyleTemporaryNameThenRenameIsOneUpload() throws Exception {
        byte[] data = "first_name;phone\nMatti;+358401234567\n".getBytes(StandardCharsets.UTF_8);
        try (MinaSftp m = MinaSftp.connect(gw, ACME)) {
            try (SftpClient.CloseableHandle h = create(m.sftp, "/ACME1/inbox/list.csv.filepart")) {
                m.sftp.write(h, 0, data);
            }
            assertThat(audit(gw, "upload.received", "/ACME1/inbox/list.csv.filepart")).isEmpty();
            m.sftp.rename("/ACME1/inbox/list.csv.filepart", "/ACME1/inbox/list.csv");
        }
        List<AuditEvent> received = audit(gw, "upload.received", "/ACME1/inbox/list.csv");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).detail()).contains("sha256=" + sha256(data)).contains("size=" + data.length);
        assertThat(audit(gw, "upload.received", "/ACME1/inbox/list.csv.filepart")).isEmpty();
        assertThat(uploadRows(gw, "list.csv")).isEqualTo(1);
        assertThat(uploadRows(gw, "list.csv.filepart")).isZero();
        try (Stream<Path> s = Files.list(inbox(gw))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    @Order(3)
    void aNameBeingUploadedByAnotherSessionCannotBeOverwritten() throws Exception {
        byte[] mine = randomBytes(3000, 3);
        try (MinaSftp first = MinaSftp.connect(gw, ACME); MinaSftp second = MinaSftp.connect(gw, ACME)) {
            SftpClient.CloseableHandle h = create(first.sftp, "/ACME1/inbox/dup.csv");
            first.sftp.write(h, 0, mine, 0, 1000);
            for (List<OpenMode> modes : List.of(List.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate),
                    List.of(OpenMode.Write, OpenMode.Create, OpenMode.Exclusive), List.of(OpenMode.Write),
                    List.of(OpenMode.Write, OpenMode.Append))) {
                assertThatThrownBy(() -> second.sftp.open("/ACME1/inbox/dup.csv", modes).close())
                        .as("open %s", modes).isInstanceOf(SftpException.class);
            }
            assertThatThrownBy(() -> second.sftp.rename("/ACME1/inbox/dup.csv", "/ACME1/inbox/taken.csv"))
                    .isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> second.sftp.remove("/ACME1/inbox/dup.csv")).isInstanceOf(SftpException.class);
            first.sftp.write(h, 1000, mine, 1000, 2000);
            h.close();
        }
        List<AuditEvent> received = audit(gw, "upload.received", "/ACME1/inbox/dup.csv");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).detail()).contains("sha256=" + sha256(mine));
    }

    @Test
    @Order(4)
    void anUploadOverTheSizeCapFailsAndLeavesNothing() throws Exception {
        try (TestGateway small = TestGateway.start(smallHome, Map.of("CALLGATE_SFTP_MAX_UPLOAD_BYTES", "1000"))) {
            setUpAcme(small);
            byte[] data = randomBytes(2000, 4);
            // MINA's client, in 500-byte writes: the first two fit, the third goes over.
            try (MinaSftp m = MinaSftp.connect(small, ACME)) {
                SftpClient.CloseableHandle h = create(m.sftp, "/ACME1/inbox/big.csv");
                assertThatThrownBy(() -> {
                    for (int off = 0; off < data.length; off += 500) {
                        m.sftp.write(h, off, data, off, 500);
                    }
                }).isInstanceOf(SftpException.class);
                try {
                    h.close(); // a client that carries on and closes must not get a truncated upload accepted
                } catch (IOException expected) {
                    // refusing the close is fine too
                }
                // and a single 2000-byte write
                SftpClient.CloseableHandle h2 = create(m.sftp, "/ACME1/inbox/big2.csv");
                assertThatThrownBy(() -> m.sftp.write(h2, 0, data)).isInstanceOf(SftpException.class);
                try {
                    h2.close();
                } catch (IOException expected) {
                    // fine
                }
            }
            // OpenSSH's sftp
            Files.write(small.home.resolve("big3.csv"), data);
            assertThat(small.sftp(ACME, "put big3.csv /ACME1/inbox/big3.csv\n").exit()).isNotZero();
            // and a file within the cap still goes through
            Files.write(small.home.resolve("ok.csv"), randomBytes(1000, 5));
            small.sftp(ACME, "put ok.csv /ACME1/inbox/ok.csv\n").assertOk();

            for (String name : List.of("big.csv", "big2.csv", "big3.csv")) {
                assertThat(audit(small, "upload.received", "/ACME1/inbox/" + name)).as(name).isEmpty();
                assertThat(uploadRows(small, name)).as(name).isZero();
            }
            assertThat(audit(small, "upload.received", "/ACME1/inbox/ok.csv")).hasSize(1);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                try (Stream<Path> s = Files.list(inbox(small))) {
                    assertThat(s).isEmpty();
                }
            });
            assertThat(uploadRows(small, "ok.csv")).isEqualTo(1); // the pipeline may already have destroyed its spool file
        }
    }

    @Test
    @Order(5)
    void attributeChangesOnAnOutboxFileAreAcceptedAndChangeNothing() throws Exception {
        Path file = gw.dataDir.resolve("sftp/ACME1/outbox/report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "report\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        FileTime mtime = FileTime.from(Instant.parse("2024-05-01T10:00:00Z"));
        Files.setLastModifiedTime(file, mtime);

        try (MinaSftp m = MinaSftp.connect(gw, ACME)) {
            m.sftp.setStat("/ACME1/outbox/report.txt", new SftpClient.Attributes().perms(0777));
            m.sftp.setStat("/ACME1/outbox/report.txt", new SftpClient.Attributes()
                    .modifyTime(FileTime.from(Instant.parse("2000-01-01T00:00:00Z")))
                    .accessTime(FileTime.from(Instant.parse("2000-01-01T00:00:00Z"))));
            // truncating is not an attribute change: refused, cleanly
            assertThatThrownBy(() -> m.sftp.setStat("/ACME1/outbox/report.txt", new SftpClient.Attributes().size(0)))
                    .isInstanceOfSatisfying(SftpException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
            try (SftpClient.CloseableHandle h = m.sftp.open("/ACME1/outbox/report.txt", OpenMode.Read)) {
                m.sftp.setStat(h, new SftpClient.Attributes().perms(0600));
            }
        }
        gw.sftp(ACME, "chmod 777 /ACME1/outbox/report.txt\nchmod 000 /ACME1/outbox/report.txt\n").assertOk();

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(Files.readString(file)).isEqualTo("report\n");
    }

    @Test
    @Order(6)
    void bytesBeingUploadedAreNotPlaintextOnDisk() throws Exception {
        String marker = "CALLGATE-PLAINTEXT-MARKER;+358401234567;Meikäläinen\n";
        byte[] data = marker.repeat(100).getBytes(StandardCharsets.UTF_8);
        try (MinaSftp m = MinaSftp.connect(gw, ACME)) {
            try (SftpClient.CloseableHandle h = create(m.sftp, "/ACME1/inbox/marker.csv")) {
                m.sftp.write(h, 0, data);
                byte[] onDisk = Files.readAllBytes(inbox(gw).resolve("marker.csv"));
                assertThat(onDisk).hasSize(data.length);
                String asText = new String(onDisk, StandardCharsets.ISO_8859_1);
                assertThat(asText).doesNotContain("CALLGATE-PLAINTEXT-MARKER").doesNotContain("+358401234567");
            }
        }
        assertThat(audit(gw, "upload.received", "/ACME1/inbox/marker.csv")).hasSize(1);
    }

    @Test
    @Order(7)
    void openSshPutWithPreservedTimesWorks() throws Exception {
        Path local = gw.file("preserved.csv", "first_name;phone\nMaija;+358501234567\n");
        Files.setLastModifiedTime(local, FileTime.from(Instant.parse("2023-01-01T00:00:00Z")));
        gw.sftp(ACME, "put -p preserved.csv /ACME1/inbox/preserved.csv\n").assertOk();
        List<AuditEvent> received = audit(gw, "upload.received", "/ACME1/inbox/preserved.csv");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).detail()).contains("sha256=" + sha256(Files.readAllBytes(local)));
    }

    @Test
    @Order(8)
    void theAuditedSha256IsTheUploadedBytes() throws Exception {
        byte[] data = randomBytes(100_000, 8);
        try (MinaSftp m = MinaSftp.connect(gw, ACME)) {
            try (SftpClient.CloseableHandle h = create(m.sftp, "/ACME1/inbox/hashed.bin")) {
                for (int off = 0; off < data.length; off += 32 * 1024) {
                    m.sftp.write(h, off, data, off, Math.min(32 * 1024, data.length - off));
                }
            }
        }
        List<AuditEvent> received = audit(gw, "upload.received", "/ACME1/inbox/hashed.bin");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).detail()).contains("sha256=" + sha256(data)).contains("size=" + data.length);
        // and the spool holds exactly these bytes, encrypted
        var upload = gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM upload WHERE original_name = ?")) {
                ps.setString(1, "hashed.bin");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(received.get(0).detail()).contains("id=" + upload);
    }

    @Test
    @Order(99)
    void aRestartDeletesLeftoverPartialFilesInWriteAreas() throws Exception {
        Path leftover = inbox(gw).resolve("leftover.csv");
        Path tmp = inbox(gw).resolve("other.csv.filepart");
        Path results = gw.dataDir.resolve("sftp/ACME1/results/r.csv");
        Path outbox = gw.dataDir.resolve("sftp/ACME1/outbox/keep.txt");
        for (Path p : List.of(leftover, tmp, results, outbox)) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "partial");
        }
        gw.restart();
        assertThat(leftover).doesNotExist();
        assertThat(tmp).doesNotExist();
        assertThat(results).doesNotExist();
        assertThat(outbox).as("read areas are not write areas: kept").exists();
        assertThat(uploadRows(gw, "leftover.csv")).isZero();
        // and uploads work after the restart
        gw.file("after.csv", "a;b\n");
        gw.sftp(ACME, "put after.csv /ACME1/inbox/after.csv\n").assertOk();
        assertThat(audit(gw, "upload.received", "/ACME1/inbox/after.csv")).hasSize(1);
    }
}
