package fi.callgate.gateway.flow.dsar;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.PlaintextScan;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Data-subject requests end to end across two controllers' campaigns: one person is in both lists (with
 * the phone and email written differently); found by phone in three notations, by email in another case
 * and by name + address, never by name alone; erased from both with the block-list and dialer-list hooks
 * receiving what they must (test doubles until those components are merged); signed receipts checked with
 * gpg; due dates and the overdue gauge; and nothing of the person in the audit log, logs or data-dir.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DsarFlowTest {
    static final String ACME_LIST = """
            etunimi;sukunimi;puhelin;sähköposti;katuosoite;postinumero;postitoimipaikka;lähde
            Matti;Meikäläinen;040 123 4567;matti.meikalainen@example.fi;Hämeentie 1 A 2;00530;Helsinki;Asiakasrekisteri 2026
            Liisa;Virtanen;+358 50 7654321;liisa@example.fi;Kauppakatu 3;33200;Tampere;Asiakasrekisteri 2026
            """;
    static final String BETA_LIST = """
            first_name;last_name;phone;email;street;postal_code;city;source
            Matti;Meikäläinen;+358-40-123 4567;Matti.Meikalainen@Example.FI;Hämeentie 1 A 2;00530;Helsinki;Messut Tampere 2025
            Pekka;Korhonen;044 555 1234;pekka@example.fi;Satamakatu 7;20100;Turku;Messut Tampere 2025
            """;
    /** Every way the person's data could leak, as text. */
    static final List<String> PERSON = List.of("Meikäläinen", "Meikalainen", "meikalainen", "401234567",
            "040 123 4567", "1234567", "Hämeentie", "Hameentie");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    Controller beta;
    GnuPg verifier;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    void setUp() throws Exception {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.setContext(lc);
        logs.start();
        lc.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
        // The real block list and dialer lists: what the erasure reaches is checked through them.
        gw = TestGateway.start(home, Map.of());
        gw.account("dialer1", "dialer", null);
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        beta = new Controller(gw, "ctl-beta", "Beta", "Beta Oy <lists@beta.example>");
        gw.account("sup-sari", "supervisor", null);
        verifier = GnuPg.newHome();
        verifier.importKey(gw.admin("gateway", "pgp-key").assertOk().out());
        campaign("ACME1", "Acme", acme);
        campaign("BETA1", "Beta", beta);
        upload(acme, "ACME1", ACME_LIST);
        upload(beta, "BETA1", BETA_LIST);
    }

    @AfterAll
    void tearDown() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        verifier.close();
        acme.close();
        beta.close();
        gw.close();
    }

    private void campaign(String id, String org, Controller c) {
        gw.admin("campaign", "add", id, "--org", org, "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "grant", id, "dialer1").assertOk();
        c.keyFor(id);
    }

    private void upload(Controller c, String campaign, String list) {
        Path f = c.encrypt(campaign + ".csv.gpg", Controller.utf8(list), true, false, -1);
        c.upload(campaign, f, campaign + ".csv.gpg");
        assertThat(gw.callgate().records().count(campaign)).isEqualTo(2);
    }

    /** As a person types it: ssh joins the words, so values with spaces go in double quotes. */
    private Proc.Result dsar(String... args) {
        return gw.ssh("sup-sari", Stream.of(args).map(a -> a.contains(" ") ? "\"" + a + "\"" : a)
                .toArray(String[]::new));
    }

    private JsonNode find(String... criteria) throws Exception {
        List<String> args = new ArrayList<>(List.of("dsar", "find", "--json"));
        args.addAll(List.of(criteria));
        return JSON.readTree(dsar(args.toArray(String[]::new)).assertOk().out());
    }

    private void assertBothFound(JsonNode a) {
        assertThat(a.get("request").asText()).matches("DSAR-\\d{4}-[A-Z2-9]{6}");
        assertThat(a.get("status").asText()).isEqualTo("open");
        JsonNode recs = a.get("records");
        assertThat(recs).hasSize(2);
        List<String> orgs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        recs.forEach(r -> {
            orgs.add(r.get("controller").asText());
            sources.add(r.get("source").asText());
            assertThat(r.get("fields").get("last_name").asText()).isEqualTo("Meikäläinen");
            assertThat(r.get("fields").get("phone").asText()).isEqualTo("+358401234567");
            assertThat(r.get("fields").get("postal_code").asText()).isEqualTo("00530");
            assertThat(r.get("arrived").asText()).isNotBlank();
            assertThat(r.get("delete_by").asText()).as("the dataset deadline").isNotEqualTo("null");
            assertThat(r.get("delete_reason").asText()).isEqualTo("retention deadline");
        });
        assertThat(orgs).containsExactlyInAnyOrder("Acme", "Beta");
        assertThat(sources).containsExactlyInAnyOrder("Asiakasrekisteri 2026", "Messut Tampere 2025");
        assertThat(a.get("pending_exports")).isEmpty();
    }

    private void close(JsonNode a) {
        dsar("dsar", "close", a.get("request").asText()).assertOk();
    }

    @Test
    @Order(1)
    void foundByPhoneInThreeNotationsByEmailInAnotherCaseAndByNameWithAddress() throws Exception {
        for (String phone : List.of("040 123 4567", "+358401234567", "00358 40 1234567")) {
            JsonNode a = find("--phone", phone);
            assertBothFound(a);
            close(a);
        }
        JsonNode byEmail = find("--email", "MATTI.MEIKALAINEN@example.fi");
        assertBothFound(byEmail);
        close(byEmail);
        JsonNode byAddress = find("--name", "Matti Meikäläinen", "--address", "Hämeentie 1 A 2, 00530 Helsinki");
        assertBothFound(byAddress);
        close(byAddress);
        JsonNode otherStreet = find("--name", "Matti Meikäläinen", "--address", "Mannerheimintie 5, 00530");
        assertThat(otherStreet.get("records")).as("same name and postal code, another street").isEmpty();
        close(otherStreet);

        String text = dsar("dsar", "find", "--phone", "040 123 4567").assertOk().out();
        assertThat(text).contains("controller Acme").contains("controller Beta").contains("Messut Tampere 2025")
                .contains("Asiakasrekisteri 2026").contains("deleted by:").contains("2 record(s) held");
        String id = text.substring(text.indexOf("DSAR-"), text.indexOf("DSAR-") + 16);
        dsar("dsar", "close", id).assertOk();
        assertThat(dsar("dsar", "list", "--json").assertOk().out().replace(" ", "").strip()).isEqualTo("[]");
    }

    @Test
    @Order(2)
    void aNameAloneIsNotIdentifiedAndOpensNoRequest() {
        Proc.Result r = dsar("dsar", "find", "--name", "Matti Meikäläinen");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("not identified").doesNotContain("Meikäläinen");
        assertThat(dsar("dsar", "list", "--json").assertOk().out().replace(" ", "").strip()).isEqualTo("[]");
        assertThat(gw.admin("dsar", "list").exit()).as("supervisors only").isEqualTo(3);
    }

    @Test
    @Order(3)
    void eraseRemovesThePersonFromBothCampaignsBlocksAndWritesSignedReceipts() throws Exception {
        JsonNode a = find("--phone", "00358 40 1234567");
        String id = a.get("request").asText();
        List<String> ids = new ArrayList<>();
        a.get("records").forEach(r -> ids.add(r.get("record_id").asText()));
        String list = dsar("dsar", "list").assertOk().out();
        assertThat(list).contains(id).contains(a.get("due").asText());
        assertThat(Duration.between(java.time.Instant.parse(a.get("opened").asText()),
                java.time.Instant.parse(a.get("due").asText()))).isEqualTo(Duration.ofDays(30));

        JsonNode e = JSON.readTree(dsar("dsar", "erase", id, "--block", "--json").assertOk().out());
        assertThat(e.get("records_erased").asInt()).isEqualTo(2);
        assertThat(e.get("phones_blocked").asInt()).isEqualTo(1);
        String removedBy = e.get("erased_bytes_removed_from_disk_by").asText();
        assertThat(java.time.Instant.parse(removedBy)).isAfter(java.time.Instant.now())
                .isBefore(java.time.Instant.now().plus(java.time.Duration.ofMinutes(3)));
        assertThat(gw.ssh("sup-sari", "blocklist", "check", "+358401234567").assertOk().out()).contains("blocked")
                .doesNotContain("not blocked");
        // The dialer lists, not yet downloaded, were rendered again without the person.
        for (String campaign : List.of("ACME1", "BETA1")) {
            Path got = home.resolve("dl-" + campaign + ".csv");
            gw.sftp("dialer1", "get /" + campaign + "/lists/" + campaign + "-0001.csv " + got + "\n").assertOk();
            String dl = Files.readString(got);
            assertThat(dl).startsWith("record_id;phone;").doesNotContain("+358401234567").doesNotContain("Matti");
            assertThat(dl.lines().count()).as("header and the other person").isEqualTo(2);
        }
        assertThat(dsar("dsar", "erase", id).exit()).as("erased already").isEqualTo(1);
        assertThat(dsar("dsar", "erase", "DSAR-2026-NOSUCH").exit()).isEqualTo(4);

        assertThat(ids.subList(0, 2).stream().filter(gw.callgate().records()::isStored).count()).isZero();
        assertThat(gw.callgate().records().count("ACME1")).as("Liisa stays").isEqualTo(1);
        assertThat(gw.callgate().records().count("BETA1")).as("Pekka stays").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM dsar_notice WHERE request_id = '" + id + "' AND erased_count = 1"
                + " AND notified_at IS NULL")).isEqualTo(2);
        assertThat(find("--phone", "040 123 4567").get("records")).isEmpty();

        for (String campaign : List.of("ACME1", "BETA1")) {
            List<Path> receipts = receipts(campaign);
            assertThat(receipts).hasSize(1);
            GnuPg.Result v = verifier.verify(receipts.get(0), "--status-fd", "2");
            assertThat(v.ok()).as(v.stderr()).isTrue();
            assertThat(v.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint);
            String text = Files.readString(receipts.get(0));
            assertThat(text).contains("data-subject request: " + id).contains("why: data-subject erasure")
                    .contains("records destroyed: 1")
                    .contains("physically removed from the record files by " + removedBy);
            PERSON.forEach(p -> assertThat(text).doesNotContain(p));
        }
        assertThat(gw.callgate().registry().get("callgate_deletion_receipts").counter().count()).isEqualTo(2);
        PlaintextScan.assertAbsent(gw.dataDir, PERSON);
        // The gateway's own purge timer (every PURGE_PERIOD) may have run first on a slow machine; either way both
        // erased records are purged exactly once and no erasure is left waiting.
        assertThat(gw.callgate().records().purgeErased()).as("the purge the timer would run, unless it ran already")
                .isBetween(0, 2);
        assertThat(gw.callgate().records().oldestUnpurgedErasure()).isEmpty();
    }

    @Test
    @Order(4)
    void anOpenRequestIsOverdueAfterThirtyDays() throws Exception {
        for (JsonNode r : JSON.readTree(dsar("dsar", "list", "--json").assertOk().out())) {
            dsar("dsar", "close", r.get("request").asText()).assertOk();
        }
        JsonNode a = find("--email", "liisa@example.fi");
        assertThat(gauge("callgate_dsar_open")).isEqualTo(1);
        assertThat(gauge("callgate_dsar_overdue")).isZero();
        gw.clock.advance(Duration.ofDays(31));
        assertThat(gauge("callgate_dsar_overdue")).isEqualTo(1);
        assertThat(gw.callgate().registry().scrape()).contains("callgate_dsar_overdue 1.0");
        assertThat(dsar("dsar", "list").assertOk().out()).contains(a.get("request").asText()).contains("yes");
    }

    @Test
    @Order(5)
    void nothingOfThePersonInTheAuditLogOrTheLogs() {
        String audit = gw.admin("audit", "tail", "1000").assertOk().out();
        assertThat(audit).contains("dsar.find").contains("dsar.erase").contains("[redacted]");
        PERSON.forEach(p -> assertThat(audit).doesNotContain(p));
        assertThat(audit).doesNotContain("liisa").doesNotContain("7654321");
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            PERSON.forEach(p -> assertThat(line).doesNotContain(p));
        }
    }

    private double gauge(String name) {
        return gw.callgate().registry().get(name).gauge().value();
    }

    private List<Path> receipts(String campaign) throws Exception {
        try (Stream<Path> s = Files.list(gw.callgate().config().sftpRoot().resolve(campaign).resolve("outbox"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("deletion-receipt-")).sorted().toList();
        }
    }

    private long count(String sql) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
