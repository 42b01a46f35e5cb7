package fi.callgate.gateway.harness;

import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The client side of {@link LifecycleCrashHarnessTest}: a campaign's whole life driven through the
 * contract's surface with the OpenSSH and GnuPG binaries, while the child may be killed at any moment.
 * Controller uploads a list; the dialer downloads it and uploads results in small files; the supervisor
 * exports (or the export timer does); the controller downloads and decrypts whatever the outbox shows;
 * the supervisor ends the campaign; the controller fetches and verifies the deletion receipt.
 *
 * <p>Every step is retried until it is confirmed (a command's exit 0, a file in an SFTP listing), because
 * a kill makes any single attempt's outcome unknown. What the driver remembers is what a client can know:
 * which results files were acknowledged (sftp exit 0) and which were not, and so may or may not have been
 * processed. A results file is never re-sent: each covers records of its own, so every result row in the
 * exports can be traced to one file.
 */
final class LifecycleDriver {
    static final List<String> OUTCOMES = List.of("order", "address_change", "call_ban", "done", "not_interested",
            "order", "call_ban", "address_change");
    private static final long STEP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(240);

    /** One results row the dialer sent; {@code acked}: its file's upload was acknowledged. */
    record SentResult(String campaign, String file, String recordId, String outcome, boolean acked) {
        String exportKind() {
            return switch (outcome) {
                case "order", "address_change" -> "orders";
                case "call_ban" -> "callbans";
                default -> null;
            };
        }
    }

    final ChildGateway child;
    final GnuPg gpg;
    final String gatewayFpr;
    final Path work;
    final Random rnd;
    final List<String> needles = Collections.synchronizedList(new ArrayList<>());
    final List<SentResult> sent = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Boolean> resultsFiles = new ConcurrentHashMap<>(); // "/C/results/name" -> acked
    final Set<String> ended = ConcurrentHashMap.newKeySet();
    final List<String> liveProblems = Collections.synchronizedList(new ArrayList<>());
    int listUploads;
    int listUploadsNotAcked;
    int exportCommands;
    int timerExportWaits;
    int liveFilesChecked;
    int retries;
    private int person;

    /** {@code gatewayFpr}: the gateway's key, which lists are encrypted to. */
    LifecycleDriver(ChildGateway child, GnuPg gpg, String gatewayFpr, Path work, long seed) {
        this.child = child;
        this.gpg = gpg;
        this.gatewayFpr = gatewayFpr;
        this.work = work;
        this.rnd = new Random(seed);
    }

    /** Accounts and campaigns, before the kills start. */
    static void setUp(ChildGateway child, GnuPg gpg, String fpr, List<String> campaigns) {
        for (String[] a : List.of(new String[] {"ctl", "controller"}, new String[] {"dial", "dialer"},
                new String[] {"sup", "supervisor"})) {
            List<String> args = new ArrayList<>(List.of("account", "add", a[0], "--role", a[1]));
            if (a[1].equals("controller")) {
                args.addAll(List.of("--org", "Acme"));
            }
            child.admin(args.toArray(String[]::new)).assertOk();
            child.ssh("it-admin", child.publicKey(a[0]), "account", "key", a[0]).assertOk();
        }
        String armored = gpg.exportPublicArmored(fpr);
        for (String c : campaigns) {
            child.admin("campaign", "add", c, "--org", "Acme", "--ends", "2099-12-31").assertOk();
            child.ssh("it-admin", armored, "campaign", "pgp-key", c).assertOk();
            child.admin("campaign", "grant", c, "dial").assertOk();
            child.admin("campaign", "grant", c, "sup").assertOk();
        }
    }

    /** The whole life of one campaign; returns once its deletion receipt is in the outbox. */
    void lifecycle(String c) throws IOException {
        Map<String, String> records = uploadListAndDownload(c);
        sendResults(c, new ArrayList<>(records.keySet()));
        export(c);
        checkOutbox(c);
        until(c + ": campaign end", () -> child.ssh("sup", null, "campaign", "end", c), r -> r.exit() == 0);
        ended.add(c);
        until(c + ": deletion receipt", () -> child.sftp("ctl", "ls -1 /" + c + "/outbox\n"),
                r -> r.exit() == 0 && r.out().contains("deletion-receipt-" + c + "-"));
        checkOutbox(c);
    }

    /** Uploads a list (a new one, with new people, after each unacknowledged try); returns record id → phone. */
    private Map<String, String> uploadListAndDownload(String c) throws IOException {
        for (char attempt = 'a'; ; attempt++) {
            awaitUp();
            String name = "list-" + c + "-" + attempt + ".csv.gpg";
            Path plain = gpg.file("list-" + c + "-" + attempt + ".csv", list());
            Path file = gpg.encrypt(plain, gatewayFpr, null, false, -1);
            Files.delete(plain);
            listUploads++;
            if (child.sftp("ctl", "put " + file + " /" + c + "/inbox/" + name + "\n").exit() == 0) {
                break;
            }
            listUploadsNotAcked++;
            if (attempt == 'z') {
                throw new AssertionError(c + ": no list upload was ever acknowledged");
            }
        }
        Proc.Result ls = until(c + ": dialer list published", () -> child.sftp("dial", "ls -1 /" + c + "/lists\n"),
                r -> r.exit() == 0 && r.out().contains(c + "-0"));
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : ls.out().lines().toList()) {
            String name = line.strip().substring(line.strip().lastIndexOf('/') + 1);
            if (!name.matches(c + "-\\d{4}\\.csv")) {
                continue;
            }
            Path local = work.resolve(c + "-" + name);
            until(c + ": download " + name, () -> child.sftp("dial", "get /" + c + "/lists/" + name + " " + local
                    + "\n"), r -> r.exit() == 0);
            List<String> rows = Files.readAllLines(local, StandardCharsets.UTF_8);
            Files.delete(local);
            for (String row : rows.subList(1, rows.size())) {
                String[] cells = row.split(";");
                ids.put(cells[0], cells[1]);
            }
        }
        return ids;
    }

    /** Results in files of two records each; acknowledged or not, a file is never sent again. */
    private void sendResults(String c, List<String> ids) throws IOException {
        int offset = rnd.nextInt(OUTCOMES.size());
        for (int i = 0; i < ids.size(); i += 2) {
            String name = "res-" + c + "-" + (i / 2 + 1) + ".csv";
            StringBuilder csv = new StringBuilder(
                    "record_id;outcome;product;start_date;invoice_due_date;offer_sent;street;postal_code;city;email;phone\n");
            List<String[]> rows = new ArrayList<>();
            for (int j = i; j < Math.min(i + 2, ids.size()); j++) {
                String outcome = OUTCOMES.get((offset + j) % OUTCOMES.size());
                rows.add(new String[] {ids.get(j), outcome});
                csv.append(ids.get(j)).append(';').append(outcome).append(';').append(switch (outcome) {
                    case "order" -> "Sanomalehti 12 kk;2026-03-01;2026-03-15;yes;;;;;";
                    case "address_change" -> newAddress();
                    default -> ";;;;;;;;";
                }).append('\n');
            }
            Path local = Files.writeString(work.resolve(name), csv.toString());
            awaitUp();
            String target = "/" + c + "/results/" + name;
            boolean acked = child.sftp("dial", "put " + local + " " + target + "\n").exit() == 0;
            Files.delete(local);
            resultsFiles.put(target, acked);
            for (String[] r : rows) {
                sent.add(new SentResult(c, target, r[0], r[1], acked));
            }
        }
        // every acknowledged file has its report before anything is exported
        List<String> want = resultsFiles.entrySet().stream().filter(e -> e.getValue() && e.getKey().startsWith("/" + c
                + "/")).map(e -> e.getKey().substring(e.getKey().lastIndexOf('/') + 1) + ".report.csv").toList();
        until(c + ": results reports", () -> child.sftp("dial", "ls -1 /" + c + "/reports\n"),
                r -> r.exit() == 0 && want.stream().allMatch(w -> r.out().contains(w)));
    }

    /** Sometimes lets the export timer go first; always ends with the command finding nothing left. */
    private void export(String c) {
        if (rnd.nextBoolean()) {
            timerExportWaits++;
            sleep(2500);
        }
        until(c + ": export", () -> {
            exportCommands++;
            return child.ssh("sup", null, "campaign", "export", c);
        }, r -> r.exit() == 0 && r.out().contains("nothing to export"));
    }

    /**
     * What the controller's SFTP listing shows, downloaded and opened with gpg: an export must decrypt whole
     * with the gateway's signature, a receipt must verify. A download cut off by a kill proves nothing and is
     * skipped; a completed download of a torn or partial file is a problem.
     */
    private void checkOutbox(String c) throws IOException {
        Proc.Result ls = until(c + ": outbox listing", () -> child.sftp("ctl", "ls -1 /" + c + "/outbox\n"),
                r -> r.exit() == 0);
        Path dir = Files.createDirectories(work.resolve("live-" + c + "-" + System.nanoTime()));
        for (String line : ls.out().lines().toList()) {
            String name = line.strip().substring(line.strip().lastIndexOf('/') + 1);
            if (name.startsWith(".")) {
                liveProblems.add(c + ": hidden file visible to the controller: " + name);
            }
            boolean export = name.matches("(orders|callbans)-" + c + "-\\d{14}\\.csv\\.gpg");
            boolean receipt = name.matches("deletion-receipt-" + c + "-\\d{14}\\.txt\\.asc");
            if (!export && !receipt) {
                continue;
            }
            Path local = dir.resolve(name);
            if (child.sftp("ctl", "get /" + c + "/outbox/" + name + " " + local + "\n").exit() != 0) {
                continue;
            }
            liveFilesChecked++;
            GnuPg.Result r = export ? gpg.decrypt(local) : gpg.verify(local);
            if (!r.ok() || r.status("GOODSIG").isEmpty()) {
                liveProblems.add(c + ": " + name + " as downloaded does not " + (export ? "decrypt" : "verify")
                        + ": " + r.stderr().lines().filter(l -> !l.startsWith("[GNUPG:]")).toList());
            }
            Files.delete(local);
        }
    }

    private byte[] list() {
        StringBuilder sb = new StringBuilder("etunimi;sukunimi;puhelin;sähköposti;lähde\n");
        for (int j = 0; j < 6; j++) {
            int id = 50_000 + (person++);
            String first = "Elsa" + CrashHarnessTest.letters(id);
            String last = "Kiertokoulu" + CrashHarnessTest.letters(id + 11);
            String phone = "040" + (5_000_000 + id);
            String email = "e." + CrashHarnessTest.letters(id) + "@lifecycle.example";
            needles.addAll(List.of(first, last, email, "+35840" + (5_000_000 + id), phone));
            sb.append(first).append(';').append(last).append(';').append(phone).append(';').append(email)
                    .append(";Harness\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String newAddress() {
        int id = 70_000 + (person++);
        String street = "Muuttokatu" + CrashHarnessTest.letters(id);
        String email = "m." + CrashHarnessTest.letters(id) + "@moved.example";
        String phone = "050" + (6_000_000 + id);
        needles.addAll(List.of(street, email, phone, "+35850" + (6_000_000 + id)));
        return ";;;;" + street + " 4;00100;Helsinki;" + email + ";" + phone;
    }

    /** Repeats an operation, waiting for the child between attempts, until it is confirmed. */
    Proc.Result until(String what, Supplier<Proc.Result> op, Predicate<Proc.Result> done) {
        long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
        while (true) {
            awaitUp();
            Proc.Result r = op.get();
            if (done.test(r)) {
                return r;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " never succeeded; last: exit " + r.exit() + " " + r.out() + " "
                        + r.err() + "\nchild log:\n" + child.tail());
            }
            retries++;
            sleep(200);
        }
    }

    private void awaitUp() {
        long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
        while (!child.up()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the child did not come up; log:\n" + child.tail());
            }
            sleep(50);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
