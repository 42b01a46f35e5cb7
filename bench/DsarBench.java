import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.RecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * DSAR search over N stored records (issue #13: p95 under 100 ms at 10 000 000), run by {@code bench/run.sh}
 * (PARTS=dsar) as {@code java -cp gateway/target/callgate.jar bench/DsarBench.java N DIR SEARCHES}.
 *
 * <p>Load: N records through the record store's own write path ({@code RecordStore.stage}, {@code add},
 * {@code finish}, {@code publish}: real part files, index documents and record sets) in ten sets of two
 * campaigns. Filler records carry random blind-index values (an HMAC per value only costs the loader time);
 * among them, spread evenly, {@value #PERSONS} probe persons with real HMACs, each stored twice — in two
 * sets of different campaigns, far apart — so every search must find exactly two records in two sets.
 *
 * <p>Measured after closing and reopening the store (cold caches, as after a restart) and 100 discarded
 * warm-up searches (JIT), each search for a different random probe person: find by phone, by email, by
 * name + postal code, a phone that is not stored; the results join (a record id resolved in its campaign, and refused in the other); the block-list
 * join ({@code idsWithPhones}: a set's records with one of 100 blocked phones). Every answer is checked
 * against what was stored; any wrong answer fails the run (exit 1). Prints tab-separated lines:
 * {@code load rows seconds}, {@code cold ms}, and {@code case n p50 p95 max} in milliseconds.
 */
public final class DsarBench {
    static final int PERSONS = 2000;
    static final int SETS = 10;

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        int searches = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Files.createDirectories(dir);
        byte[] mk = new byte[32];
        new Random(7).nextBytes(mk);
        MasterKey master = MasterKey.fromBase64(Base64.getEncoder().encodeToString(mk));
        BlindIndex index = new BlindIndex(master);
        // ids[j][copy]: person j's record in set (j + copy * SETS / 2) % SETS, campaign campaignOf(j, copy).
        String[][] ids = new String[PERSONS][2];
        try (Database db = Database.open(dir, master)) {
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dir),
                    Clock.systemUTC());
            try (RecordStore records = new RecordStore(db, master, keys, index, Clock.systemUTC())) {
                CampaignStore campaigns = new CampaignStore(db, Clock.systemUTC());
                for (String c : List.of("CA", "CB")) {
                    campaigns.create(new CampaignStore.NewCampaign(c, "Org" + c, LocalDate.of(2099, 1, 1),
                            OptionalInt.empty(), false, false, List.of("first_name", "last_name")));
                }
                long t0 = System.nanoTime();
                load(db, records, index, n, ids);
                System.out.printf("load\t%d\t%.1f%n", n, (System.nanoTime() - t0) / 1e9);
            }
        }
        boolean ok = true;
        try (Database db = Database.open(dir, master)) {
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dir),
                    Clock.systemUTC());
            try (RecordStore records = new RecordStore(db, master, keys, index, Clock.systemUTC())) {
                long stored = records.count("CA") + records.count("CB");
                if (stored != n) {
                    System.err.println("stored " + stored + " records, expected " + n);
                    ok = false;
                }
                Random rnd = new Random(11);
                long t = System.nanoTime();
                ok &= twoFound(records.findByPhone(new PhoneNumber(phone(0))), List.of(ids[0]));
                System.out.printf("cold\t%.2f%n", (System.nanoTime() - t) / 1e6);
                // JIT warm-up, discarded: 100 searches for random persons (the measured rounds draw their own).
                Random warm = new Random(3);
                for (int i = 0; i < 100; i++) {
                    int j = warm.nextInt(PERSONS);
                    ok &= twoFound(records.findByPhone(new PhoneNumber(phone(j))), List.of(ids[j]));
                }
                ok &= time("find by phone", searches, rnd, j ->
                        twoFound(records.findByPhone(new PhoneNumber(phone(j))), List.of(ids[j])));
                ok &= time("find by email", searches, rnd, j ->
                        twoFound(records.findByEmail(email(j).toUpperCase()), List.of(ids[j])));
                ok &= time("find by name + postal code", searches, rnd, j ->
                        twoFound(records.findByNamePostal(first(j), "Probe", postal(j)), List.of(ids[j])));
                ok &= time("find by phone, not stored", searches, rnd, j ->
                        records.findByPhone(new PhoneNumber("+35845" + (7_000_000 + j))).isEmpty());
                ok &= time("results join (id in its campaign, refused in the other)", searches, rnd, j -> {
                    String id = ids[j][0];
                    Optional<RecordStore.StoredRecord> own = records.findInCampaign(id, campaignOf(j, 0));
                    return own.isPresent() && own.get().record().phone().e164().equals(phone(j))
                            && records.findInCampaign(id, campaignOf(j, 1)).isEmpty();
                });
                ok &= time("block-list join (a set's records with 100 blocked phones)", Math.max(10, searches / 10),
                        rnd, j -> blockListJoin(records, index, ids, j % SETS));
            }
        }
        if (!ok) {
            System.err.println("WRONG ANSWERS: see above");
            System.exit(1);
        }
    }

    /** Person j's two records are in sets j % SETS and (j + SETS / 2) % SETS: different campaigns. */
    static String campaignOf(int j, int copy) {
        int set = (j + copy * SETS / 2) % SETS;
        return set % 2 == 0 ? "CA" : "CB";
    }

    static String phone(int j) {
        return "+35850" + (1_000_000 + j);
    }

    static String email(int j) {
        return "probe" + j + "@dsar.example";
    }

    static String first(int j) {
        return "Henkilo" + j;
    }

    static String postal(int j) {
        return String.format("%05d", j % 99_999);
    }

    static CallRecord person(long row, int j) {
        return new CallRecord(row, first(j), "Probe", new PhoneNumber(phone(j)), Optional.of(email(j)),
                Optional.of("Katu " + j), Optional.of(postal(j)), Optional.of("Helsinki"), "bench", Optional.empty());
    }

    static void load(Database db, RecordStore records, BlindIndex index, long n, String[][] ids) {
        Random rnd = new Random(42);
        long fillers = n - 2L * PERSONS;
        for (int set = 0; set < SETS; set++) {
            String upload = "set-" + set;
            String campaign = set % 2 == 0 ? "CA" : "CB";
            upload(db, upload, campaign);
            // The probe persons of this set: j with j % SETS == set (first copy) or (j + SETS/2) % SETS == set.
            List<Integer> persons = new ArrayList<>();
            for (int j = 0; j < PERSONS; j++) {
                if (j % SETS == set || (j + SETS / 2) % SETS == set) {
                    persons.add(j);
                }
            }
            long fill = fillers / SETS + (set < fillers % SETS ? 1 : 0);
            long every = Math.max(1, fill / Math.max(1, persons.size()));
            long row = 2;
            int next = 0;
            try (RecordStore.Staging s = records.stage(upload, campaign)) {
                for (long k = 0; k < fill || next < persons.size(); k++) {
                    if (next < persons.size() && (k % every == every / 2 || k >= fill)) {
                        int j = persons.get(next++);
                        CallRecord r = person(row++, j);
                        ids[j][j % SETS == set ? 0 : 1] = s.add(r, index.of(r));
                    }
                    if (k < fill) {
                        CallRecord r = new CallRecord(row++, "Etunimi" + k, "Sukunimi", new PhoneNumber("+35840"
                                + (1_000_000 + k % 8_000_000)), Optional.empty(), Optional.empty(),
                                Optional.of("00100"), Optional.empty(), "bench", Optional.empty());
                        s.add(r, new BlindIndex.Entries(bytes(rnd), Optional.of(bytes(rnd)), Optional.of(bytes(rnd)),
                                bytes(rnd)));
                    }
                }
                s.finish();
            }
            records.publish(upload);
            System.err.printf("  set %d of %d stored%n", set + 1, SETS);
        }
    }

    /** A set's records whose phone is one of 100 probe phones, 50 of them stored in that set. */
    static boolean blockListJoin(RecordStore records, BlindIndex index, String[][] ids, int set) {
        List<byte[]> blocked = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int j = 0; j < PERSONS && blocked.size() < 100; j++) {
            boolean here = j % SETS == set || (j + SETS / 2) % SETS == set;
            if (here && expected.size() < 50) {
                blocked.add(index.phone(new PhoneNumber(phone(j))));
                expected.add(ids[j][j % SETS == set ? 0 : 1]);
            } else if (!here && blocked.size() - expected.size() < 50) {
                blocked.add(index.phone(new PhoneNumber(phone(j))));
            }
        }
        List<String> got = records.idsWithPhones("set-" + set, blocked);
        return got.size() == expected.size() && expected.containsAll(got);
    }

    static boolean twoFound(List<RecordStore.StoredRecord> found, List<String> expected) {
        return found.size() == 2 && found.stream().map(RecordStore.StoredRecord::recordId).toList()
                .containsAll(expected);
    }

    interface Check {
        boolean run(int person);
    }

    static boolean time(String what, int runs, Random rnd, Check check) {
        long[] ns = new long[runs];
        int wrong = 0;
        for (int i = 0; i < runs; i++) {
            int j = rnd.nextInt(PERSONS);
            long t = System.nanoTime();
            boolean ok = check.run(j);
            ns[i] = System.nanoTime() - t;
            wrong += ok ? 0 : 1;
        }
        Arrays.sort(ns);
        System.out.printf("%s\t%d\t%.2f\t%.2f\t%.2f\t%d%n", what, runs, ns[runs / 2] / 1e6,
                ns[(int) Math.ceil(runs * 0.95) - 1] / 1e6, ns[runs - 1] / 1e6, wrong);
        if (wrong > 0) {
            System.err.println(what + ": " + wrong + " wrong answers of " + runs);
        }
        return wrong == 0;
    }

    static byte[] bytes(Random rnd) {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        return b;
    }

    static void upload(Database db, String id, String campaign) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload(id, campaign, area, account,"
                    + " original_name, spool_name, size_bytes, spool_iv, state, received_at, updated_at)"
                    + " VALUES (?, ?, 'inbox', 'bench', 'bench.csv.gpg', ?, 1, ?, 'ACCEPTED', ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, campaign);
                ps.setString(3, id + ".spool");
                ps.setString(4, "00".repeat(16));
                ps.setObject(5, now);
                ps.setObject(6, now);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
