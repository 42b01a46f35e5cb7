package fi.callgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.gateway.boot.ConfigException;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.SimulatedCrash;
import fi.callgate.gateway.support.StageFaults;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EEA-only rule for data-dir: locations outside the EEA (the UK, Switzerland and their cloud regions)
 * and unknown codes are refused at start, and — when the configuration is changed while running — at the
 * drop point, before any byte of an upload lands, with nothing written under data-dir by any part, until an
 * EEA location is reloaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageLocationTest {
    static final String[] REFUSED = {"GB", "CH", "eu-west-2", "europe-west6", "switzerlandnorth", "mars-east-1"};
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home.resolve("running"), Map.of("CALLGATE_STORAGE_LOCATION", "europe-north1"));
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme <lists@acme.example>");
        acme.keyFor("C1");
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @ParameterizedTest(name = "start refused with storage.location {0}")
    @ValueSource(strings = {"GB", "CH", "eu-west-2", "europe-west6", "switzerlandnorth", "mars-east-1"})
    void startIsRefused(String location) throws Exception {
        Path dir = home.resolve("start-" + location);
        assertThatThrownBy(() -> TestGateway.start(dir, Map.of("CALLGATE_STORAGE_LOCATION", location)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config storage.location:");
        assertThat(Files.exists(dir.resolve("data"))).as("nothing written").isFalse();
    }

    @Test
    void aLocationChangedWhileRunningIsRefusedAtTheDropPoint() throws Exception {
        double refusalsBefore = gw.callgate().registry().get("callgate_storage_refusals").counter().count();
        long recordsBefore = gw.callgate().records().count("C1");
        for (String location : REFUSED) {
            gw.reload("CALLGATE_STORAGE_LOCATION", location);
            Path file = list("while-" + location);
            assertThat(gw.sftp(acme.account, "put " + file + " /C1/inbox/while-" + location + ".gpg\n").exit())
                    .as("OpenSSH put with storage.location " + location).isNotZero();
            assertThat(refusalSeenByClient("/C1/inbox/x-" + location + ".gpg"))
                    .contains("storage location " + location + " is ").contains("; uploads are refused");
        }
        assertThat(gw.callgate().registry().get("callgate_storage_refusals").counter().count())
                .isGreaterThanOrEqualTo(refusalsBefore + 2 * REFUSED.length);
        assertThat(gw.callgate().records().count("C1")).isEqualTo(recordsBefore);
        // Corrected: uploads go through again.
        gw.reload("CALLGATE_STORAGE_LOCATION", "FI");
        acme.upload("C1", list("after"), "after.gpg");
        assertThat(gw.callgate().records().count("C1")).isEqualTo(recordsBefore + 1);
    }

    /**
     * CONTRACT §6, "refused before any byte is written": while storage.location is GB, an upload attempt with
     * OpenSSH's sftp, a command that would change something, an upload parked mid-pipeline taken up again,
     * the export timer and a scrape leave every file under data-dir as it was — the spool, the database
     * (HSQLDB appends every statement, audit entries included, to its .log), exports, receipts. /health and a
     * metric say why; reloading an EEA location lets the parked upload and new ones through.
     */
    @Test
    void whileRefusedNothingIsWrittenUnderDataDir() throws Exception {
        // An upload the pipeline stopped after decryption (as a kill would), so there is work to resume.
        AtomicBoolean parked = new AtomicBoolean();
        gw.faults = (stage, id) -> {
            if (stage.equals("decrypt") && parked.compareAndSet(false, true)) {
                throw new SimulatedCrash(stage);
            }
        };
        gw.sftp(acme.account, "put " + list("parked") + " /C1/inbox/parked.gpg\n").assertOk();
        await().atMost(Duration.ofSeconds(30)).untilTrue(parked);
        gw.faults = StageFaults.NONE;

        gw.reload("CALLGATE_STORAGE_LOCATION", "GB");
        Path file = list("refused");
        Map<String, String> before = snapshot(gw.dataDir);
        Proc.Result put = gw.sftp(acme.account, "put " + file + " /C1/inbox/refused.gpg\n");
        String seen = refusalSeenByClient("/C1/inbox/refused.gpg");
        Proc.Result change = gw.admin("account", "add", "newcomer", "--role", "supervisor");
        Proc.Result read = gw.admin("campaign", "list");
        gw.callgate().intake().resumeUnfinished();
        gw.callgate().exports().tick();
        HttpResponse<String> health = MetricsScrape.get(gw.callgate().managementPort(), "/health");
        String metrics = MetricsScrape.fetch(gw.callgate().managementPort()).text;
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> gw.callgate().audit().find("upload.processed", "/C1/inbox/parked.gpg").isEmpty());

        assertThat(snapshot(gw.dataDir)).as("data-dir after the attempts").isEqualTo(before);
        assertThat(put.exit()).as(put.err()).isNotZero();
        assertThat(seen).endsWith("storage location GB is outside the EEA; uploads are refused");
        assertThat(change.exit()).isEqualTo(5);
        assertThat(change.err()).contains("storage location GB is outside the EEA");
        assertThat(read.assertOk().out()).contains("C1");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"storage\":\"down\"", "storage location GB is outside the EEA");
        assertThat(metrics).contains("callgate_storage_location_refused{location=\"GB\"} 1.0");

        gw.reload("CALLGATE_STORAGE_LOCATION", "FI");
        acme.awaitProcessed("C1", "parked.gpg"); // taken up by the reload itself
        assertThat(MetricsScrape.get(gw.callgate().managementPort(), "/health").statusCode()).isEqualTo(200);
        assertThat(MetricsScrape.fetch(gw.callgate().managementPort()).text)
                .contains("callgate_storage_location_refused{location=\"FI\"} 0.0")
                .doesNotContain("location=\"GB\"");
        acme.upload("C1", file, "refused.gpg");
    }

    private Path list(String name) {
        return acme.encrypt(name + ".csv", Controller.utf8("first_name;last_name;phone;source\nA;B;0401234567;x\n"),
                false, false, -1);
    }

    /** What an SFTP client that shows the server's status message (MINA's) is told when it opens for write. */
    private String refusalSeenByClient(String path) throws Exception {
        return withMinaSftp(sftp -> {
            try {
                sftp.open(path, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create).close();
                return "(no refusal: " + path + " was opened for writing)";
            } catch (SftpException e) {
                assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED);
                return e.getMessage();
            }
        });
    }

    /** An upload already open when the location is refused takes no further byte. */
    @Test
    void anUploadOpenWhenTheLocationIsRefusedTakesNoMoreBytes() throws Exception {
        String message = withMinaSftp(sftp -> {
            SftpClient.CloseableHandle h = sftp.open("/C1/inbox/midway.gpg", SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Create);
            sftp.write(h, 0, new byte[1024]);
            gw.reload("CALLGATE_STORAGE_LOCATION", "CH");
            try {
                sftp.write(h, 1024, new byte[1024]);
                throw new AssertionError("a write after the refusal was taken");
            } catch (SftpException e) {
                return e.getMessage();
            } finally {
                try {
                    h.close(); // the hand-off needs the store, which takes no writes now: refused as well
                } catch (IOException expected) {
                    // the client is told to upload again
                }
            }
        });
        gw.reload("CALLGATE_STORAGE_LOCATION", "FI");
        assertThat(message).isEqualTo("storage location CH is outside the EEA; uploads are refused");
    }

    @FunctionalInterface
    private interface SftpWork<T> {
        T run(SftpClient sftp) throws Exception;
    }

    private <T> T withMinaSftp(SftpWork<T> work) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = client.connect(acme.account, "127.0.0.1", gw.port())
                    .verify(Duration.ofSeconds(15)).getSession()) {
                for (KeyPair kp : new FileKeyPairProvider(gw.newKey(acme.account)).loadKeys(null)) {
                    session.addPublicKeyIdentity(kp);
                }
                session.auth().verify(Duration.ofSeconds(15));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    return work.run(sftp);
                }
            }
        }
    }

    /** Every file under data-dir: its size and SHA-256 (HSQLDB's lock file: its size; its heartbeat rewrites it). */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = dir.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    out.put(name + "/", "dir");
                } else if (name.endsWith(".lck")) {
                    out.put(name, Files.size(p) + " bytes");
                } else {
                    out.put(name, Files.size(p) + " bytes, sha256 " + sha256(p));
                }
            }
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
