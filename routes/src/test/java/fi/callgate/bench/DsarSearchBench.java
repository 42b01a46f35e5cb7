package fi.callgate.bench;

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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Not a test: times the data-subject searches over N stored records.
 *
 * <pre>
 * mvn -B -q -pl routes test-compile
 * java -Xmx1g -cp routes/target/test-classes:routes/target/classes:$(cat cp.txt) fi.callgate.bench.DsarSearchBench 10000000 /var/tmp/dsar-bench
 * </pre>
 * ({@code cp.txt} from {@code mvn -pl routes dependency:build-classpath -Dmdep.outputFile=cp.txt}.)
 *
 * <p>Stores N-2 filler records through RecordStore in ten ACTIVE record sets (real part files and index
 * documents; random blind-index values instead of HMACs, which only saves the loader time), then one
 * person twice in two campaigns with real HMACs, and times {@code findByPhone}, {@code findByEmail} and
 * {@code findByNamePostal} after a reopen (each a Lucene point query, the record sets' state from
 * HSQLDB, and decryption of the matching segments).
 */
public final class DsarSearchBench {
    private static final int BATCH = 5000;

    private DsarSearchBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("dsar-bench");
        byte[] mk = new byte[32];
        new Random(7).nextBytes(mk);
        MasterKey master = MasterKey.fromBase64(Base64.getEncoder().encodeToString(mk));
        try (Database db = Database.open(dir, master)) {
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dir),
                    Clock.systemUTC());
            RecordStore records = new RecordStore(db, master, keys, new BlindIndex(master), Clock.systemUTC());
            try (records) {
            CampaignStore campaigns = new CampaignStore(db, Clock.systemUTC());
            if (campaigns.find("FILL").isEmpty()) {
                for (String c : List.of("FILL", "A", "B")) {
                    campaigns.create(new CampaignStore.NewCampaign(c, "Org" + c, LocalDate.of(2099, 1, 1),
                            OptionalInt.empty(), false, false, List.of("first_name", "last_name")));
                }
                long t0 = System.nanoTime();
                fill(db, records, n - 2);
                System.out.printf("loaded %,d filler rows in %.1f s%n", n - 2, (System.nanoTime() - t0) / 1e9);
                person(db, records, "A", "ua");
                person(db, records, "B", "ub");
            }
            }
        }
        // Searched after a reopen, so the first search finds HSQLDB's row cache cold, as after a restart.
        try (Database db = Database.open(dir, master)) {
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dir),
                    Clock.systemUTC());
            RecordStore records = new RecordStore(db, master, keys, new BlindIndex(master), Clock.systemUTC());
            System.out.printf("records stored: %,d%n", records.count("FILL") + records.count("A") + records.count("B"));
            long t = System.nanoTime();
            int first = records.findByPhone(new PhoneNumber("+358401234567")).size();
            System.out.printf("first search after opening (cold cache): found %d in %.2f ms%n", first,
                    (System.nanoTime() - t) / 1e6);
            for (int round = 0; round < 2; round++) {
                time("findByPhone", () -> records.findByPhone(new PhoneNumber("+358401234567")).size());
                time("findByEmail", () -> records.findByEmail("MATTI@example.fi").size());
                time("findByNamePostal", () -> records.findByNamePostal("Matti", "Meikäläinen", "00530").size());
                time("findByPhone miss", () -> records.findByPhone(new PhoneNumber("+358409999999")).size());
            }
        }
    }

    interface Search {
        int run();
    }

    private static void time(String what, Search s) {
        int runs = 50;
        long[] ns = new long[runs];
        int found = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            found = s.run();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("%-17s found %d  median %.2f ms  p95 %.2f ms  max %.2f ms%n", what, found, ns[runs / 2] / 1e6,
                ns[runs * 95 / 100] / 1e6, ns[runs - 1] / 1e6);
    }

    private static void person(Database db, RecordStore records, String campaign, String upload) {
        upload(db, upload, campaign);
        CallRecord r = new CallRecord(2, "Matti", "Meikäläinen", new PhoneNumber("+358401234567"),
                Optional.of("matti@example.fi"), Optional.of("Hämeentie 1"), Optional.of("00530"),
                Optional.of("Helsinki"), "bench", Optional.empty());
        try (RecordStore.Staging s = records.stage(upload, campaign)) {
            s.add(r);
            s.finish();
        }
        records.publish(upload);
    }

    private static void fill(Database db, RecordStore records, long rows) {
        int sets = 10;
        Random rnd = new Random(42);
        for (int i = 0; i < sets; i++) {
            String id = "fill-" + i;
            upload(db, id, "FILL");
            long n = rows / sets + (i < rows % sets ? 1 : 0);
            try (RecordStore.Staging s = records.stage(id, "FILL")) {
                for (long k = 0; k < n; k++) {
                    CallRecord r = new CallRecord(k + 2, "Etunimi" + k, "Sukunimi", new PhoneNumber("+35840"
                            + (1000000 + k % 8000000)), Optional.empty(), Optional.empty(), Optional.of("00100"),
                            Optional.empty(), "bench", Optional.empty());
                    s.add(r, new BlindIndex.Entries(bytes(rnd, 16), Optional.of(bytes(rnd, 16)),
                            Optional.of(bytes(rnd, 16)), bytes(rnd, 16)));
                }
                s.finish();
            }
            records.publish(id);
            System.out.printf("  set %d of %d stored%n", i + 1, sets);
        }
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static void upload(Database db, String id, String campaign) {
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
