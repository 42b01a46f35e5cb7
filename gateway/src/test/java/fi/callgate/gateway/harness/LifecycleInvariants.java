package fi.callgate.gateway.harness;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.GnuPg;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of {@link LifecycleCrashHarnessTest}, made after the child's last clean stop on its data
 * directory and database (opened here with the child's master key) and with gpg. Each violation is
 * collected, so one run shows all of them.
 */
final class LifecycleInvariants {
    private final ChildGateway child;
    private final GnuPg gpg;
    private final String gatewayFpr;
    private final LifecycleDriver driver;
    private final List<String> problems = new ArrayList<>();

    LifecycleInvariants(ChildGateway child, GnuPg gpg, String gatewayFpr, LifecycleDriver driver) {
        this.child = child;
        this.gpg = gpg;
        this.gatewayFpr = gatewayFpr;
        this.driver = driver;
    }

    void check(long t0) throws Exception {
        problems.addAll(driver.liveProblems);
        MasterKey master = MasterKey.fromBase64(child.masterKeyBase64);
        Set<String> campaigns = new HashSet<>();
        driver.sent.forEach(s -> campaigns.add(s.campaign()));
        campaigns.addAll(driver.ended);
        int exports = 0;
        int receipts = 0;
        int audited = 0;
        try (Database db = Database.open(child.dataDir, master)) {
            AuditLog audit = new AuditLog(db, master, Clock.systemUTC());
            audited = resultsProcessedOnce(db, audit);
            Map<String, List<String>> exported = new HashMap<>(); // record id -> export kinds it is in
            for (String c : campaigns) {
                exports += exports(db, c, exported);
                if (driver.ended.contains(c)) {
                    receipts += shredded(db, audit, c);
                }
            }
            exportedExactlyOnce(exported);
            unfinished(db);
            AuditLog.Verification v = audit.verify();
            if (!v.ok()) {
                problems.add("audit chain: " + v.message());
            }
            System.out.println("[lifecycle-harness] audit: " + v.message());
        }
        long hits = CrashHarnessTest.scanForPlaintext(child.dataDir, driver.needles, problems);
        String log = Files.readString(child.home.resolve("child.log"), StandardCharsets.ISO_8859_1);
        for (String n : driver.needles) {
            if (log.contains(n) || log.contains(new String(n.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1))) {
                problems.add("personal data in the child's log: a " + n.length() + "-char needle");
                hits++;
            }
        }
        System.out.printf("[lifecycle-harness] exports=%d receipts=%d results.processed audited for %d/%d acknowledged"
                        + " files; %d needles, plaintext hits=%d; %.1f s%n", exports, receipts, audited,
                driver.resultsFiles.values().stream().filter(a -> a).count(), driver.needles.size(), hits,
                (System.nanoTime() - t0) / 1e9);
        assertThat(problems).as("lifecycle crash invariants; child log tail:\n" + child.tail()).isEmpty();
    }

    /** One final upload row per acknowledged results file, at most one per unacknowledged; each row audited once. */
    private int resultsProcessedOnce(Database db, AuditLog audit) {
        Map<String, List<String>> states = new HashMap<>();
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign, original_name, state FROM upload"
                    + " WHERE UPPER(area) = 'RESULTS'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.computeIfAbsent("/" + rs.getString(1) + "/results/" + rs.getString(2),
                            k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
            return null;
        });
        db.withConnection(c -> { // what the upload table holds, by area and state, for a failed run's post-mortem
            try (PreparedStatement ps = c.prepareStatement("SELECT area, state, COUNT(*) FROM upload GROUP BY area, state");
                 ResultSet rs = ps.executeQuery()) {
                StringBuilder sb = new StringBuilder("[lifecycle-harness] uploads:");
                while (rs.next()) {
                    sb.append(' ').append(rs.getString(1)).append('/').append(rs.getString(2)).append('=').append(rs.getLong(3));
                }
                System.out.println(sb);
            }
            return null;
        });
        int audited = 0;
        for (var e : driver.resultsFiles.entrySet()) {
            List<String> s = states.getOrDefault(e.getKey(), List.of());
            boolean acked = e.getValue();
            if (acked ? s.size() != 1 : s.size() > 1) {
                problems.add(e.getKey() + " (acknowledged " + acked + "): " + s.size() + " upload rows");
            }
            if (acked && !s.isEmpty() && !s.get(0).equals("ACCEPTED")) {
                problems.add(e.getKey() + ": state " + s.get(0));
            }
            int n = audit.find("results.processed", e.getKey()).size();
            if (n != (s.isEmpty() ? 0 : 1)) { // a processed file is audited once; one never received, never
                problems.add(e.getKey() + ": " + s.size() + " upload rows, results.processed audited " + n + " times");
            }
            audited += acked && n == 1 ? 1 : 0;
        }
        for (String name : states.keySet()) {
            if (!driver.resultsFiles.containsKey(name)) {
                problems.add(name + ": a results upload nobody sent");
            }
        }
        return audited;
    }

    /** Every export in the outbox decrypts whole, signed by the gateway; batches and files agree. */
    private int exports(Database db, String c, Map<String, List<String>> exported) throws Exception {
        Path outbox = child.dataDir.resolve("sftp/" + c + "/outbox");
        List<Path> files;
        try (Stream<Path> s = Files.list(outbox)) {
            files = s.sorted().toList();
        }
        Set<String> onDisk = new HashSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith(".")) {
                problems.add(c + ": hidden leftover in the outbox: " + name);
                continue;
            }
            if (!name.matches("(orders|callbans)-.*")) {
                continue;
            }
            onDisk.add(name);
            GnuPg.Result d = gpg.decrypt(f);
            if (!d.ok() || d.status("VALIDSIG").stream().noneMatch(v -> v.contains(gatewayFpr))) {
                problems.add(c + ": " + name + " does not decrypt whole with the gateway's signature: "
                        + d.stderr().lines().filter(l -> !l.startsWith("[GNUPG:]")).toList());
                continue;
            }
            String kind = name.startsWith("orders-") ? "orders" : "callbans";
            List<String> lines = d.stdoutText().lines().toList();
            if (lines.isEmpty() || !lines.get(0).startsWith("record_id;")) {
                problems.add(c + ": " + name + " has no header");
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                exported.computeIfAbsent(line.substring(0, line.indexOf(';')), k -> new ArrayList<>())
                        .add(kind + " " + name);
            }
        }
        Map<String, String> batches = new HashMap<>();
        db.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT file_name, state FROM export_batch"
                    + " WHERE campaign = ?")) {
                ps.setString(1, c);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batches.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return null;
        });
        batches.forEach((name, state) -> {
            if (!state.equals("PUBLISHED")) {
                problems.add(c + ": export batch " + name + " left " + state);
            }
        });
        if (!batches.keySet().equals(onDisk)) {
            problems.add(c + ": export batches " + batches.keySet() + " but files " + onDisk);
        }
        return onDisk.size();
    }

    /** Each exportable result of an acknowledged file in exactly one export of its kind; nothing else. */
    private void exportedExactlyOnce(Map<String, List<String>> exported) {
        Set<String> known = new HashSet<>();
        for (LifecycleDriver.SentResult r : driver.sent) {
            known.add(r.recordId());
            List<String> in = exported.getOrDefault(r.recordId(), List.of());
            String kind = r.exportKind();
            boolean ok = kind == null ? in.isEmpty()
                    : (r.acked() ? in.size() == 1 : in.size() <= 1) && in.stream().allMatch(x -> x.startsWith(kind + " "));
            if (!ok) {
                problems.add(r.file() + " (acknowledged " + r.acked() + ") " + r.outcome() + " " + r.recordId()
                        + ": in exports " + in);
            }
        }
        for (String id : exported.keySet()) {
            if (!known.contains(id)) {
                problems.add("exported record " + id + " that no results file named");
            }
        }
    }

    /** An ended campaign: all shredded, key gone, one verified and audited receipt per receipt-issuing run. */
    private int shredded(Database db, AuditLog audit, String c) throws Exception {
        long held = count(db, "SELECT COUNT(*) FROM dataset WHERE campaign = ? AND state <> 'SHREDDED'", c);
        long records = count(db, "SELECT COUNT(*) FROM record_set WHERE campaign = ? AND purged_at IS NULL", c);
        long liveKey = count(db, "SELECT COUNT(*) FROM campaign_key WHERE campaign = ? AND wrapped_key IS NOT NULL", c);
        long open = count(db, "SELECT COUNT(*) FROM shred_run WHERE campaign = ? AND state <> 'DONE'", c);
        if (held + records + liveKey + open > 0) {
            problems.add(c + ": ended but " + held + " datasets held, " + records + " records, " + liveKey
                    + " live key, " + open + " open shred runs");
        }
        Set<String> runs = new HashSet<>();
        db.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT receipt_file FROM shred_run WHERE campaign = ?"
                    + " AND issue_receipt")) {
                ps.setString(1, c);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        Set<String> onDisk = new HashSet<>();
        try (Stream<Path> s = Files.list(child.dataDir.resolve("sftp/" + c + "/outbox"))) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("deletion-receipt-")).toList()) {
                String name = f.getFileName().toString();
                onDisk.add(name);
                GnuPg.Result v = gpg.verify(f);
                if (!v.ok() || v.status("VALIDSIG").stream().noneMatch(x -> x.contains(gatewayFpr))) {
                    problems.add(c + ": receipt " + name + " does not verify: " + v.stderr());
                }
                int n = audit.find("retention.receipt", "/" + c + "/outbox/" + name).size();
                if (n != 1) {
                    problems.add(c + ": receipt " + name + " audited " + n + " times");
                }
            }
        }
        if (onDisk.isEmpty() || !onDisk.equals(runs)) {
            problems.add(c + ": receipts " + onDisk + " but receipt-issuing shred runs " + runs);
        }
        return onDisk.size();
    }

    private void unfinished(Database db) {
        long n = count(db, "SELECT COUNT(*) FROM upload WHERE state NOT IN ('ACCEPTED', 'REJECTED') AND campaign <> ?",
                "");
        if (n > 0) {
            problems.add(n + " uploads left unfinished");
        }
    }

    private static long count(Database db, String sql, String campaign) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
