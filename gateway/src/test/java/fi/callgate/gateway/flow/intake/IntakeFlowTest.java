package fi.callgate.gateway.flow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.PlaintextScan;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call lists made with the gpg binary, uploaded with the sftp binary: accepted in every GnuPG shape, stored
 * encrypted, and answered with a report the controller decrypts and verifies with gpg.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeFlowTest {
    static final String LIST = """
            etunimi;sukunimi;puhelin;sähköposti;lähde;notes
            Matti;Meikäläinen;040 123 4567;matti@example.fi;Asiakasrekisteri 2026;vip
            Liisa;Virtanen;+358 50 7654321;;Messut Tampere;
            Pekka;;0401112222;;Messut;
            Anna;Korhonen;12345;;Messut;
            Ville;Nieminen;00358 44 9876543;;;
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_INTAKE_MAX_PLAINTEXT_BYTES", "20000000"));
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "add", "SIGNED", "--org", "Acme", "--ends", "2099-12-31", "--require-signature")
                .assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        acme.keyFor("C1");
        acme.keyFor("SIGNED");
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
        // After a clean stop: nothing of the lists rests in plaintext anywhere under data-dir.
        int scanned = PlaintextScan.assertAbsent(gw.dataDir, java.util.List.of("Meikäläinen", "Meik\u00e4l\u00e4inen",
                "matti@example.fi", "+358401234567", "0401234567", "Asiakasrekisteri", "Virtanen", "Messut Tampere"));
        assertThat(scanned).isGreaterThan(5);
    }

    @Test
    void aSignedCompressedBinaryListIsAcceptedAndReported() {
        Path f = acme.encrypt("list.csv", Controller.utf8(LIST), true, false, -1);
        AuditEvent.Entry done = acme.upload("C1", f, "list1.csv.gpg");
        assertThat(done.event().outcome()).isEqualTo(AuditEvent.Outcome.OK);
        assertThat(done.event().detail()).contains("rows_accepted=2", "rows_rejected=3");
        GnuPg.Result report = acme.fetchAndDecrypt("C1", "list1.csv.gpg.report.csv.gpg").requireOk();
        assertThat(report.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint)
                .contains("DECRYPTION_INFO 2 9");
        String text = new String(report.stdout(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("row;outcome;reason\n").contains(";rows_accepted;2").contains(";rows_rejected;3")
                .contains("4;rejected;").contains("5;rejected;").contains("6;rejected;")
                .contains(";columns_dropped;notes")
                .doesNotContain("Meikäläinen").doesNotContain("12345").doesNotContain("Pekka");
        assertThat(gw.callgate().records().count("C1")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void armoredUncompressedUnsignedListIsAccepted() {
        Path f = acme.encrypt("list.csv", Controller.utf8(LIST), false, true, 0);
        AuditEvent.Entry done = acme.upload("C1", f, "armored.csv.asc");
        assertThat(done.event().detail()).contains("rows_accepted=2");
        assertThat(acme.report("C1", "armored.csv.asc")).contains(";file_accepted;");
    }

    @Test
    void aCampaignRequiringSignaturesAcceptsTheControllersSignature() {
        Path f = acme.encrypt("list.csv", Controller.utf8(LIST), true, true, 6);
        assertThat(acme.upload("SIGNED", f, "signed.asc").event().outcome()).isEqualTo(AuditEvent.Outcome.OK);
    }
}
