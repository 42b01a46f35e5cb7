package fi.callgate.gateway.flow.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results end to end with the real clients: a controller uploads lists (sftp + gpg), the dialer downloads
 * its list and uploads results (sftp), a supervisor exports, and the controller downloads, decrypts and
 * verifies the exports with gpg. Call bans reach the block list and leave lists not yet downloaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsFlowTest {
    static final String LIST = """
            first_name;last_name;phone;email;street;postal_code;city;source
            Matti;Meikäläinen;0401230001;matti@example.fi;Kauppakatu 1;33100;Tampere;Asiakasrekisteri 2026
            Liisa;Virtanen;0401230002;;;;Turku;Messut Turku
            Onni;Ojala;0401230003;;Vanha tie 2;90100;Oulu;Messut Oulu
            Aino;Aalto;0401230004;;;;Espoo;Kampanja X
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_EXPORT_INTERVAL", "PT1H"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
        for (String c : List.of("R1", "R2", "R3", "R4")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
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
    void ordersAddressChangesAndCallBansReachTheController() throws Exception {
        acme.upload("R1", acme.encrypt("a.csv", Controller.utf8(LIST), true, false, -1), "a.csv.gpg");
        Map<String, String> ids = ids(download("dial", "/R1/lists/R1-0001.csv"));
        // A second list with the number to be banned, published before the ban and not downloaded.
        acme.upload("R1", acme.encrypt("b.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Aino;Aalto;0401230004;Toinen lista
                Eino;Eskola;0401230005;Toinen lista
                """), true, false, -1), "b.csv.gpg");

        String results = "record_id;outcome;product;start_date;invoice_due_date;offer_sent;street;postal_code;city;email;phone\n"
                + ids.get("+358401230001") + ";order;\"=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\";2026-03-01;2026-03-15;2026-02-20;;;;;\n"
                + ids.get("+358401230002") + ";order;Sanomalehti 12 kk;2026-04-01;2026-04-14;no;;;;;\n"
                + ids.get("+358401230003") + ";address_change;;;;;Uusi katu 5;00100;Helsinki;onni@example.fi;050 123 4567\n"
                + ids.get("+358401230004") + ";call_ban;;;;;;;;;\n";
        AuditEvent.Entry processed = uploadResults("dial", "R1", "res1.csv", results);
        assertThat(processed.event().detail()).contains("rows_accepted=4", "rows_rejected=0", "call_bans=1");

        // The report, plain CSV in reports/, for the dialer; warns about the formula, no personal data.
        String report = new String(download("dial", "/R1/reports/res1.csv.report.csv"), StandardCharsets.UTF_8);
        assertThat(report).contains(";;rows_accepted;4").contains("product begins with a spreadsheet formula")
                .doesNotContain("HYPERLINK").doesNotContain("Helsinki").doesNotContain("+358");

        // The ban is in force at once: blocked, and gone from the list not yet downloaded.
        assertThat(gw.ssh("sup", "blocklist", "check", "040-123-0004").assertOk().out()).contains("blocked")
                .doesNotContain("not blocked");
        String second = new String(download("dial", "/R1/lists/R1-0002.csv"), StandardCharsets.UTF_8);
        assertThat(second).contains("+358401230005").doesNotContain("+358401230004");

        Proc.Result export = gw.ssh("sup", "campaign", "export", "R1").assertOk();
        List<String> files = export.out().lines().map(l -> l.substring(l.lastIndexOf('/') + 1)).toList();
        assertThat(files).hasSize(2);
        String orders = files.stream().filter(f -> f.startsWith("orders-R1-")).findFirst().orElseThrow();
        String bans = files.stream().filter(f -> f.startsWith("callbans-R1-")).findFirst().orElseThrow();
        assertThat(orders).matches("orders-R1-\\d{14}\\.csv\\.gpg");
        assertThat(bans).matches("callbans-R1-\\d{14}\\.csv\\.gpg");

        GnuPg.Result o = acme.fetchAndDecrypt("R1", orders).requireOk();
        assertThat(o.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint);
        List<String> rows = o.stdoutText().lines().toList();
        assertThat(rows.get(0)).startsWith("record_id;type;first_name;last_name;phone;email;street;postal_code;city;source;"
                + "product;start_date;invoice_due_date;offer_sent;offer_sent_on;new_street;new_postal_code;new_city;"
                + "new_email;new_phone;reported_at");
        assertThat(rows).hasSize(4);
        assertThat(row(rows, ids.get("+358401230001"))).contains(";order;Matti;Meikäläinen;+358401230001;"
                + "matti@example.fi;Kauppakatu 1;33100;Tampere;Asiakasrekisteri 2026;"
                + "\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\";2026-03-01;2026-03-15;yes;2026-02-20;");
        assertThat(row(rows, ids.get("+358401230002"))).contains(";Messut Turku;Sanomalehti 12 kk;2026-04-01;2026-04-14;no;;");
        assertThat(row(rows, ids.get("+358401230003"))).contains(";address_change;Onni;Ojala;+358401230003;",
                ";Messut Oulu;", "Uusi katu 5;00100;Helsinki;onni@example.fi;+358501234567;");
        for (String line : rows) {
            for (String cell : line.split(";")) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("@").doesNotStartWith("-");
            }
        }

        GnuPg.Result b = acme.fetchAndDecrypt("R1", bans).requireOk();
        assertThat(b.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint);
        assertThat(b.stdoutText()).startsWith("record_id;phone;source;banned_at\r\n")
                .contains(ids.get("+358401230004") + ";+358401230004;Kampanja X;");
        assertThat(b.stdoutText().lines().count()).isEqualTo(2);

        // Nothing is exported twice.
        assertThat(gw.ssh("sup", "campaign", "export", "R1").assertOk().out()).contains("nothing to export");

        // Housekeeping: the download starts keep-after-download (7 days), visible in retention status.
        String status = gw.admin("retention", "status").assertOk().out();
        assertThat(status).contains(orders).contains("export-downloaded");
        gw.clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(gw.callgate().exports().housekeeping()).isGreaterThanOrEqualTo(2);
        assertThat(gw.dataDir.resolve("sftp/R1/outbox/" + orders)).doesNotExist();
        assertThat(gw.dataDir.resolve("sftp/R1/outbox/" + bans)).doesNotExist();
        assertThat(gw.admin("retention", "status").assertOk().out()).containsPattern(orders + ".*shredded");
    }

    @Test
    void badRowsAreReportedAndValidRowsOfTheSameFileKept() throws Exception {
        acme.upload("R2", acme.encrypt("a.csv", Controller.utf8(LIST), true, false, -1), "a.csv.gpg");
        Map<String, String> ids = ids(download("dial", "/R2/lists/R2-0001.csv"));
        acme.upload("R3", acme.encrypt("c.csv", Controller.utf8(LIST.replace("040123", "040124")), true, false, -1),
                "c.csv.gpg");
        Map<String, String> other = ids(download("dial", "/R3/lists/R3-0001.csv"));

        String results = "record_id,outcome,product,start_date,invoice_due_date,offer_sent\n"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaa,done,,,,\n"                                   // 2 unknown id
                + other.get("+358401240001") + ",done,,,,\n"                                 // 3 another campaign's
                + ids.get("+358401230001") + ",order,Lehti,2026-02-30,2026-03-15,yes\n"      // 4 bad date
                + ids.get("+358401230002") + ",sold,,,,\n"                                   // 5 unknown outcome
                + ids.get("+358401230003") + ",order,@SUM(1+1)*cmd|' /C calc'!A0,2026-03-01,2026-03-15,yes\n" // 6 formula
                + ids.get("+358401230002") + ",not_interested,,,,\n"                         // 7 fine
                + ids.get("+358401230001") + ",order,Lehti,2026-03-01,2026-03-15,\n"         // 8 no offer_sent
                + "0401230002,done,,,,\n";                                                   // 9 a phone as id
        AuditEvent.Entry processed = uploadResults("sup", "R2", "bad.csv", results);
        String report = new String(download("sup", "/R2/reports/bad.csv.report.csv"), StandardCharsets.UTF_8);
        assertThat(processed.event().detail()).as(report).contains("rows_accepted=2", "rows_rejected=6");
        assertThat(report)
                .contains("2;aaaaaaaaaaaaaaaaaaaaaaaaaa;rejected;unknown record_id: no such record in this campaign")
                .contains("3;" + other.get("+358401240001") + ";rejected;unknown record_id: no such record in this campaign")
                .contains("4;" + ids.get("+358401230001") + ";rejected;order: start_date is missing or not a valid ISO-8601 date")
                .contains("5;" + ids.get("+358401230002") + ";rejected;\"unknown outcome")
                .contains("6;" + ids.get("+358401230003") + ";warning;\"product begins with a spreadsheet formula character")
                .contains("8;" + ids.get("+358401230001") + ";rejected;\"order: offer_sent must be")
                .contains("9;;rejected;unknown record_id")
                .contains(";;rows_accepted;2").contains(";;rows_rejected;6")
                .doesNotContain("0401230002").doesNotContain("SUM").doesNotContain("Lehti");

        String orders = gw.ssh("sup", "campaign", "export", "R2").assertOk().out().strip();
        String name = orders.substring(orders.lastIndexOf('/') + 1);
        String text = acme.fetchAndDecrypt("R2", name).requireOk().stdoutText();
        assertThat(text.lines().count()).isEqualTo(2);
        assertThat(text).contains(";'@SUM(1+1)*cmd|' /C calc'!A0;").contains(";Messut Oulu;");
    }

    @Test
    void aListIsCalledThroughWhenEveryRecordHasAFinalOutcome() throws Exception {
        acme.upload("R4", acme.encrypt("d.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Aino;Aalto;0401250001;Messut
                Eino;Eskola;0401250002;Messut
                """), true, false, -1), "d.csv.gpg");
        Map<String, String> ids = ids(download("dial", "/R4/lists/R4-0001.csv"));
        uploadResults("dial", "R4", "r1.csv", "record_id;outcome\n" + ids.get("+358401250001") + ";done\n"
                + ids.get("+358401250002") + ";callback\n");
        assertThat(gw.callgate().audit().find("list.called-through", null)).noneMatch(e -> e.event().detail()
                .contains("r1"));
        assertThat(gw.admin("retention", "status").assertOk().out()).containsPattern("R4 .*d\\.csv\\.gpg.*retention-deadline");
        uploadResults("dial", "R4", "r2.csv", "record_id;outcome\n" + ids.get("+358401250002") + ";wrong_number\n");
        assertThat(gw.admin("retention", "status").assertOk().out()).containsPattern("R4 .*d\\.csv\\.gpg.*called-through");
    }

    AuditEvent.Entry uploadResults(String person, String campaign, String name, String content) {
        Path local = home.resolve("up-" + System.nanoTime() + ".csv");
        try {
            Files.writeString(local, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gw.sftp(person, "put " + local + " /" + campaign + "/results/" + name + "\n").assertOk();
        String target = "/" + campaign + "/results/" + name;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !gw.callgate().audit().find("results.processed", target).isEmpty());
        List<AuditEvent.Entry> e = gw.callgate().audit().find("results.processed", target);
        return e.get(e.size() - 1);
    }

    static String row(List<String> rows, String recordId) {
        return rows.stream().filter(r -> r.startsWith(recordId + ";")).findFirst().orElseThrow();
    }

    /** phone → record id from a downloaded dialer list. */
    static Map<String, String> ids(byte[] list) {
        Map<String, String> m = new HashMap<>();
        new String(list, StandardCharsets.UTF_8).lines().skip(1).forEach(l -> {
            String[] c = l.split(";");
            m.put(c[1], c[0]);
        });
        return m;
    }

    byte[] download(String person, String remote) {
        Path local = home.resolve("dl-" + System.nanoTime() + ".csv");
        gw.sftp(person, "get " + remote + " " + local + "\n").assertOk();
        try {
            return Files.readAllBytes(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
