package fi.callgate.gateway.flow.agreement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.PlaintextScan;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * A list supplier delivers a list on the controller's behalf (issue #16), through the real OpenSSH and
 * GnuPG binaries: its own report reaches only it, the controller gets a notice without personal data and
 * never sees the supplier's report, and provenance names the supplier in {@code dsar find}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupplierFlowTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LIST = """
            etunimi;sukunimi;puhelin;lähde
            Toivo;Toimittaja;040 765 4321;Rekisteri Oy 2026
            Ilona;Rivinen;12345;Rekisteri Oy 2026
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    Controller vendor;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of());
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        acme.keyFor("C1");
        vendor = new Controller(gw, "sup-listco", "supplier", "ListCo", "ListCo <data@listco.example>");
        gw.account("sup-sari", "supervisor", null);
        gw.admin("campaign", "grant", "C1", "sup-sari").assertOk();
    }

    @AfterAll
    void tearDown() {
        vendor.close();
        acme.close();
        gw.close();
        PlaintextScan.assertAbsent(gw.dataDir, List.of("Toimittaja", "Rivinen", "+358407654321", "Rekisteri Oy"));
    }

    @Test
    @Order(1)
    void aSupplierNeedsAnOrgAndAnAgreementBeforeItSeesTheCampaign() {
        assertThat(gw.admin("account", "add", "sup-noorg", "--role", "supplier").exit()).isNotZero();
        assertThat(gw.sftp(vendor.account, "ls /C1\n").exit()).as("no agreement yet").isNotZero();
        assertThat(gw.admin("campaign", "supplier", "C1", "ctl-acme", "--agreement", "X").exit())
                .as("only supplier accounts").isNotZero();
        assertThat(gw.admin("campaign", "supplier", "C1", vendor.account).exit()).as("--agreement or --end").isNotZero();
        gw.ssh("sup-sari", "campaign", "supplier", "C1", vendor.account, "--agreement", "RT-2026/17").assertOk();
        vendor.supplierKeyFor("C1");
        assertThat(gw.ssh(vendor.account, "help").exit()).as("suppliers have no commands").isNotZero();
        String show = gw.admin("campaign", "show", "C1").assertOk().out();
        assertThat(show).contains("RT-2026/17").contains(vendor.account);
        String ls = gw.sftp(vendor.account, "ls /C1\n").assertOk().out();
        assertThat(ls).contains("inbox").contains("outbox").doesNotContain("lists");
    }

    @Test
    @Order(2)
    void theSuppliersReportIsItsOwnAndTheControllerGetsANotice() throws Exception {
        Path f = vendor.encrypt("list.csv", LIST.getBytes(StandardCharsets.UTF_8), false, false, -1);
        AuditEvent.Entry done = vendor.upload("C1", f, "vendor-list.csv.gpg");
        assertThat(done.event().detail()).contains("rows_accepted=1", "rows_rejected=1");

        String report = vendor.report("C1", "vendor-list.csv.gpg");
        assertThat(report).contains(";rows_accepted;1").doesNotContain("Toimittaja");

        String controllerLs = gw.sftp(acme.account, "ls -1 /C1/outbox\n").assertOk().out();
        assertThat(controllerLs).doesNotContain("vendor-list.csv.gpg.report").contains("supplier-list-sup-listco-");
        assertThat(gw.sftp(acme.account, "get /C1/outbox/vendor-list.csv.gpg.report.csv.gpg " + home.resolve("x")
                + "\n").exit()).as("the controller cannot fetch the supplier's report").isNotZero();
        String notice = controllerLs.lines().map(String::strip).filter(l -> l.contains("supplier-list-"))
                .map(l -> l.substring(l.lastIndexOf('/') + 1)).findFirst().orElseThrow();
        GnuPg.Result n = acme.fetchAndDecrypt("C1", notice).requireOk();
        String text = new String(n.stdout(), StandardCharsets.UTF_8);
        assertThat(text).contains("supplier;ListCo").contains("agreement;RT-2026/17").contains("rows_accepted;1")
                .doesNotContain("Toimittaja").doesNotContain("765");

        String vendorLs = gw.sftp(vendor.account, "ls -1 /C1/outbox\n").assertOk().out();
        assertThat(vendorLs).contains("vendor-list.csv.gpg.report.csv.gpg").doesNotContain("supplier-list-");
        assertThat(gw.sftp(vendor.account, "rm /C1/outbox/vendor-list.csv.gpg.report.csv.gpg\n").exit())
                .as("suppliers only read").isNotZero();
    }

    @Test
    @Order(3)
    void dsarFindNamesTheSupplierAndAgreement() throws Exception {
        JsonNode a = JSON.readTree(gw.ssh("sup-sari", "dsar", "find", "--json", "--phone", "0407654321").assertOk().out());
        JsonNode r = a.get("records").get(0);
        assertThat(r.get("supplier").asText()).isEqualTo("ListCo");
        assertThat(r.get("supplier_account").asText()).isEqualTo(vendor.account);
        assertThat(r.get("agreement").asText()).isEqualTo("RT-2026/17");
        String text = gw.ssh("sup-sari", "dsar", "find", "--phone", "0407654321").assertOk().out();
        assertThat(text).contains("supplied by:   ListCo (sup-listco), agreement RT-2026/17");
        gw.ssh("sup-sari", "dsar", "close", a.get("request").asText()).assertOk();
    }

    @Test
    @Order(4)
    void endingTheAgreementClosesTheCampaignToTheSupplier() {
        gw.admin("campaign", "supplier", "C1", vendor.account, "--end").assertOk();
        Proc.Result ls = gw.sftp(vendor.account, "ls /C1\n");
        assertThat(ls.exit()).isNotZero();
        assertThat(gw.admin("campaign", "supplier", "C1", vendor.account, "--end").exit()).as("already ended").isNotZero();
        assertThat(gw.admin("campaign", "show", "C1").assertOk().out()).contains("ended");
    }
}
