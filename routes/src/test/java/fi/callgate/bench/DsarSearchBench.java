package fi.callgate.bench;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.store.BlindIndex;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import fi.callgate.store.RecordGenerations;
import fi.callgate.store.RecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * java -Xmx2g -cp routes/target/test-classes:routes/target/classes:$(cat cp.txt) fi.callgate.bench.DsarSearchBench 10000000 /var/tmp/dsar-bench
 * </pre>
 * ({@code cp.txt} from {@code mvn -pl routes dependency:build-classpath -Dmdep.outputFile=cp.txt}.)
 *
 * <p>Loads N-4 filler rows straight through JDBC batches (random blind-index bytes, a random 200-byte
 * payload: they are never decrypted, only indexed, which is what the search touches; numbered into
 * generations of {@link RecordGenerations#SIZE} as RecordStore would) into ten ACTIVE
 * record sets, then stores one person twice through RecordStore (real encryption and indexes) in two
 * campaigns, and times {@code findByPhone}, {@code findByEmail} and {@code findByNamePostal} (each a
 * blind-index probe, a join to record_set, and decryption of the matches).
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
            RecordStore records = new RecordStore(db, keys, new BlindIndex(master), Clock.systemUTC());
            CampaignStore campaigns = new CampaignStore(db, Clock.systemUTC());
            if (campaigns.find("FILL").isEmpty()) {
                for (String c : List.of("FILL", "A", "B")) {
                    campaigns.create(new CampaignStore.NewCampaign(c, "Org" + c, LocalDate.of(2099, 1, 1),
                            OptionalInt.empty(), false, false, List.of("first_name", "last_name")));
                }
                long t0 = System.nanoTime();
                fill(db, keys, n - 2);
                System.out.printf("loaded %,d filler rows in %.1f s%n", n - 2, (System.nanoTime() - t0) / 1e9);
                person(db, records, "A", "ua");
                person(db, records, "B", "ub");
            }
        }
        // Searched after a reopen, so the first search finds HSQLDB's row cache cold, as after a restart.
        try (Database db = Database.open(dir, master)) {
            CampaignKeyStore keys = new CampaignKeyStore(db, master, CampaignKeyStore.defaultKeyDir(dir),
                    Clock.systemUTC());
            RecordStore records = new RecordStore(db, keys, new BlindIndex(master), Clock.systemUTC());
            System.out.printf("records stored: %,d%n", count(db));
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

    private static void fill(Database db, CampaignKeyStore keys, long rows) throws Exception {
        keys.forCampaign("FILL");
        int sets = 10;
        for (int i = 0; i < sets; i++) {
            upload(db, "fill-" + i, "FILL");
            String id = "fill-" + i;
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_set(upload_id, campaign, state,"
                        + " record_count, created_at, published_at) VALUES (?, 'FILL', 'ACTIVE', 0, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                return null;
            });
        }
        Random rnd = new Random(42);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            // A bench-only shortcut: no redo log while the filler goes in, one checkpoint at the end.
            c.createStatement().execute("SET FILES LOG FALSE");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_record(record_id, campaign, upload_id,"
                    + " row_number, payload, phone_idx, email_idx, name_postal_idx, name_idx, created_at, gen)"
                    + " VALUES (?, 'FILL', ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long i = 0; i < rows; i++) {
                    ps.setString(1, String.format("f%025d", i));
                    ps.setString(2, "fill-" + (i % sets));
                    ps.setLong(3, i);
                    ps.setBytes(4, bytes(rnd, 200));
                    ps.setBytes(5, ascending(i, rows, rnd));
                    ps.setBytes(6, ascending(i, rows, rnd));
                    ps.setBytes(7, ascending(i, rows, rnd));
                    ps.setBytes(8, ascending(i, rows, rnd));
                    ps.setObject(9, now);
                    ps.setInt(10, (int) (i / RecordGenerations.SIZE)); // as RecordStore would number them
                    ps.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                    if ((i + 1) % 1_000_000 == 0) {
                        System.out.printf("  %,d%n", i + 1);
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
            for (long g = 1; g <= (rows - 1) / RecordGenerations.SIZE; g++) {
                c.createStatement().execute("INSERT INTO record_generation(gen, opened_at) VALUES (" + g
                        + ", CURRENT_TIMESTAMP)");
            }
            c.createStatement().execute("CHECKPOINT");
            c.createStatement().execute("SET FILES LOG TRUE");
        }
    }

    /**
     * A filler blind-index value: the i-th of {@code rows} values spread evenly over the 128-bit space in
     * ascending order (high 8 bytes), random below. Real HMACs arrive in random order; loading them in
     * order lets every index insert land on the cached right edge of HSQLDB's AVL trees, which turns a
     * load of hours into minutes. The trees come out balanced and just as deep either way, and the
     * searched person's values are real HMACs stored through RecordStore, so the search walks the same
     * path it would after a random-order load.
     */
    static byte[] ascending(long i, long rows, Random rnd) {
        long step = Long.divideUnsigned(-1L, Math.max(rows, 1));
        long high = i * step;
        byte[] b = bytes(rnd, 16);
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (high >>> (56 - 8 * k));
        }
        return b;
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

    private static long count(Database db) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_record");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
