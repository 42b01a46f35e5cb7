package fi.callgate.gateway.flow.dsar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.SimulatedCrash;
import fi.callgate.gateway.support.StageFaults;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash in the middle of {@code dsar erase} leaves no half state: the erase stops after one of its steps
 * (the {@code dsar-…} fault hooks, thrown as a kill would stop it), and after a restart (the gateway finishes
 * an interrupted erase before anyone logs in) or a re-run of {@code dsar erase ID}, the records are gone from
 * the store and from the dialer lists not yet downloaded, each controller has exactly one signed receipt,
 * the request is closed (erased) with one {@code dsar.erase} audit entry, and the audit chain verifies.
 * Two controllers, each with its own campaign; each test erases another of the three people in both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DsarCrashTest {
    static final String HEADER = "first_name;last_name;phone;source\n";
    static final String PEOPLE = """
            Matti;Meikäläinen;0401110001;Rekisteri
            Liisa;Virtanen;0401110002;Rekisteri
            Pekka;Korhonen;0401110003;Rekisteri
            """;
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    Controller beta;
    GnuPg verifier;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of());
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        beta = new Controller(gw, "ctl-beta", "Beta", "Beta Oy <lists@beta.example>");
        gw.account("sup", "supervisor", null);
        verifier = GnuPg.newHome();
        verifier.importKey(gw.admin("gateway", "pgp-key").assertOk().out());
        upload(acme, "ACME1", "Acme", "Aino;Aalto;0401110009;Rekisteri\n");
        upload(beta, "BETA1", "Beta", "Eino;Eskola;0401110008;Messut\n");
    }

    private void upload(Controller c, String campaign, String org, String bystander) {
        gw.admin("campaign", "add", campaign, "--org", org, "--ends", "2099-12-31").assertOk();
        c.keyFor(campaign);
        String list = HEADER + PEOPLE + bystander;
        c.upload(campaign, c.encrypt(campaign + ".csv.gpg", Controller.utf8(list), true, false, -1),
                campaign + ".csv.gpg");
        assertThat(gw.callgate().records().count(campaign)).isEqualTo(4);
    }

    @AfterEach
    void noFaults() {
        gw.faults = StageFaults.NONE;
    }

    @AfterAll
    void tearDown() {
        verifier.close();
        acme.close();
        beta.close();
        gw.close();
    }

    @Test
    void killedAfterTheRecordsWereDeletedBeforeTheListsWereRepublishedTheRestartFinishesIt() throws Exception {
        Found f = find("+358401110001");
        crashAt("dsar-records", f.id);
        assertThat(erase(f.id).exit()).as("the erase was stopped").isNotZero();
        // The half state: records gone, lists still holding the person, no receipt, request erasing.
        assertThat(stored(f.recordIds)).isZero();
        assertThat(list("ACME1")).contains("+358401110001");
        assertThat(receipts(f.id, "ACME1")).isEmpty();
        assertThat(status(f.id)).isEqualTo("erasing");

        gw.faults = StageFaults.NONE;
        gw.restart();
        assertErased(f, false);
        assertThat(auditedErase(f.id).actor()).as("finished by the gateway at start").isEqualTo("callgate");
    }

    @Test
    void killedAfterTheListsWereRepublishedBeforeAnyReceiptTheRestartFinishesItAndBlocks() throws Exception {
        Found f = find("+358401110002");
        crashAt("dsar-lists", f.id);
        assertThat(erase(f.id, "--block").exit()).isNotZero();
        assertThat(list("ACME1")).doesNotContain("+358401110002");
        assertThat(list("BETA1")).doesNotContain("+358401110002");
        assertThat(receipts(f.id, "ACME1")).isEmpty();
        assertThat(receipts(f.id, "BETA1")).isEmpty();
        assertThat(status(f.id)).isEqualTo("erasing");
        assertThat(gw.ssh("sup", "dsar", "list").assertOk().out()).as("still open, so still tracked").contains(f.id);

        gw.faults = StageFaults.NONE;
        gw.restart();
        assertErased(f, true);
    }

    @Test
    void killedBetweenWritingTheFirstReceiptAndAuditingItAReRunWritesEachReceiptOnce() throws Exception {
        Found f = find("+358401110003");
        AtomicBoolean once = new AtomicBoolean();
        gw.faults = (stage, id) -> {
            if (stage.equals("dsar-receipt-written") && id.startsWith(f.id) && once.compareAndSet(false, true)) {
                throw new SimulatedCrash(stage);
            }
        };
        assertThat(erase(f.id).exit()).isNotZero();
        assertThat(status(f.id)).isEqualTo("erasing");
        assertThat(receipts(f.id, "ACME1")).as("written, not yet audited").hasSize(1);

        gw.faults = StageFaults.NONE;
        // The supervisor runs it again (no restart): it finishes, rewriting the same receipt name once.
        JsonNode e = JSON.readTree(erase(f.id, "--json").assertOk().out());
        assertThat(e.get("records_erased").asInt()).isEqualTo(2);
        assertErased(f, false);
        assertThat(auditedErase(f.id).actor()).isEqualTo("sup");
        gw.restart(); // and a restart has nothing left to do
        assertErased(f, false);
    }

    // ------------------------------------------------------------------ the whole erase, checked

    private void assertErased(Found f, boolean blocked) throws Exception {
        assertThat(status(f.id)).isEqualTo("erased");
        assertThat(gw.ssh("sup", "dsar", "list").assertOk().out()).doesNotContain(f.id);
        Proc.Result again = erase(f.id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("erased already");
        assertThat(stored(f.recordIds)).as("gone from the store").isZero();
        assertThat(gw.callgate().records().count("ACME1")).isEqualTo(4 - erasedSoFar());
        for (String campaign : List.of("ACME1", "BETA1")) {
            String list = list(campaign);
            assertThat(list).as("gone from the list not yet downloaded").doesNotContain(f.phone);
            f.recordIds.forEach(id -> assertThat(list).doesNotContain(id));
            assertThat(list).contains(campaign.equals("ACME1") ? "+358401110009" : "+358401110008");
            List<Path> receipts = receipts(f.id, campaign);
            assertThat(receipts).as("exactly one receipt for the controller").hasSize(1);
            GnuPg.Result v = verifier.verify(receipts.get(0), "--status-fd", "2");
            assertThat(v.ok()).as(v.stderr()).isTrue();
            assertThat(Files.readString(receipts.get(0))).contains("records destroyed: 1").doesNotContain(f.phone);
            String target = "/" + campaign + "/outbox/" + receipts.get(0).getFileName();
            assertThat(gw.callgate().audit().find("retention.receipt", target)).hasSize(1);
            try (Stream<Path> s = Files.list(receipts.get(0).getParent())) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
            }
        }
        assertThat(count("SELECT COUNT(*) FROM dsar_notice WHERE request_id = '" + f.id + "' AND receipt_sha256"
                + " IS NOT NULL")).isEqualTo(2);
        auditedErase(f.id);
        assertThat(gw.callgate().audit().verify().ok()).isTrue();
        gw.admin("audit", "verify").assertOk();
        assertThat(gw.callgate().registry().get("callgate_dsar_open").gauge().value()).isZero();
        if (blocked) {
            assertThat(gw.ssh("sup", "blocklist", "check", f.phone).assertOk().out()).doesNotContain("not blocked");
        }
    }

    /** The one successful {@code dsar.erase} audit entry of the request. */
    private AuditEvent auditedErase(String id) {
        List<AuditEvent> ok = gw.callgate().audit().find("dsar.erase", id).stream().map(AuditEvent.Entry::event)
                .filter(e -> e.outcome() == AuditEvent.Outcome.OK).toList();
        assertThat(ok).hasSize(1);
        return ok.get(0);
    }

    private int erasedSoFar() {
        return (int) count("SELECT COUNT(*) FROM dsar_request WHERE status = 'erased'");
    }

    // ------------------------------------------------------------------ helpers

    record Found(String id, String phone, List<String> recordIds) {
    }

    private Found find(String phone) throws Exception {
        JsonNode a = JSON.readTree(gw.ssh("sup", "dsar", "find", "--json", "--phone", phone).assertOk().out());
        List<String> ids = new ArrayList<>();
        a.get("records").forEach(r -> ids.add(r.get("record_id").asText()));
        assertThat(ids).hasSize(2);
        return new Found(a.get("request").asText(), phone, ids);
    }

    private void crashAt(String step, String requestId) {
        gw.faults = (stage, id) -> {
            if (stage.equals(step) && id.equals(requestId)) {
                throw new SimulatedCrash(stage);
            }
        };
    }

    private Proc.Result erase(String id, String... more) {
        List<String> args = new ArrayList<>(List.of("dsar", "erase", id));
        args.addAll(List.of(more));
        return gw.ssh("sup", args.toArray(String[]::new));
    }

    /** The list as the dialer would read it, without marking it downloaded. */
    private String list(String campaign) throws IOException {
        try (InputStream in = Channels.newInputStream(gw.callgate().dialerLists().open(campaign,
                campaign + "-0001.csv"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<Path> receipts(String requestId, String campaign) throws IOException {
        try (Stream<Path> s = Files.list(gw.callgate().config().sftpRoot().resolve(campaign).resolve("outbox"))) {
            List<Path> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("deletion-receipt-")).sorted().toList()) {
                if (Files.readString(p).contains("data-subject request: " + requestId + "\n")) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private String status(String id) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM dsar_request WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private long stored(List<String> recordIds) {
        return recordIds.stream().filter(gw.callgate().records()::isStored).count();
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
