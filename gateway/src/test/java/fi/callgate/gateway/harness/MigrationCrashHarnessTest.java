package fi.callgate.gateway.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.gateway.support.Proc;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.DataKey;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.RecordCipher;
import fi.callgate.store.RecordStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash harness for the move of pre-V15 records ({@code call_record} rows) into part files and the index,
 * which runs in the background while the gateway serves. The child's database is filled with old-layout
 * record sets (as the store wrote them before V15: sealed rows, blind-index columns, random ids), then the
 * child is started and killed with SIGKILL at seeded random moments — most while the move is running,
 * some in start-up — and started again, until a start finishes the move. Between kills, while the move
 * runs, a supervisor's {@code dsar find} must answer each person's records exactly once, and some persons
 * are erased with {@code dsar erase}. At the end, on the data itself: every record of every person present
 * exactly once with its old id (erased ones nowhere), the old tables dropped, every set in the new layout,
 * the audit chain intact and no test person in plaintext under data-dir or in the child's log.
 * Reproduce with {@code -Dcrash.seed=N}; {@code -Dcrash.migration.kills=N} changes the number of kills.
 */
class MigrationCrashHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int UPLOADS = 8;
    private static final int ROWS = 2000;
    /** Every upload holds the same persons (as repeated lists do): each person has UPLOADS records. */
    private static final int PAIR = UPLOADS / 2;
    private static final String MOVING = "moving the records of";
    private static final String DROPPED = "legacy record tables dropped";
    /** Logged when a start's pass has moved its first set (RecordMigration: "moved upload … (n record(s); 1 of m)"). */
    private static final String FIRST_SET_MOVED = "; 1 of ";

    @TempDir
    Path home;

    @Test
    void killNineDuringTheBackgroundMoveLosesDuplicatesAndHalfShowsNothing() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int kills = Integer.getInteger("crash.migration.kills", 8);
        System.out.println("[migration-harness] seed=" + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        try (ChildGateway child = new ChildGateway(home, Map.of())) {
            child.start();
            child.admin("campaign", "add", "M1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
            child.admin("campaign", "add", "M2", "--org", "Beta", "--ends", "2099-12-31").assertOk();
            child.admin("account", "add", "sup-sari", "--role", "supervisor").assertOk();
            child.ssh("it-admin", child.publicKey("sup-sari"), "account", "key", "sup-sari").assertOk();
            child.stop();
            MasterKey master = MasterKey.fromBase64(child.masterKeyBase64);
            List<String> needles = new ArrayList<>();
            long tSetUp = System.nanoTime();
            Map<Integer, Set<String>> idsOf = populate(child.dataDir, master, needles);
            long tPopulated = System.nanoTime();

            Set<Integer> erased = new TreeSet<>();
            int killed = 0;
            int duringMove = 0;
            int duringStart = 0;
            int finds = 0;
            boolean finished = false;
            while (true) {
                long logFrom = logSize(child);
                child.launch();
                if (finished || killed >= kills) {
                    child.awaitUp();
                    finds += checkFinds(child, rnd, idsOf, erased, killed);
                    assertThat(finished || awaitLog(child, logFrom, DROPPED, 180_000))
                            .as("the move finished; log:\n" + child.tail()).isTrue();
                    finished = true;
                    break;
                }
                // The first kills are aimed at the move (a quiet machine moves these records in a second or
                // two), then anywhere.
                int mode = duringMove < 3 ? 1 : rnd.nextInt(3);
                if (mode == 0) { // anywhere in start-up: store recovery and the first pages included
                    LifecycleDriver.sleep(rnd.nextInt(2500));
                } else if (mode == 1) { // aimed at the move itself: in the copy of its second set, or its switch
                    awaitLog(child, logFrom, FIRST_SET_MOVED, 120_000);
                    LifecycleDriver.sleep(rnd.nextInt(200));
                } else { // serving: reads and erasures while the move (if still running) goes on
                    child.awaitUp();
                    finds += checkFinds(child, rnd, idsOf, erased, killed);
                    LifecycleDriver.sleep(rnd.nextInt(500));
                }
                String since = logSince(child, logFrom);
                boolean up = child.up();
                child.kill();
                killed++;
                duringStart += up ? 0 : 1;
                duringMove += since.contains(MOVING) && !since.contains(DROPPED) ? 1 : 0;
                finished = since.contains(DROPPED);
            }
            if (child.alive()) {
                // Once more after the move: still exactly once.
                for (int person : List.of(0, ROWS - 1, rnd.nextInt(ROWS))) {
                    Set<String> expected = erased.contains(person) ? Set.of() : idsOf.get(person);
                    assertThat(recordIds(find(child, phone(person)))).containsExactlyInAnyOrderElementsOf(expected);
                    finds++;
                }
                child.stop();
            }
            System.out.printf("[migration-harness] %d legacy records in %d uploads; kills=%d (while moving %d, in"
                            + " start-up %d); starts=%d (mean start %d ms); dsar finds=%d, persons erased=%d;"
                            + " set-up %.1f s, populate %.1f s, kills and moves %.1f s%n", UPLOADS * ROWS, UPLOADS, killed,
                    duringMove, duringStart, child.starts(), child.meanStartMillis(), finds, erased.size(),
                    (tSetUp - t0) / 1e9, (tPopulated - tSetUp) / 1e9, (System.nanoTime() - tPopulated) / 1e9);
            assertThat(duringMove).as("kills that landed while the move ran").isGreaterThanOrEqualTo(Math.min(3, kills));

            List<String> problems = new ArrayList<>();
            try (Database db = Database.open(child.dataDir, master)) {
                assertThat(db.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN"
                        + " ('CALL_RECORD', 'RECORD_GENERATION')", rs -> rs.getLong(1)).get(0)).as("old tables dropped")
                        .isZero();
                assertThat(db.query("SELECT COUNT(*) FROM record_set WHERE dataset_no IS NULL AND state = 'ACTIVE'",
                        rs -> rs.getLong(1)).get(0)).as("sets left in the old layout").isZero();
                BlindIndex index = new BlindIndex(master);
                try (RecordStore records = new RecordStore(db, master, new CampaignKeyStore(db, master,
                        CampaignKeyStore.defaultKeyDir(child.dataDir), Clock.systemUTC()), index, Clock.systemUTC())) {
                    for (int person = 0; person < ROWS; person++) {
                        Set<String> expected = erased.contains(person) ? Set.of() : idsOf.get(person);
                        List<String> found = records.findByPhone(new PhoneNumber(phone(person))).stream()
                                .map(RecordStore.StoredRecord::recordId).toList();
                        if (found.size() != expected.size() || !expected.containsAll(found)) {
                            problems.add("person " + person + ": found " + found + ", expected " + expected);
                        }
                    }
                    long active = records.count("M1") + records.count("M2");
                    if (active != (long) UPLOADS * (ROWS - erased.size())) {
                        problems.add(active + " records in the two campaigns, expected "
                                + (long) UPLOADS * (ROWS - erased.size()));
                        for (String u : db.query("SELECT upload_id FROM record_set", rs -> rs.getString(1))) {
                            try (var stream = records.activeRecords(u)) {
                                problems.add(u + ": count " + records.liveCount(u) + ", readable " + stream.count()
                                        + ", tombstones " + db.query("SELECT COUNT(*) FROM record_tombstone t JOIN"
                                        + " record_set s ON s.dataset_no = t.dataset_no WHERE s.upload_id = ?",
                                        rs -> rs.getLong(1), u).get(0));
                            }
                        }
                    }
                }
                AuditLog.Verification v = new AuditLog(db, master, Clock.systemUTC()).verify();
                System.out.println("[migration-harness] audit: " + v.message());
                if (!v.ok()) {
                    problems.add("audit chain: " + v.message());
                }
            }
            long leaks = CrashHarnessTest.scanForPlaintext(child.dataDir, needles, problems);
            String log = Files.readString(home.resolve("child.log"));
            for (String n : needles) {
                if (log.contains(n)) {
                    problems.add("plaintext '" + n + "' in the child's log");
                    break;
                }
            }
            System.out.printf("[migration-harness] %d needles, plaintext hits=%d; %.1f s%n", needles.size(), leaks,
                    (System.nanoTime() - t0) / 1e9);
            assertThat(problems).as("migration crash invariants").isEmpty();
        }
    }

    /**
     * The old layout, as the store wrote it before V15: per upload an upload row, an ACTIVE record set
     * without a set number and its call_record rows. Returns each person's record ids.
     */
    private static Map<Integer, Set<String>> populate(Path dataDir, MasterKey master, List<String> needles)
            throws Exception {
        Map<Integer, Set<String>> ids = new HashMap<>();
        try (Database db = Database.open(dataDir, master)) {
            // The first start found the old tables empty and dropped them; an installation upgraded from
            // before V15 still has them, in their last shape (V2, V9, V10), when the new version first starts.
            for (String ddl : List.of("CREATE TABLE call_record (record_id VARCHAR(26) NOT NULL PRIMARY KEY,"
                    + " campaign VARCHAR(40) NOT NULL, upload_id VARCHAR(36) NOT NULL REFERENCES record_set(upload_id),"
                    + " row_number BIGINT NOT NULL, payload VARBINARY(262144) NOT NULL, phone_idx BINARY(16) NOT NULL,"
                    + " email_idx BINARY(16), name_postal_idx BINARY(16), name_idx BINARY(16) NOT NULL,"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL, gen INT DEFAULT 0 NOT NULL,"
                    + " CONSTRAINT call_record_row_uq UNIQUE (upload_id, row_number))",
                    "CREATE TABLE record_generation (gen INT NOT NULL PRIMARY KEY,"
                            + " opened_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                    "INSERT INTO record_generation(gen, opened_at) VALUES (0, CURRENT_TIMESTAMP)",
                    "CREATE INDEX call_record_phone_ix ON call_record(gen, phone_idx)",
                    "CREATE INDEX call_record_email_ix ON call_record(gen, email_idx)",
                    "CREATE INDEX call_record_name_postal_ix ON call_record(gen, name_postal_idx)")) {
                db.update(ddl);
            }
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dataDir),
                    Clock.systemUTC());
            BlindIndex index = new BlindIndex(master);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (int u = 0; u < UPLOADS; u++) {
                String campaign = u < PAIR ? "M1" : "M2";
                String upload = "00000000-0000-4000-8000-0000000000" + (10 + u);
                DataKey key = keys.forCampaign(campaign);
                db.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload(id, campaign, area, account,"
                            + " original_name, spool_name, size_bytes, spool_iv, state, received_at, updated_at)"
                            + " VALUES (?, ?, 'inbox', 'ctl', 'vanha.csv.gpg', ?, 1, ?, 'ACCEPTED', ?, ?)")) {
                        ps.setString(1, upload);
                        ps.setString(2, campaign);
                        ps.setString(3, upload + ".spool");
                        ps.setString(4, "00".repeat(16));
                        ps.setObject(5, now);
                        ps.setObject(6, now);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_set(upload_id, campaign, state,"
                            + " record_count, created_at, published_at) VALUES (?, ?, 'ACTIVE', ?, ?, ?)")) {
                        ps.setString(1, upload);
                        ps.setString(2, campaign);
                        ps.setLong(3, ROWS);
                        ps.setObject(4, now);
                        ps.setObject(5, now);
                        ps.executeUpdate();
                    }
                    return null;
                });
                int pair = u % PAIR;
                for (int from = 0; from < ROWS; from += 1000) {
                    int start = from;
                    db.inTransaction(c -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_record(record_id, campaign,"
                                + " upload_id, row_number, payload, phone_idx, email_idx, name_postal_idx, name_idx,"
                                + " created_at, gen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                            for (int person = start; person < Math.min(ROWS, start + 1000); person++) {
                                String first = "Vanhus" + CrashHarnessTest.letters(person);
                                String last = "Siirtola" + CrashHarnessTest.letters(person + 11 * pair);
                                String email = "v." + CrashHarnessTest.letters(person) + "@siirto.example";
                                CallRecord r = new CallRecord(2 + person, first, last, new PhoneNumber(phone(person)),
                                        Optional.of(email), Optional.empty(), Optional.empty(), Optional.empty(),
                                        "Vanha lista", Optional.empty());
                                String id = legacyId();
                                ids.computeIfAbsent(person, k -> new HashSet<>()).add(id);
                                if (person % 400 == 0) { // a sample: the scan reads every file once per needle
                                    needles.addAll(List.of(first, last, email, phone(person)));
                                }
                                BlindIndex.Entries idx = index.of(r);
                                ps.setString(1, id);
                                ps.setString(2, campaign);
                                ps.setString(3, upload);
                                ps.setLong(4, r.rowNumber());
                                ps.setBytes(5, RecordCipher.seal(key, campaign, id, r));
                                ps.setBytes(6, idx.phone());
                                ps.setBytes(7, idx.email().orElse(null));
                                ps.setBytes(8, idx.namePostal().orElse(null));
                                ps.setBytes(9, idx.name());
                                ps.setObject(10, now);
                                ps.addBatch();
                            }
                            ps.executeBatch();
                        }
                        return null;
                    });
                }
            }
        }
        return ids;
    }

    /** Person n's phone, E.164: the same in both of the person's records. */
    private static String phone(int person) {
        return "+35840" + (5_000_000 + person);
    }

    /** 128 random bits in base32, lower case: what record ids were before V15. */
    private static String legacyId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder s = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        s.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        return s.toString();
    }

    /**
     * Two random persons looked up with {@code dsar find}: each person's records exactly once (erased ones
     * never); one in three found is then erased with {@code dsar erase}.
     *
     * @return finds made
     */
    private static int checkFinds(ChildGateway child, Random rnd, Map<Integer, Set<String>> idsOf,
                                  Set<Integer> erased, int killed) throws Exception {
        for (int k = 0; k < 2; k++) {
            int person = rnd.nextInt(ROWS);
            JsonNode a = find(child, phone(person));
            Set<String> expected = erased.contains(person) ? Set.of() : idsOf.get(person);
            assertThat(recordIds(a)).as("dsar find of person " + person + " after " + killed + " kills; log:\n"
                    + child.tail()).containsExactlyInAnyOrderElementsOf(expected);
            if (!expected.isEmpty() && (erased.isEmpty() || rnd.nextInt(3) == 0)) {
                child.ssh("sup-sari", null, "dsar", "erase", a.get("request").asText()).assertOk();
                erased.add(person);
            }
        }
        return 2;
    }

    private static JsonNode find(ChildGateway child, String phone) throws Exception {
        Proc.Result r = child.ssh("sup-sari", null, "dsar", "find", "--json", "--phone", phone);
        return JSON.readTree(r.assertOk().out());
    }

    private static List<String> recordIds(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("records").forEach(r -> out.add(r.get("record_id").asText()));
        return out;
    }

    private static long logSize(ChildGateway child) throws Exception {
        Path log = child.home.resolve("child.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private static String logSince(ChildGateway child, long from) throws Exception {
        byte[] all = Files.readAllBytes(child.home.resolve("child.log"));
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }

    private static boolean awaitLog(ChildGateway child, long from, String line, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (logSince(child, from).contains(line)) {
                return true;
            }
            LifecycleDriver.sleep(200);
        }
        return false;
    }
}
