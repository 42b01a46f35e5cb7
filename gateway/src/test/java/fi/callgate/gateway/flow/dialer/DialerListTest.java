package fi.callgate.gateway.flow.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialer's side, with the real clients: a controller uploads with sftp and gpg, the dialer account
 * downloads its list with sftp. The list has exactly {@code record_id;phone;} and the campaign's dialer
 * fields, no blocked number, is sealed on disk, and its pickup is audited with the served bytes' SHA-256.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DialerListTest {
    static final String LIST = """
            etunimi;sukunimi;puhelin;sähköposti;kaupunki;lähde;notes
            Matti;Meikäläinen;040 123 4567;matti@example.fi;Tampere;Asiakasrekisteri 2026;vip
            Liisa;Virtanen;+358 50 7654321;liisa@example.fi;Turku;Messut Tampere;
            Onni;"Ojala; Jr";0449998877;;Oulu;Messut;
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        for (String c : List.of("D1", "D2")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31", "--dialer-fields",
                    "first_name,last_name,city").assertOk();
        }
        gw.admin("campaign", "add", "V1", "--org", "Acme", "--ends", "2099-12-31", "--dialer-fields",
                "first_name,last_name,city", "--dialer-format", "vicidial").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
        for (String c : List.of("D1", "D2", "V1")) {
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "sup").assertOk();
            gw.admin("campaign", "grant", c, "dial").assertOk();
        }
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @Test
    void theDialerGetsOnlyItsFieldsAndNoBlockedNumber() throws Exception {
        gw.ssh("sup", "blocklist", "add", "050-7654321").assertOk();
        AuditEvent.Entry done = acme.upload("D1", acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1),
                "list.csv.gpg");
        assertThat(done.event().detail()).contains("rows_accepted=3");

        byte[] got = download("dial", "/D1/lists/D1-0001.csv");
        String text = new String(got, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r\n", -1));
        assertThat(lines.get(0)).isEqualTo("record_id;phone;first_name;last_name;city");
        assertThat(lines).hasSize(4).last().isEqualTo(""); // two rows, CRLF-terminated
        assertThat(lines.get(1)).matches("[a-z2-7]{26};\\+358401234567;Matti;Meikäläinen;Tampere");
        assertThat(lines.get(2)).matches("[a-z2-7]{26};\\+358449998877;Onni;\"Ojala; Jr\";Oulu");
        assertThat(text).doesNotContain("+358507654321").doesNotContain("Liisa")
                .doesNotContain("example.fi").doesNotContain("Messut").doesNotContain("Asiakasrekisteri")
                .doesNotContain("vip");
        assertThat(gw.callgate().registry().scrape()).contains("callgate_ingest_records_total{outcome=\"blocked\"} 1.0");

        // Byte-identical on every read, and the reported size is the plaintext's.
        assertThat(download("dial", "/D1/lists/D1-0001.csv")).isEqualTo(got);
        Proc.Result ls = gw.sftp("dial", "ls -l /D1/lists\n").assertOk();
        assertThat(ls.out()).containsPattern("\\s" + got.length + "\\s.*D1-0001\\.csv");

        // The pickup record: account, list, bytes and the SHA-256 of exactly what was served.
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got));
        List<AuditEvent.Entry> pickups = gw.callgate().audit().find("dialer.list.pickup", "/D1/lists/D1-0001.csv");
        assertThat(pickups).isNotEmpty().allSatisfy(e -> {
            assertThat(e.event().actor()).isEqualTo("dial");
            assertThat(e.event().detail()).contains("bytes=" + got.length, "sha256=" + sha, "complete=true");
        });

        // At rest the list is sealed: none of its content is on disk in plaintext.
        Path onDisk = gw.dataDir.resolve("sftp/D1/lists/D1-0001.csv");
        assertThat(onDisk).exists();
        for (Path f : filesUnder(gw.dataDir)) {
            String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            String utf = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            for (String secret : List.of("+358401234567", "0401234567", "Tampere", "Meik", "Ojala")) {
                assertThat(raw).as(f.toString()).doesNotContain(secret);
                assertThat(utf).as(f.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void aNumberBlockedAfterPublicationLeavesListsNotYetDownloaded() throws Exception {
        String list = """
                first_name;last_name;phone;source
                Aino;Aalto;0401110001;Messut
                Eino;Eskola;0401110002;Messut
                """;
        acme.upload("D2", acme.encrypt("a.csv", Controller.utf8(list), true, false, -1), "a.csv.gpg");
        byte[] first = download("dial", "/D2/lists/D2-0001.csv"); // downloaded: stays as it is
        acme.upload("D2", acme.encrypt("b.csv", Controller.utf8(list), true, false, -1), "b.csv.gpg");
        byte[] supervisorRead = download("sup", "/D2/lists/D2-0002.csv"); // a supervisor's read is no pickup
        assertThat(new String(supervisorRead, StandardCharsets.UTF_8)).contains("+358401110002");

        gw.ssh("sup", "blocklist", "add", "+358-40-111-0002").assertOk();

        String second = new String(download("dial", "/D2/lists/D2-0002.csv"), StandardCharsets.UTF_8);
        assertThat(second).contains("+358401110001").doesNotContain("+358401110002")
                .startsWith("record_id;phone;first_name;last_name;city\r\n");
        assertThat(second.split("\r\n")).hasSize(2);
        // Each pickup names the SHA-256 recorded when the version it read was published (nothing is hashed
        // on the download path): the supervisor's read the first rendering, the dialer's the re-rendered one.
        List<String> pickups = gw.callgate().audit().find("dialer.list.pickup", "/D2/lists/D2-0002.csv").stream()
                .map(e -> e.event().detail()).toList();
        assertThat(pickups).hasSize(2);
        assertThat(pickups.get(0)).contains("sha256=" + sha256(supervisorRead), "complete=true");
        assertThat(pickups.get(1)).contains("sha256=" + sha256(second.getBytes(StandardCharsets.UTF_8)),
                "complete=true");
        assertThat(download("dial", "/D2/lists/D2-0001.csv")).isEqualTo(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("+358401110002");
        assertThat(gw.callgate().audit().find("dialer.list.publish", "/D2/lists/D2-0002.csv"))
                .extracting(e -> e.event().detail()).anyMatch(d -> d.contains("reason=blocked") && d.contains("blocked=1"));
    }

    @Test
    void aVicidialCampaignGetsTheStandardLeadLayoutAndOverLongValuesAreReported() {
        String list = """
                first_name;last_name;phone;email;city;source
                Aino;Aalto;0401120001;aino@example.fi;Espoo;Messut
                Maximiliana-Alexandrina-Josefiina;Aalto;0401120002;;Espoo;Messut
                """;
        acme.upload("V1", acme.encrypt("v.csv", Controller.utf8(list), true, false, -1), "v.csv.gpg");
        String text = new String(download("dial", "/V1/lists/V1-0001.csv"), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n").doesNotContain("Maximiliana").doesNotContain("aino@example.fi");
        String[] lines = text.split("\r\n");
        assertThat(lines).hasSize(1);
        String[] cols = lines[0].split("\t", -1);
        assertThat(cols).hasSize(23);
        assertThat(cols[0]).isEmpty();                       // vendor_lead_code
        assertThat(cols[1]).matches("[a-z2-7]{26}");          // source_id = record_id
        assertThat(cols[3]).isEqualTo("358");                 // phone_code
        assertThat(cols[4]).isEqualTo("401120001");           // phone_number
        assertThat(cols[6]).isEqualTo("Aino");                // first_name
        assertThat(cols[8]).isEqualTo("Aalto");               // last_name
        assertThat(cols[12]).isEqualTo("Espoo");              // city
        assertThat(cols[20]).isEmpty();                       // email: not a dialer field of V1
        assertThat(gw.admin("campaign", "show", "V1").out()).contains("vicidial");
        assertThat(acme.report("V1", "v.csv.gpg")).contains(";dialer_rows_withheld;1")
                .contains("3;withheld;vicidial: first_name is longer than 30 characters")
                .doesNotContain("Maximiliana");
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] download(String person, String remote) {
        Path local = home.resolve("dl-" + System.nanoTime() + ".csv");
        gw.sftp(person, "get " + remote + " " + local + "\n").assertOk();
        try {
            return Files.readAllBytes(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(local);
            } catch (IOException ignored) {
                // a temp dir
            }
        }
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(out::add);
        }
        return out;
    }

}
