package fi.callgate.gateway.flow.dsar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dsar find} covers every stage, not only the store: for each record, the dialer lists holding it
 * (downloaded or not) and every result about it with how far it is on its way to the controller (in a
 * published export not yet downloaded, pending for the next export); and {@code dsar erase} takes the
 * pending ones out of the next export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DsarStagesTest {
    static final ObjectMapper JSON = new ObjectMapper();
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
        for (String c : List.of("S1", "S2")) {
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
    void theAnswerNamesTheListsAndTheResultsHoldingEachRecordAndEraseEmptiesThem() throws Exception {
        acme.upload("S1", acme.encrypt("a.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Matti;Meikäläinen;0401230001;Asiakasrekisteri 2026
                Liisa;Virtanen;0401230002;Asiakasrekisteri 2026
                """), true, false, -1), "a.csv.gpg");
        acme.upload("S2", acme.encrypt("b.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Matti;Meikäläinen;+358 40 123 0001;Messut 2025
                Pekka;Korhonen;0401230003;Messut 2025
                """), true, false, -1), "b.csv.gpg");
        // S1's list is downloaded by the dialer; S2's is not.
        Map<String, String> ids = ids(download("dial", "/S1/lists/S1-0001.csv"));
        String matti = ids.get("+358401230001");
        // An order, exported and not yet downloaded by the controller; then an address change, pending.
        uploadResults("S1", "res1.csv", "record_id;outcome;product;start_date;invoice_due_date;offer_sent\n"
                + matti + ";order;Lehti 12 kk;2026-03-01;2026-03-15;no\n"
                + ids.get("+358401230002") + ";no_answer;;;;\n");
        String orders = gw.ssh("sup", "campaign", "export", "S1").assertOk().out().strip();
        orders = orders.substring(orders.lastIndexOf('/') + 1);
        uploadResults("S1", "res2.csv", "record_id;outcome;street;postal_code;city\n"
                + matti + ";address_change;Uusi katu 5;00100;Helsinki\n");

        JsonNode a = JSON.readTree(gw.ssh("sup", "dsar", "find", "--json", "--phone", "0401230001").assertOk().out());
        assertThat(a.get("records")).hasSize(2);
        JsonNode s1 = record(a, "S1");
        JsonNode s2 = record(a, "S2");
        assertThat(s1.get("record_id").asText()).isEqualTo(matti);

        assertThat(s1.get("dialer_lists")).hasSize(1);
        JsonNode l1 = s1.get("dialer_lists").get(0);
        assertThat(l1.get("path").asText()).isEqualTo("/S1/lists/S1-0001.csv");
        assertThat(l1.get("published").asText()).isNotBlank();
        assertThat(l1.get("downloaded").asBoolean()).isTrue();
        assertThat(l1.get("downloaded_by").asText()).isEqualTo("dial");
        assertThat(s2.get("dialer_lists")).hasSize(1);
        JsonNode l2 = s2.get("dialer_lists").get(0);
        assertThat(l2.get("file").asText()).isEqualTo("S2-0001.csv");
        assertThat(l2.get("downloaded").asBoolean()).isFalse();

        JsonNode results = s1.get("results");
        assertThat(results).as("Liisa's result is not hers").hasSize(2);
        JsonNode order = results.get(0);
        assertThat(order.get("outcome").asText()).isEqualTo("order");
        assertThat(order.get("results_file").asText()).isEqualTo("res1.csv");
        assertThat(order.get("row").asInt()).isEqualTo(2);
        assertThat(order.get("stage").asText()).isEqualTo("exported");
        assertThat(order.get("export").asText()).isEqualTo(orders);
        assertThat(order.get("pending").asBoolean()).as("the controller has not downloaded it").isTrue();
        assertThat(order.get("fields")).as("the export file holds the details now; none kept").isEmpty();
        JsonNode change = results.get(1);
        assertThat(change.get("outcome").asText()).isEqualTo("address_change");
        assertThat(change.get("stage").asText()).isEqualTo("pending");
        assertThat(change.get("export").isNull()).isTrue();
        assertThat(change.get("fields").get("new_street").asText()).isEqualTo("Uusi katu 5");
        assertThat(change.get("fields").get("source").asText()).isEqualTo("Asiakasrekisteri 2026");
        assertThat(s2.get("results")).isEmpty();
        assertThat(a.get("pending_exports")).hasSize(2);

        // Once the controller has the export, that result is no longer pending.
        acme.fetchAndDecrypt("S1", orders).requireOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode again = JSON.readTree(gw.ssh("sup", "dsar", "find", "--json", "--phone", "\"040 123 0001\"")
                    .assertOk().out());
            gw.ssh("sup", "dsar", "close", again.get("request").asText()).assertOk();
            return again.get("pending_exports").size() == 1;
        });

        // The text answer says the same, record by record.
        String text = gw.ssh("sup", "dsar", "find", "--phone", "+358401230001").assertOk().out();
        assertThat(text).contains("dialer lists:").contains("/S1/lists/S1-0001.csv, published ")
                .contains("downloaded ").contains("by dial").contains("/S2/lists/S2-0001.csv").contains("not downloaded")
                .contains("order reported ").contains("(res1.csv row 2): in export " + orders + ", downloaded ")
                .contains("address_change reported ").contains("pending, goes out with the next export")
                .contains("Uusi katu 5").contains("pending exports: 1 result(s)");
        String id = text.substring(text.indexOf("DSAR-"), text.indexOf("DSAR-") + 16);

        // Erase: the results go, the pending address change never reaches an export, the notice does.
        JsonNode e = JSON.readTree(gw.ssh("sup", "dsar", "erase", id, "--json").assertOk().out());
        assertThat(e.get("records_erased").asInt()).isEqualTo(2);
        assertThat(e.get("export_rows_erased").asInt()).isEqualTo(2);
        JsonNode none = JSON.readTree(gw.ssh("sup", "dsar", "find", "--json", "--phone", "0401230001").assertOk().out());
        assertThat(none.get("records")).isEmpty();
        assertThat(none.get("pending_exports")).isEmpty();
        assertThat(gw.ssh("sup", "campaign", "export", "S1").assertOk().out()).as("the address change is gone")
                .contains("nothing to export");
        uploadResults("S1", "res3.csv", "record_id;outcome;product;start_date;invoice_due_date;offer_sent\n"
                + ids.get("+358401230002") + ";order;Lehti 6 kk;2026-03-01;2026-03-15;no\n");
        String next = gw.ssh("sup", "campaign", "export", "S1").assertOk().out().strip();
        next = next.substring(next.lastIndexOf('/') + 1);
        String exported = acme.fetchAndDecrypt("S1", next).requireOk().stdoutText();
        assertThat(exported).contains("dsar_erasure").contains(id).contains("Lehti 6 kk").doesNotContain("Uusi katu")
                .doesNotContain("Meikäläinen").doesNotContain(matti);
        // The list not yet downloaded lost the record; Pekka stays.
        String list = new String(download("dial", "/S2/lists/S2-0001.csv"), StandardCharsets.UTF_8);
        assertThat(list).doesNotContain("+358401230001").contains("+358401230003");
    }

    /**
     * A VICIdial list has no header, tab-separated unquoted cells and the record id in its second column: the
     * answer must find the record in it all the same (the Callgate format is covered above).
     */
    @Test
    void aVicidialListHoldingTheRecordIsNamedToo() throws Exception {
        gw.admin("campaign", "add", "V9", "--org", "Acme", "--ends", "2099-12-31", "--dialer-fields",
                "first_name,last_name", "--dialer-format", "vicidial").assertOk();
        acme.keyFor("V9");
        gw.admin("campaign", "grant", "V9", "sup").assertOk();
        acme.upload("V9", acme.encrypt("v.csv", Controller.utf8("""
                first_name;last_name;phone;source
                Anna;"Kallio; Jr";0401230009;Messut 2025
                Olli;Oja;0401230010;Messut 2025
                """), true, false, -1), "v.csv.gpg");

        JsonNode a = JSON.readTree(gw.ssh("sup", "dsar", "find", "--json", "--phone", "0401230009").assertOk().out());
        JsonNode v = record(a, "V9");
        assertThat(v.get("dialer_lists")).hasSize(1);
        assertThat(v.get("dialer_lists").get(0).get("path").asText()).isEqualTo("/V9/lists/V9-0001.csv");
    }

    private static JsonNode record(JsonNode answer, String campaign) {
        List<JsonNode> l = new ArrayList<>();
        answer.get("records").forEach(r -> {
            if (r.get("campaign").asText().equals(campaign)) {
                l.add(r);
            }
        });
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private void uploadResults(String campaign, String name, String content) throws IOException {
        Path local = home.resolve("up-" + System.nanoTime() + ".csv");
        Files.writeString(local, content);
        gw.sftp("dial", "put " + local + " /" + campaign + "/results/" + name + "\n").assertOk();
        String target = "/" + campaign + "/results/" + name;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !gw.callgate().audit().find("results.processed", target).isEmpty());
        assertThat(gw.callgate().audit().find("results.processed", target).get(0).event().detail())
                .contains("rows_rejected=0");
    }

    private static Map<String, String> ids(byte[] list) {
        Map<String, String> m = new HashMap<>();
        new String(list, StandardCharsets.UTF_8).lines().skip(1).forEach(l -> {
            String[] c = l.split(";");
            m.put(c[1], c[0]);
        });
        return m;
    }

    private byte[] download(String person, String remote) {
        Path local = home.resolve("dl-" + System.nanoTime() + ".csv");
        gw.sftp(person, "get " + remote + " " + local + "\n").assertOk();
        try {
            return Files.readAllBytes(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
