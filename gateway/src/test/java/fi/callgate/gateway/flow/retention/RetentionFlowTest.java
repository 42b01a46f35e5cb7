package fi.callgate.gateway.flow.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import fi.callgate.gateway.support.ShredFaults;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.RecordStore;
import fi.callgate.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention end to end on a real gateway with a controllable clock and a one-second shredder: backstop
 * deadlines (default and personal-id), {@code campaign end} with crypto-shredding checked against a cold
 * backup, catching up after downtime with the overdue gauge showing the backlog, signed receipts checked
 * with gpg, and a kill at every step of a run. The tests share one clock, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionFlowTest {
    static final String LIST = """
            etunimi;sukunimi;puhelin;lähde
            Matti;Meikäläinen;040 123 4567;Asiakasrekisteri 2026
            Liisa;Virtanen;+358 50 7654321;Messut Tampere
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    GnuPg verifier;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_SHREDDER_INTERVAL", "PT1S"));
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        gw.account("sup", "supervisor", null); // ends campaigns: admins may not (CONTRACT §2)
        verifier = GnuPg.newHome();
        verifier.importKey(gw.admin("gateway", "pgp-key").assertOk().out());
    }

    @AfterAll
    void tearDown() {
        verifier.close();
        acme.close();
        gw.close();
    }

    private void campaign(String id, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("campaign", "add", id, "--org", "Acme", "--ends",
                "2099-12-31"));
        args.addAll(List.of(extra));
        gw.admin(args.toArray(String[]::new)).assertOk();
        gw.admin("campaign", "grant", id, "sup").assertOk();
        acme.keyFor(id);
    }

    /** Uploads the list; returns the SHA-256 of the encrypted file as the controller sent it. */
    private String upload(String campaign, String name) throws Exception {
        Path f = acme.encrypt(name, Controller.utf8(LIST), true, false, -1);
        AuditEvent.Entry done = acme.upload(campaign, f, name);
        assertThat(done.event().outcome()).isEqualTo(AuditEvent.Outcome.OK);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private Path outbox(String campaign) {
        return gw.callgate().config().sftpRoot().resolve(campaign).resolve("outbox");
    }

    private List<Path> receipts(String campaign) throws Exception {
        try (Stream<Path> s = Files.list(outbox(campaign))) {
            return s.filter(p -> p.getFileName().toString().startsWith("deletion-receipt-" + campaign + "-"))
                    .sorted().toList();
        }
    }

    private long rows(String sql, String campaign) {
        return gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private long held(String campaign) {
        return rows("SELECT COUNT(*) FROM dataset WHERE campaign = ? AND state <> 'SHREDDED'", campaign);
    }

    private double gauge(String name) {
        return gw.callgate().registry().get(name).gauge().value();
    }

    private void awaitShredded(String campaign) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                held(campaign) == 0 && rows("SELECT COUNT(*) FROM shred_run WHERE campaign = ? AND state = 'OPEN'",
                        campaign) == 0 && rows("SELECT COUNT(*) FROM dataset WHERE campaign = ?", campaign) > 0);
    }

    private void assertReceipt(Path receipt, String... sha256s) {
        GnuPg.Result v = verifier.verify(receipt, "--status-fd", "2");
        assertThat(v.ok()).as(v.stderr()).isTrue();
        assertThat(v.stderr()).contains("GOODSIG").contains("VALIDSIG " + acme.gatewayFingerprint);
        String text = receipt.toFile().exists() ? readString(receipt) : "";
        for (String sha : sha256s) {
            assertThat(text).contains("sha256 of the encrypted upload: " + sha);
        }
        assertThat(text).doesNotContain("Meikäläinen").doesNotContain("Matti").doesNotContain("401234567").doesNotContain("123 4567"); // not a bare "4567": hashes and signatures may hold it
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void backstopDeadlinesShredOnTimeAndPersonalIdCampaignsUseTheShorterOne() throws Exception {
        campaign("BACK");
        campaign("PID", "--personal-id");
        String backSha = upload("BACK", "back.csv.gpg");
        String pidSha = upload("PID", "pid.csv.gpg");
        String status = gw.admin("retention", "status", "--json").assertOk().out();
        assertThat(status.replace(" ", "")).contains("\"reason\":\"retention-deadline\"")
                .contains("\"state\":\"held\"");
        assertThat(gauge("callgate_retention_next_deadline_seconds")).isCloseTo(30 * 86400.0,
                org.assertj.core.data.Offset.offset(5.0));
        assertThat(gauge("callgate_personal_data_oldest_age_seconds")).isLessThan(60);

        gw.clock.advance(Duration.ofDays(29));
        Thread.sleep(2500);
        assertThat(held("PID")).as("29 days: the personal-id backstop (30) has not passed").isEqualTo(1);

        gw.clock.advance(Duration.ofDays(1).plusSeconds(1));
        awaitShredded("PID");
        assertThat(held("BACK")).as("the default backstop is 120 days").isEqualTo(1);
        assertThat(gw.callgate().records().storedRecords("PID")).isZero();
        List<Path> pid = receipts("PID");
        assertThat(pid).hasSize(1);
        assertReceipt(pid.get(0), pidSha);
        assertThat(readString(pid.get(0))).contains("why: retention deadline").contains("records destroyed: 2");

        gw.clock.advance(Duration.ofDays(90));
        awaitShredded("BACK");
        assertThat(gw.callgate().records().storedRecords("BACK")).isZero();
        assertReceipt(receipts("BACK").get(0), backSha);
        assertThat(gauge("callgate_retention_overdue_datasets")).isZero();
        assertThat(gauge("callgate_shredder_last_run_timestamp_seconds"))
                .isGreaterThanOrEqualTo(gw.clock.instant().getEpochSecond() - 5);
        assertThat(gw.callgate().registry().get("callgate_shred_delay").timer().count()).isGreaterThanOrEqualTo(2);
        assertThat(gw.callgate().registry().get("callgate_shredded_records").counter().count())
                .isGreaterThanOrEqualTo(4);
        String metricsText = gw.callgate().registry().scrape();
        assertThat(metricsText).contains("callgate_shred_delay_seconds_bucket").contains("callgate_deletion_receipts_total");
    }

    @Test
    @Order(2)
    void campaignEndShredsAtOnceDestroysTheKeyAndABackupTakenBeforeCannotBeDecrypted() throws Exception {
        campaign("END");
        String sha1 = upload("END", "end1.csv.gpg");
        String sha2 = upload("END", "end2.csv.gpg");
        String upload1 = gw.callgate().database().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM upload WHERE campaign = 'END' AND original_name = 'end1.csv.gpg'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        Path keyDir = CampaignKeyStore.defaultKeyDir(gw.dataDir);
        assertThat(keyDir.resolve("END.key")).exists();

        // A cold backup of the database, taken before the shredding.
        gw.callgate().close();
        Path backup = home.resolve("backup");
        copyTree(gw.dataDir.resolve("db"), backup.resolve("db"));
        copyTree(gw.dataDir.resolve("records"), backup.resolve("records"));
        gw.start();
        MasterKey master = MasterKey.loadOrCreate(home.resolve("secrets/master.key"));
        try (Database copy = Database.open(backup, master);
             RecordStore r = new RecordStore(copy, master, new CampaignKeyStore(copy, master, keyDir,
                     Clock.systemUTC()), new BlindIndex(master), Clock.systemUTC())) {
            assertThat(r.activeRecords(upload1).toList()).as("control: readable before the shredding").hasSize(2);
        }

        gw.ssh("sup", "campaign", "end", "END").assertOk();
        assertThat(gw.admin("campaign", "show", "END").assertOk().out()).contains("ended");
        awaitShredded("END");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(keyDir.resolve("END.key")));
        assertThat(gw.callgate().records().storedRecords("END")).isZero();
        assertThat(rows("SELECT COUNT(*) FROM campaign_key WHERE campaign = ? AND wrapped_key IS NOT NULL", "END"))
                .isZero();
        assertThat(Controller.spoolEmpty(gw.dataDir)).isTrue();
        List<Path> r = receipts("END");
        assertThat(r).hasSize(1);
        assertReceipt(r.get(0), sha1, sha2);
        assertThat(readString(r.get(0))).contains("why: campaign ended")
                .contains("campaign data key destroyed (crypto-shredded): yes");
        String target = "/END/outbox/" + r.get(0).getFileName();
        List<AuditEvent.Entry> audited = gw.callgate().audit().find("retention.receipt", target);
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).event().detail()).contains("sha256=" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(r.get(0)))));

        // The copy with everything Callgate still has (master key, key directory) no longer decrypts END.
        try (Database copy = Database.open(backup, master);
             RecordStore rs = new RecordStore(copy, master, new CampaignKeyStore(copy, master, keyDir,
                     Clock.systemUTC()), new BlindIndex(master), Clock.systemUTC())) {
            assertThatThrownBy(() -> rs.activeRecords(upload1).toList()).isInstanceOf(StoreException.class);
        }

        // An ended campaign takes no new uploads: its inbox is gone from the controller's view; the
        // outbox (with the receipt) stays.
        Path late = acme.encrypt("late.csv", Controller.utf8(LIST), true, false, -1);
        assertThat(gw.sftp(acme.account, "put " + late + " /END/inbox/late.csv.gpg\n").exit()).isNotZero();
        assertThat(gw.sftp(acme.account, "ls /END/outbox\n").assertOk().out()).contains("deletion-receipt-END-");
    }

    @Test
    @Order(3)
    void aShredderDownForThreeDaysCatchesUpOnStartAndTheGaugeShowsTheBacklogUntilItDoes() throws Exception {
        campaign("CATCH", "--retention-days", "1");
        upload("CATCH", "c1.csv.gpg");
        upload("CATCH", "c2.csv.gpg");
        gw.callgate().close();
        gw.clock.advance(Duration.ofDays(3));
        CountDownLatch release = new CountDownLatch(1);
        gw.shredFaults = new ShredFaults() {
            @Override
            public void beforePass() {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            gw.start();
            assertThat(gauge("callgate_retention_overdue_datasets")).isEqualTo(2);
            assertThat(gauge("callgate_retention_next_deadline_seconds")).isLessThan(0);
            assertThat(gauge("callgate_personal_data_oldest_age_seconds")).isGreaterThan(3 * 86400 - 60);
            assertThat(gw.admin("retention", "status").assertOk().out()).contains("due");
        } finally {
            release.countDown();
        }
        awaitShredded("CATCH");
        assertThat(gauge("callgate_retention_overdue_datasets")).isZero();
        assertThat(receipts("CATCH")).hasSize(1);
        gw.shredFaults = ShredFaults.NONE;
        gw.restart();
    }

    @Test
    @Order(4)
    void aKillAtEachStepOfARunThenARestartCompletesTheRunWithExactlyOneReceipt() throws Exception {
        List<String> steps = List.of("run-opened", "records", "files", "dataset", "key", "receipt-written",
                "receipt-audited", "run-done");
        int i = 0;
        for (String step : steps) {
            String c = "KILL" + (i++);
            campaign(c);
            String sha = upload(c, c + ".csv.gpg");
            AtomicBoolean crashed = new AtomicBoolean();
            gw.shredFaults = new ShredFaults() {
                @Override
                public void after(String at, String id) {
                    if (at.equals(step) && crashed.compareAndSet(false, true)) {
                        throw new ShredCrash(at);
                    }
                }

                @Override
                public void beforePass() {
                    if (crashed.get()) {
                        throw new ShredCrash("killed"); // the process is "dead": no further passes
                    }
                }
            };
            gw.restart();
            gw.ssh("sup", "campaign", "end", c).assertOk();
            await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);
            gw.shredFaults = ShredFaults.NONE;
            gw.restart();
            awaitShredded(c);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !Files.exists(CampaignKeyStore.defaultKeyDir(gw.dataDir).resolve(c + ".key")));
            List<Path> r = receipts(c);
            assertThat(r).as("receipts after a kill at " + step).hasSize(1);
            assertReceipt(r.get(0), sha);
            assertThat(gw.callgate().audit().find("retention.receipt", "/" + c + "/outbox/" + r.get(0).getFileName()))
                    .as("audited once after a kill at " + step).hasSize(1);
            assertThat(gw.callgate().records().storedRecords(c)).isZero();
            try (Stream<Path> s = Files.list(outbox(c))) {
                assertThat(s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()).isEmpty();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
