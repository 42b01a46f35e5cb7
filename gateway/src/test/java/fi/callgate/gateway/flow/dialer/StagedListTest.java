package fi.callgate.gateway.flow.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.PhoneNumber;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.StageFaults;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.store.RecordStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialer list is written by the validate pass, while the records are stored (issue #13): the dialer-load
 * stage only renames it into place and never reads the records back — unless a number was blocked or a
 * record erased since, which must still never reach the dialer. The published bytes are the same as a
 * rendering from the record store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StagedListTest {
    static final String LIST = """
            first_name;last_name;phone;city;source
            Aino;Aalto;0401310001;Espoo;Messut
            Eino;"Eskola; Jr";0401310002;Oulu;Messut
            Iida;Ilola;0401310003;Turku;Messut
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        for (String c : List.of("S1", "S2", "S3")) {
            gw.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31", "--dialer-fields",
                    "first_name,last_name,city").assertOk();
        }
        gw.admin("campaign", "add", "S4", "--org", "Acme", "--ends", "2099-12-31", "--dialer-fields",
                "first_name,city", "--dialer-format", "vicidial").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null);
        for (String c : List.of("S1", "S2", "S3", "S4")) {
            acme.keyFor(c);
            gw.admin("campaign", "grant", c, "sup").assertOk();
        }
    }

    @AfterEach
    void noFaults() {
        gw.faults = StageFaults.NONE;
    }

    @AfterAll
    void tearDown() {
        acme.close();
        gw.close();
    }

    @Test
    void dialerLoadPublishesTheListOfTheValidatePassWithoutOpeningTheParts() throws Exception {
        Path parts = gw.callgate().records().directory().resolve("parts");
        Path away = parts.resolveSibling("parts-away");
        // Between the store stage and dialer-load the record parts are gone: a list rendered from the store
        // would fail; the list the validate pass wrote is only renamed.
        gw.faults = (stage, id) -> {
            if (stage.equals("store")) {
                move(parts, away);
            } else if (stage.equals("dialer-load")) {
                move(away, parts);
            }
        };
        acme.upload("S1", acme.encrypt("a.csv", Controller.utf8(LIST), true, false, -1), "a.csv.gpg");
        gw.faults = StageFaults.NONE;
        assertThat(parts).exists();
        String published = new String(download("/S1/lists/S1-0001.csv"), StandardCharsets.UTF_8);
        String[] lines = published.split("\r\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo("record_id;phone;first_name;last_name;city");
        assertThat(lines[2]).matches("[a-z2-7]{26};\\+358401310002;Eino;\"Eskola; Jr\";Oulu");
        assertThat(gw.callgate().audit().find("dialer.list.publish", "/S1/lists/S1-0001.csv"))
                .singleElement().satisfies(e -> assertThat(e.event().detail()).contains("reason=upload", "rows=3"));
        assertThat(stagedFiles("S1")).isEmpty();

        // Byte for byte what a rendering from the record store gives.
        gw.callgate().dialerLists().republish(uploadOf("S1", "a.csv.gpg"), "test");
        assertThat(new String(download("/S1/lists/S1-0001.csv"), StandardCharsets.UTF_8)).isEqualTo(published);
    }

    @Test
    void aVicidialListFromTheValidatePassIsTheSameAsARendering() throws Exception {
        String list = """
                first_name;last_name;phone;city;source
                Aino;Aalto;0401340001;Espoo;Messut
                Maximiliana-Alexandrina-Josefiina;Aalto;0401340002;Espoo;Messut
                """;
        acme.upload("S4", acme.encrypt("v.csv", Controller.utf8(list), true, false, -1), "v.csv.gpg");
        byte[] published = download("/S4/lists/S4-0001.csv");
        assertThat(new String(published, StandardCharsets.UTF_8)).contains("\t358\t401340001\t")
                .doesNotContain("Maximiliana");
        assertThat(acme.report("S4", "v.csv.gpg")).contains(";dialer_rows_withheld;1")
                .contains("3;withheld;vicidial: first_name is longer than 30 characters");
        gw.callgate().dialerLists().republish(uploadOf("S4", "v.csv.gpg"), "test");
        assertThat(download("/S4/lists/S4-0001.csv")).isEqualTo(published);
    }

    @Test
    void aNumberBlockedAfterStagingBeforePublicationNeverReachesTheDialer() throws Exception {
        gw.faults = (stage, id) -> {
            if (stage.equals("validate")) { // the list is staged, not yet published
                gw.callgate().blockList().add(List.of(new PhoneNumber("+358401310002")), "test");
            }
        };
        acme.upload("S2", acme.encrypt("b.csv", Controller.utf8(LIST), true, false, -1), "b.csv.gpg");
        String published = new String(download("/S2/lists/S2-0001.csv"), StandardCharsets.UTF_8);
        assertThat(published).contains("+358401310001", "+358401310003").doesNotContain("+358401310002");
        assertThat(gw.callgate().audit().find("dialer.list.publish", "/S2/lists/S2-0001.csv"))
                .extracting(e -> e.event().detail()).allMatch(d -> d.contains("blocked=1"));
        assertThat(stagedFiles("S2")).isEmpty();
    }

    @Test
    void aRecordErasedAfterStagingIsNotPublished() throws Exception {
        gw.faults = (stage, id) -> {
            if (stage.equals("store")) { // published records, list not yet published
                try (Stream<RecordStore.StoredRecord> rs = gw.callgate().records().activeRecords(id)) {
                    String erased = rs.filter(r -> r.record().phone().e164().equals("+358401310003"))
                            .findFirst().orElseThrow().recordId();
                    assertThat(gw.callgate().records().deleteRecords(List.of(erased))).isEqualTo(1);
                }
            }
        };
        acme.upload("S3", acme.encrypt("c.csv", Controller.utf8(LIST), true, false, -1), "c.csv.gpg");
        String published = new String(download("/S3/lists/S3-0001.csv"), StandardCharsets.UTF_8);
        assertThat(published).contains("+358401310001", "+358401310002").doesNotContain("+358401310003")
                .doesNotContain("Iida");
        assertThat(stagedFiles("S3")).isEmpty();
    }

    private String uploadOf(String campaign, String name) {
        return gw.callgate().database().query("SELECT id FROM upload WHERE campaign = ? AND original_name = ?",
                rs -> rs.getString(1), campaign, name).get(0);
    }

    private List<Path> stagedFiles(String campaign) throws IOException {
        try (Stream<Path> s = Files.list(gw.dataDir.resolve("sftp/" + campaign + "/lists"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] download(String remote) {
        Path local = home.resolve("dl-" + System.nanoTime() + ".csv");
        gw.sftp("sup", "get " + remote + " " + local + "\n").assertOk();
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
}
