package fi.callgate.gateway.flow.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.SevenZip;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.PlaintextScan;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aes-zip agreement end to end with the real tools (issue #16): a supplier and a controller whose staff
 * have only 7-Zip send lists made with Debian's {@code 7z} and get their reports, notices and exports as
 * AES-256 zips that {@code 7z x -p…} opens; every unacceptable archive is refused with its reason and leaves
 * nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AesZipFlowTest {
    static final String SUPPLIER_PASS = "vendor passphrase agreed on paper 2026";
    static final String LIST = """
            etunimi;sukunimi;puhelin;lähde
            Seppo;Seitsemänzippi;040 700 0001;Kuluttajarekisteri
            Saara;Salasana;040 700 0002;Kuluttajarekisteri
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller beta;
    Controller vendor;
    String controllerPass;
    Path work;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        gw.admin("campaign", "add", "Z1", "--org", "Beta", "--ends", "2099-12-31").assertOk();
        beta = new Controller(gw, "ctl-beta", "Beta", "Beta <it@beta.example>");
        vendor = new Controller(gw, "sup-zip", "supplier", "ZipLists", "ZipLists <x@ziplists.example>");
        gw.account("sup-z", "supervisor", null);
        gw.account("dial-z", "dialer", null);
        gw.admin("campaign", "grant", "Z1", "sup-z").assertOk();
        gw.admin("campaign", "grant", "Z1", "dial-z").assertOk();
        work = Files.createDirectories(home.resolve("work"));
    }

    @AfterAll
    void tearDown() {
        vendor.close();
        beta.close();
        gw.close();
        PlaintextScan.assertAbsent(gw.dataDir, List.of("Seitsemänzippi", "Salasana", "+358407000001",
                "Kuluttajarekisteri", "Zippinen", SUPPLIER_PASS, controllerPass));
    }

    @Test
    @Order(1)
    void passphrasesAreGeneratedOnceOrGivenLongEnough() {
        gw.ssh("sup-z", "campaign", "method", "Z1", "aes-zip").assertOk();
        String out = gw.ssh("sup-z", "campaign", "passphrase", "Z1", "--generate").assertOk().out();
        controllerPass = out.lines().map(String::strip).filter(l -> l.matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){6}"))
                .findFirst().orElseThrow();
        assertThat(controllerPass.replace("-", "")).hasSize(28); // 28 symbols x 5 bits = 140 bits
        assertThat(gw.admin("campaign", "show", "Z1").assertOk().out()).doesNotContain(controllerPass);
        assertThat(gw.admin("audit", "tail", "50").assertOk().out()).doesNotContain(controllerPass);

        gw.admin("campaign", "supplier", "Z1", vendor.account, "--agreement", "ZL-2026-3").assertOk();
        gw.admin("campaign", "method", "Z1", "aes-zip", "--party", vendor.account).assertOk();
        assertThat(gw.sshIn("it-admin", "too short pass", "campaign", "passphrase", "Z1", "--party", vendor.account)
                .exit()).isNotZero();
        gw.sshIn("it-admin", SUPPLIER_PASS + "\n", "campaign", "passphrase", "Z1", "--party", vendor.account).assertOk();
        assertThat(gw.admin("campaign", "method", "Z1", "zip").exit()).isNotZero();
        assertThat(gw.admin("campaign", "passphrase", "Z1", "--generate", "--party", "nobody").exit()).isNotZero();
    }

    private Path archive(String name, List<String> options, String csvName, byte[] content) throws IOException {
        Path dir = Files.createDirectories(work.resolve("a-" + System.nanoTime()));
        Files.write(dir.resolve(csvName), content);
        return SevenZip.archive(dir, name, options, csvName);
    }

    private Path extracted(Controller who, String campaign, String file, String passphrase) {
        Path local = work.resolve("dl-" + System.nanoTime() + "-" + file);
        gw.sftp(who.account, "get /" + campaign + "/outbox/" + file + " " + local + "\n").assertOk();
        Path out = work.resolve("x-" + System.nanoTime());
        SevenZip.extract(local, passphrase, out).requireOk();
        return out.resolve(file.substring(0, file.length() - ".zip".length()));
    }

    @Test
    @Order(2)
    void aSuppliersSevenZipListIsAcceptedAndAnsweredWithAnAesZip() throws Exception {
        Path a = archive("list.7z", SevenZip.sevenZAes(SUPPLIER_PASS, true), "list.csv", LIST.getBytes(StandardCharsets.UTF_8));
        AuditEvent.Entry done = vendor.upload("Z1", a, "list.7z");
        assertThat(done.event().outcome()).isEqualTo(AuditEvent.Outcome.OK);
        assertThat(done.event().detail()).contains("rows_accepted=2");
        String report = Files.readString(extracted(vendor, "Z1", "list.7z.report.csv.zip", SUPPLIER_PASS));
        assertThat(report).contains(";rows_accepted;2").doesNotContain("Seppo");
        assertThat(gw.sftp(beta.account, "ls -1 /Z1/outbox\n").assertOk().out()).doesNotContain("list.7z.report");

        String notice = gw.sftp(beta.account, "ls -1 /Z1/outbox\n").assertOk().out().lines().map(String::strip)
                .filter(l -> l.contains("supplier-list-sup-zip-")).map(l -> l.substring(l.lastIndexOf('/') + 1))
                .findFirst().orElseThrow();
        assertThat(notice).endsWith(".csv.zip");
        assertThat(Files.readString(extracted(beta, "Z1", notice, controllerPass))).contains("supplier;ZipLists")
                .contains("agreement;ZL-2026-3").contains("rows_accepted;2");
    }

    @Test
    @Order(3)
    void theSameSupplierMaySendOpenPgpAndGetsItsReportInItsAgreedMethod() throws Exception {
        Path f = vendor.encrypt("pgp.csv", """
                first_name;last_name;phone;source
                Pertti;Zippinen;040 700 0003;Kuluttajarekisteri
                """.getBytes(StandardCharsets.UTF_8), false, false, -1);
        assertThat(vendor.upload("Z1", f, "pgp.csv.gpg").event().detail()).contains("rows_accepted=1");
        assertThat(Files.readString(extracted(vendor, "Z1", "pgp.csv.gpg.report.csv.zip", SUPPLIER_PASS)))
                .contains(";rows_accepted;1");
    }

    @Test
    @Order(4)
    void theControllersOwnAesZipListIsAccepted() throws Exception {
        Path a = archive("own.zip", SevenZip.zip(controllerPass, "AES256"), "own.csv", """
                first_name;last_name;phone;source
                Olli;Oma;040 700 0004;Oma asiakasrekisteri
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(beta.upload("Z1", a, "own.zip").event().detail()).contains("rows_accepted=1");
        assertThat(Files.readString(extracted(beta, "Z1", "own.zip.report.csv.zip", controllerPass)))
                .contains(";rows_accepted;1");
    }

    @Test
    @Order(5)
    void unacceptableArchivesAreRefusedWithAReasonAndNothingStored() throws Exception {
        long before = gw.callgate().records().count("Z1");
        byte[] list = LIST.getBytes(StandardCharsets.UTF_8);
        Map<String, Path> cases = new HashMap<>();
        cases.put("LEGACY_ZIP_ENCRYPTION", archive("zc.zip", SevenZip.zip(SUPPLIER_PASS, "ZipCrypto"), "l.csv", list));
        cases.put("WRONG_PASSPHRASE", archive("wrong.7z", SevenZip.sevenZAes("some other passphrase entirely", true),
                "l.csv", list));
        Path two = Files.createDirectories(work.resolve("two"));
        Files.write(two.resolve("a.csv"), list);
        Files.write(two.resolve("b.csv"), list);
        cases.put("SEVERAL_ENTRIES", SevenZip.archive(two, "two.7z", SevenZip.sevenZAes(SUPPLIER_PASS, true),
                "a.csv", "b.csv"));
        Path bombDir = Files.createDirectories(work.resolve("bomb"));
        try (OutputStream out = Files.newOutputStream(bombDir.resolve("l.csv"))) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 40; i++) {
                out.write(block);
            }
        }
        cases.put("COMPRESSION_RATIO", SevenZip.archive(bombDir, "bomb.zip", SevenZip.zip(SUPPLIER_PASS, "AES256"),
                "l.csv"));
        cases.put("NOT_ENCRYPTED", archive("plain.zip", List.of("-tzip"), "l.csv", list));
        for (Map.Entry<String, Path> c : cases.entrySet()) {
            String name = c.getValue().getFileName().toString();
            AuditEvent.Entry done = vendor.upload("Z1", c.getValue(), name);
            assertThat(done.event().outcome()).as(name).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(done.event().detail()).as(name).contains("reason=" + c.getKey());
            String report = Files.readString(extracted(vendor, "Z1", name + ".report.csv.zip", SUPPLIER_PASS));
            assertThat(report).as(name).contains("file_rejected").contains(c.getKey())
                    .contains("nothing from this file was stored");
        }
        assertThat(Files.readString(extracted(vendor, "Z1", "zc.zip.report.csv.zip", SUPPLIER_PASS)))
                .contains("legacy zip encryption");
        assertThat(gw.callgate().records().count("Z1")).isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).until(() -> Controller.spoolEmpty(gw.dataDir));
    }

    @Test
    @Order(6)
    void theOrdersExportIsAnAesZipNamingTheSupplier() throws Exception {
        Path local = work.resolve("list-" + System.nanoTime() + ".csv");
        gw.sftp("dial-z", "get /Z1/lists/Z1-0001.csv " + local + "\n").assertOk();
        String id = Files.readAllLines(local).stream().filter(l -> l.contains("+358407000001"))
                .map(l -> l.split(";")[0]).findFirst().orElseThrow();
        Path results = work.resolve("res.csv");
        Files.writeString(results, "record_id;outcome;product;start_date;invoice_due_date;offer_sent\n"
                + id + ";order;Lehti 6 kk;2026-05-01;2026-05-15;no\n");
        gw.sftp("dial-z", "put " + results + " /Z1/results/res.csv\n").assertOk();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !gw.callgate().audit().find("results.processed", "/Z1/results/res.csv").isEmpty());
        String out = gw.ssh("sup-z", "campaign", "export", "Z1").assertOk().out();
        String orders = out.lines().map(l -> l.substring(l.lastIndexOf('/') + 1)).filter(f -> f.startsWith("orders-"))
                .findFirst().orElseThrow();
        assertThat(orders).matches("orders-Z1-\\d{14}\\.csv\\.zip");
        List<String> rows = Files.readAllLines(extracted(beta, "Z1", orders, controllerPass));
        assertThat(rows.get(0)).endsWith(";supplier;agreement");
        assertThat(rows.stream().filter(r -> r.startsWith(id)).findFirst().orElseThrow())
                .contains("Seitsemänzippi").endsWith(";ZipLists;ZL-2026-3");
        recordId = id;
    }

    String recordId;

    @Test
    @Order(7)
    void aRecordingReachesAnAesZipControllerAsAnAesZip() throws Exception {
        gw.admin("campaign", "set", "Z1", "--recordings", "REC-Z1").assertOk();
        byte[] audio = RecordingsFlowTest.wav();
        Path f = work.resolve(recordId + ".wav");
        Files.write(f, audio);
        gw.sftp("sup-z", "put " + f + " /Z1/recordings/" + recordId + ".wav\n").assertOk();
        await().atMost(Duration.ofSeconds(60)).until(() -> !gw.callgate().audit()
                .find("recording.delivered", "/Z1/recordings/" + recordId + ".wav").isEmpty());
        assertThat(Files.readAllBytes(extracted(beta, "Z1", recordId + ".wav.zip", controllerPass))).isEqualTo(audio);
        PlaintextScan.assertAbsent(gw.dataDir, List.of(RecordingsFlowTest.MARKER));
    }
}
