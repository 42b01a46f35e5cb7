package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.CheckFileNameExtension;
import org.apache.sshd.sftp.client.extensions.CopyDataExtension;
import org.apache.sshd.sftp.client.extensions.CopyFileExtension;
import org.apache.sshd.sftp.client.extensions.MD5FileExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONTRACT §2 confinement, driven with MINA's client, which sends every path string exactly as written:
 * a table of escape attempts (dot chains, host paths, separators, encodings, Unicode look-alikes and
 * invisibles, prefix siblings, case, links, renames, copies, hash extensions, mkdir/rmdir, setstat,
 * read-back, overwrite, append), each of which must end in NO_SUCH_FILE or PERMISSION_DENIED, and
 * "exists" must be indistinguishable from "doesn't exist" outside the view.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfinementTest {
    private static final String ACME = "ctl-acme";
    private static final String BETA = "ctl-beta";
    private static final String ADMIN = "it-admin";
    private static final String DIALER = "dialer1";
    private static final byte[] SECRET = "Beta's secret report\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OWN = "Acme's own report\n".getBytes(StandardCharsets.UTF_8);
    private static final Set<Integer> DENIED = Set.of(SftpConstants.SSH_FX_NO_SUCH_FILE,
            SftpConstants.SSH_FX_PERMISSION_DENIED);

    @TempDir
    static Path home;
    static TestGateway gw;
    private final Map<String, MinaSftp> clients = new HashMap<>();

    @FunctionalInterface
    interface Attempt {
        void run(SftpClient c) throws IOException;
    }

    /** One attempt by one person; {@code alsoAllowed} is an extra refusal status MINA itself gives first. */
    record Row(String who, Attempt attempt, Set<Integer> alsoAllowed) {
    }

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.account(ACME, "controller", "Acme");
        gw.account(BETA, "controller", "Beta");
        gw.account(DIALER, "dialer", null);
        gw.admin("campaign", "add", "ACME1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "add", "BETA1", "--org", "Beta", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "grant", "ACME1", DIALER).assertOk();
        Path betaOut = gw.dataDir.resolve("sftp/BETA1/outbox");
        Files.createDirectories(betaOut);
        Files.write(betaOut.resolve("secret.txt"), SECRET);
        Path acmeOut = gw.dataDir.resolve("sftp/ACME1/outbox");
        Files.createDirectories(acmeOut);
        Files.write(acmeOut.resolve("own.txt"), OWN);
    }

    @AfterAll
    void tearDown() {
        clients.values().forEach(MinaSftp::close);
        if (gw != null) {
            gw.close();
        }
    }

    private SftpClient as(String person) {
        MinaSftp c = clients.get(person);
        if (c == null || !c.isOpen()) {
            c = MinaSftp.connect(gw, person);
            clients.put(person, c);
        }
        return c.sftp;
    }

    private static String dataDir() {
        return gw.dataDir.toAbsolutePath().toString();
    }

    // ---- attempt building blocks -------------------------------------------------------------------

    static Attempt stat(String p) {
        return c -> c.stat(p);
    }

    static Attempt lstat(String p) {
        return c -> c.lstat(p);
    }

    static Attempt read(String p) {
        return c -> {
            try (SftpClient.CloseableHandle h = c.open(p, OpenMode.Read)) {
                c.read(h, 0, new byte[1024], 0, 1024);
            }
        };
    }

    static Attempt list(String p) {
        return c -> {
            try (SftpClient.CloseableHandle h = c.openDir(p)) {
                c.readDir(h);
            }
        };
    }

    static Attempt write(String p) {
        return c -> {
            try (SftpClient.CloseableHandle h = c.open(p, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
                c.write(h, 0, "x;y\n".getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    static Stream<Arguments> attempts() {
        List<Arguments> rows = new ArrayList<>();
        // dot-dot chains
        add(rows, "stat /ACME1/../BETA1/outbox/secret.txt", ACME, stat("/ACME1/../BETA1/outbox/secret.txt"));
        add(rows, "read /ACME1/outbox/../../BETA1/outbox/secret.txt", ACME,
                read("/ACME1/outbox/../../BETA1/outbox/secret.txt"));
        add(rows, "read ../../../etc/passwd (relative)", ACME, read("../../../etc/passwd"));
        add(rows, "read /../../etc/passwd", ACME, read("/../../etc/passwd"));
        add(rows, "list /../../etc", ACME, list("/../../etc"));
        add(rows, "list ACME1/../../BETA1/outbox (relative)", ACME, list("ACME1/../../BETA1/outbox"));
        // absolute host paths
        add(rows, "read /etc/passwd", ACME, read("/etc/passwd"));
        add(rows, "list /tmp", ACME, list("/tmp"));
        add(rows, "read <data-dir>/sftp/BETA1/outbox/secret.txt (absolute host path)", ACME,
                c -> read(dataDir() + "/sftp/BETA1/outbox/secret.txt").run(c));
        add(rows, "list <data-dir>/sftp/BETA1/outbox (absolute host path)", ACME,
                c -> list(dataDir() + "/sftp/BETA1/outbox").run(c));
        add(rows, "write <data-dir>/sftp/BETA1/outbox/planted.txt (absolute host path)", ACME,
                c -> write(dataDir() + "/sftp/BETA1/outbox/planted.txt").run(c));
        // doubled and dotted separators
        add(rows, "list //BETA1", ACME, list("//BETA1"));
        add(rows, "read //BETA1//outbox//secret.txt", ACME, read("//BETA1//outbox//secret.txt"));
        add(rows, "list /./BETA1", ACME, list("/./BETA1"));
        add(rows, "stat /./BETA1/./outbox/./secret.txt", ACME, stat("/./BETA1/./outbox/./secret.txt"));
        // backslashes
        add(rows, "read \\BETA1\\outbox\\secret.txt", ACME, read("\\BETA1\\outbox\\secret.txt"));
        add(rows, "list /ACME1\\..\\BETA1", ACME, list("/ACME1\\..\\BETA1"));
        add(rows, "read /ACME1/outbox\\..\\..\\BETA1\\outbox\\secret.txt", ACME,
                read("/ACME1/outbox\\..\\..\\BETA1\\outbox\\secret.txt"));
        // URL encoding
        add(rows, "list /%2e%2e/BETA1", ACME, list("/%2e%2e/BETA1"));
        add(rows, "read /ACME1/%2e%2e/BETA1/outbox/secret.txt", ACME, read("/ACME1/%2e%2e/BETA1/outbox/secret.txt"));
        add(rows, "read /ACME1%2F..%2FBETA1%2Foutbox%2Fsecret.txt", ACME,
                read("/ACME1%2F..%2FBETA1%2Foutbox%2Fsecret.txt"));
        add(rows, "read /%252e%252e/BETA1/outbox/secret.txt (double-encoded)", ACME,
                read("/%252e%252e/BETA1/outbox/secret.txt"));
        // Unicode look-alikes and invisibles
        add(rows, "list /ACME1\uFF0F..\uFF0FBETA1 (fullwidth solidus)", ACME, list("/ACME1\uFF0F..\uFF0FBETA1"));
        add(rows, "read /ACME1/outbox/\uFF0E\uFF0E/\uFF0E\uFF0E/BETA1/outbox/secret.txt (fullwidth dots)", ACME,
                read("/ACME1/outbox/\uFF0E\uFF0E/\uFF0E\uFF0E/BETA1/outbox/secret.txt"));
        add(rows, "list /ACME1/\u2024\u2024/BETA1 (one-dot leaders)", ACME, list("/ACME1/\u2024\u2024/BETA1"));
        add(rows, "list /ACME1/\u2025/BETA1 (two-dot leader)", ACME, list("/ACME1/\u2025/BETA1"));
        add(rows, "write /ACME1/inbox/list\u202Evsc.exe (RTL override)", ACME, write("/ACME1/inbox/list\u202Evsc.exe"));
        add(rows, "list /BETA\u200D1 (zero-width joiner)", ACME, list("/BETA\u200D1"));
        add(rows, "write /ACME1/inbox/a\u200Bb.csv (zero-width space)", ACME, write("/ACME1/inbox/a\u200Bb.csv"));
        add(rows, "write /ACME1/inbox/a\u2028b.csv (line separator)", ACME, write("/ACME1/inbox/a\u2028b.csv"));
        add(rows, "read /ACME1/outbox/own.txt\\0../../BETA1 (NUL byte)", ACME,
                read("/ACME1/outbox/own.txt\0/../../../BETA1/outbox/secret.txt"));
        add(rows, "write /ACME1/inbox/a\\0.csv (NUL byte)", ACME, write("/ACME1/inbox/a\0.csv"));
        add(rows, "read /BETA1/outbox/secret.txt\\0 (NUL suffix)", ACME, read("/BETA1/outbox/secret.txt\0"));
        add(rows, "write /ACME1/inbox/evil\\r\\nname.csv (CR/LF)", ACME, write("/ACME1/inbox/evil\r\nname.csv"));
        add(rows, "write /ACME1/inbox/<300 chars> (overlong name)", ACME, write("/ACME1/inbox/" + "a".repeat(300)));
        add(rows, "stat /<6000 chars> (overlong path)", ACME, stat("/" + "ACME1/".repeat(1000)));
        add(rows, "write /ACME1/inbox/.hidden (dot file)", ACME, write("/ACME1/inbox/.hidden"));
        // prefix siblings and case
        add(rows, "list /ACME1x (prefix sibling)", ACME, list("/ACME1x"));
        add(rows, "list /ACME (prefix)", ACME, list("/ACME"));
        add(rows, "list '/ACME1 ' (trailing space)", ACME, list("/ACME1 "));
        add(rows, "list /acme1 (lower case)", ACME, list("/acme1"));
        add(rows, "list /Acme1 (mixed case)", ACME, list("/Acme1"));
        add(rows, "read /ACME1/OUTBOX/own.txt (area case)", ACME, read("/ACME1/OUTBOX/own.txt"));
        add(rows, "list /ACME1/lists (area of another role)", ACME, list("/ACME1/lists"));
        // the appliance's own directories
        add(rows, "list /../spool", ACME, list("/../spool"));
        add(rows, "list /../db", ACME, list("/../db"));
        add(rows, "read /../keys/ssh_host_ed25519_key", ACME, read("/../keys/ssh_host_ed25519_key"));
        add(rows, "read ../../keys/ssh_host_ed25519_key (relative)", ACME, read("../../keys/ssh_host_ed25519_key"));
        // links
        add(rows, "symlink /ACME1/inbox/l -> /BETA1/outbox/secret.txt", ACME,
                c -> c.symLink("/ACME1/inbox/l", "/BETA1/outbox/secret.txt"));
        add(rows, "symlink /ACME1/inbox/l2 -> /ACME1/outbox/own.txt", ACME,
                c -> c.symLink("/ACME1/inbox/l2", "/ACME1/outbox/own.txt"));
        add(rows, "symlink /ACME1/inbox/l3 -> /etc/passwd", ACME, c -> c.symLink("/ACME1/inbox/l3", "/etc/passwd"));
        add(rows, "hardlink /ACME1/inbox/h -> /ACME1/outbox/own.txt", ACME,
                c -> c.link("/ACME1/inbox/h", "/ACME1/outbox/own.txt", false));
        add(rows, "hardlink /ACME1/inbox/h2 -> /BETA1/outbox/secret.txt", ACME,
                c -> c.link("/ACME1/inbox/h2", "/BETA1/outbox/secret.txt", false));
        add(rows, "readlink /ACME1/outbox/own.txt", ACME, c -> c.readLink("/ACME1/outbox/own.txt"));
        // renames
        add(rows, "rename /ACME1/outbox/own.txt -> /ACME1/inbox/own.txt", ACME,
                c -> c.rename("/ACME1/outbox/own.txt", "/ACME1/inbox/own.txt"));
        add(rows, "rename /ACME1/outbox/own.txt -> /BETA1/outbox/own.txt", ACME,
                c -> c.rename("/ACME1/outbox/own.txt", "/BETA1/outbox/own.txt"));
        add(rows, "rename /BETA1/outbox/secret.txt -> /ACME1/outbox/stolen.txt", ACME,
                c -> c.rename("/BETA1/outbox/secret.txt", "/ACME1/outbox/stolen.txt"));
        add(rows, "rename /ACME1/outbox/own.txt -> /ACME1/outbox/renamed.txt", ACME,
                c -> c.rename("/ACME1/outbox/own.txt", "/ACME1/outbox/renamed.txt"));
        // copy and hash extensions
        add(rows, "copy-file /BETA1/outbox/secret.txt -> /ACME1/inbox/stolen.txt", ACME,
                c -> c.getExtension(CopyFileExtension.class)
                        .copyFile("/BETA1/outbox/secret.txt", "/ACME1/inbox/stolen.txt", false));
        add(rows, "copy-file /ACME1/outbox/own.txt -> /ACME1/inbox/copy.txt", ACME,
                c -> c.getExtension(CopyFileExtension.class)
                        .copyFile("/ACME1/outbox/own.txt", "/ACME1/inbox/copy.txt", false));
        add(rows, "copy-data outbox handle -> inbox handle", ACME, c -> {
            try (SftpClient.CloseableHandle in = c.open("/ACME1/outbox/own.txt", OpenMode.Read);
                 SftpClient.CloseableHandle out = c.open("/ACME1/inbox/copy-data.txt", OpenMode.Write,
                         OpenMode.Create, OpenMode.Exclusive)) {
                c.getExtension(CopyDataExtension.class).copyData(in, 0, 0, out, 0);
            }
        });
        add(rows, "md5-hash /ACME1/outbox/own.txt", ACME,
                c -> c.getExtension(MD5FileExtension.class).getHash("/ACME1/outbox/own.txt", 0, 0, new byte[0]));
        add(rows, "md5-hash /BETA1/outbox/secret.txt", ACME,
                c -> c.getExtension(MD5FileExtension.class).getHash("/BETA1/outbox/secret.txt", 0, 0, new byte[0]));
        add(rows, "check-file /ACME1/outbox/own.txt", ACME,
                c -> c.getExtension(CheckFileNameExtension.class)
                        .checkFileName("/ACME1/outbox/own.txt", List.of("sha256", "md5"), 0, 0, 0));
        // mkdir, rmdir, remove, setstat
        add(rows, "mkdir /ACME1/inbox/sub", ACME, c -> c.mkdir("/ACME1/inbox/sub"));
        add(rows, "mkdir /ACME1/outbox/sub", ACME, c -> c.mkdir("/ACME1/outbox/sub"));
        add(rows, "mkdir /ACME1/lists", ACME, c -> c.mkdir("/ACME1/lists"));
        add(rows, "mkdir /NEW1", ACME, c -> c.mkdir("/NEW1"));
        add(rows, "mkdir /BETA1/outbox/sub", ACME, c -> c.mkdir("/BETA1/outbox/sub"));
        add(rows, "rmdir /ACME1/inbox", ACME, c -> c.rmdir("/ACME1/inbox"));
        add(rows, "rmdir /ACME1", ACME, c -> c.rmdir("/ACME1"));
        add(rows, "rmdir /", ACME, c -> c.rmdir("/"));
        add(rows, "remove /BETA1/outbox/secret.txt", ACME, c -> c.remove("/BETA1/outbox/secret.txt"));
        // MINA answers "is a directory" for its own folder before asking the accessor: still a refusal,
        // and it tells nothing that the listing of /ACME1 does not.
        add(rows, "remove /ACME1/inbox (a folder)", ACME, c -> c.remove("/ACME1/inbox"),
                SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY);
        add(rows, "setstat /BETA1/outbox/secret.txt", ACME,
                c -> c.setStat("/BETA1/outbox/secret.txt", new SftpClient.Attributes().perms(0777)));
        // the write-only and create-only rules
        add(rows, "read back own inbox upload while it is being written", ACME, c -> {
            try (SftpClient.CloseableHandle w = c.open("/ACME1/inbox/readback.csv", OpenMode.Write, OpenMode.Create,
                    OpenMode.Exclusive)) {
                c.write(w, 0, "a;b\n".getBytes(StandardCharsets.UTF_8));
                read("/ACME1/inbox/readback.csv").run(c);
            }
        });
        add(rows, "read /ACME1/inbox/anything", ACME, read("/ACME1/inbox/anything.csv"));
        add(rows, "overwrite /ACME1/outbox/own.txt", ACME, c -> {
            try (SftpClient.CloseableHandle h = c.open("/ACME1/outbox/own.txt", OpenMode.Write, OpenMode.Truncate)) {
                c.write(h, 0, "overwritten".getBytes(StandardCharsets.UTF_8));
            }
        });
        add(rows, "create /ACME1/outbox/new.txt", ACME, write("/ACME1/outbox/new.txt"));
        add(rows, "open /ACME1/inbox/append.csv for append", ACME, c -> {
            try (SftpClient.CloseableHandle h = c.open("/ACME1/inbox/append.csv", OpenMode.Write, OpenMode.Append,
                    OpenMode.Create)) {
                c.write(h, 0, "x".getBytes(StandardCharsets.UTF_8));
            }
        });
        add(rows, "open /ACME1/inbox (a folder) as a file", ACME, read("/ACME1/inbox"));
        add(rows, "lstat /BETA1", ACME, lstat("/BETA1"));
        add(rows, "realpath /BETA1/outbox", ACME, c -> c.canonicalPath("/BETA1/outbox"));
        // the other organisation, the admin and the dialer
        add(rows, "Beta: read /ACME1/outbox/own.txt", BETA, read("/ACME1/outbox/own.txt"));
        add(rows, "Beta: list /ACME1", BETA, list("/ACME1"));
        add(rows, "Beta: read /BETA1/../ACME1/outbox/own.txt", BETA, read("/BETA1/../ACME1/outbox/own.txt"));
        add(rows, "Beta: write /ACME1/inbox/x.csv", BETA, write("/ACME1/inbox/x.csv"));
        add(rows, "admin: write /ACME1/inbox/x", ADMIN, write("/ACME1/inbox/x"));
        add(rows, "admin: read /ACME1/inbox/x", ADMIN, read("/ACME1/inbox/x"));
        add(rows, "admin: list /ACME1", ADMIN, list("/ACME1"));
        add(rows, "dialer: write /ACME1/lists/x.csv", DIALER, write("/ACME1/lists/x.csv"));
        add(rows, "dialer: read /ACME1/results/r.csv", DIALER, read("/ACME1/results/r.csv"));
        add(rows, "dialer: list /ACME1/inbox", DIALER, list("/ACME1/inbox"));
        add(rows, "dialer: list /BETA1", DIALER, list("/BETA1"));
        return rows.stream();
    }

    private static void add(List<Arguments> rows, String name, String who, Attempt attempt) {
        rows.add(Arguments.of(Named.of(name, new Row(who, attempt, Set.of()))));
    }

    private static void add(List<Arguments> rows, String name, String who, Attempt attempt, int alsoAllowed) {
        rows.add(Arguments.of(Named.of(name, new Row(who, attempt, Set.of(alsoAllowed)))));
    }

    @Test
    @Order(1)
    void theTableHasAtLeast35Attempts() {
        List<String> names = attempts().map(a -> ((Named<?>) a.get()[0]).getName()).toList();
        System.out.println("ConfinementTest: " + names.size() + " denied attempts");
        for (int i = 0; i < names.size(); i++) {
            System.out.println("  " + (i + 1) + ". " + names.get(i).replace("\0", "\\0").replace("\r", "\\r")
                    .replace("\n", "\\n"));
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(35).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("attempts")
    @Order(2)
    void isDenied(Row row) {
        SftpException e = catchThrowableOfType(() -> row.attempt().run(as(row.who())), SftpException.class);
        assertThat(e).as("the attempt must fail with an SFTP status").isNotNull();
        assertThat(e.getStatus()).as("status of %s", e.getMessage())
                .isIn(Stream.concat(DENIED.stream(), row.alsoAllowed().stream()).toList());
    }

    @Test
    @Order(3)
    void outsideTheViewExistsAndDoesNotExistLookTheSame() {
        SftpClient c = as(ACME);
        for (String[] pair : List.of(
                new String[] {"/BETA1/outbox/secret.txt", "/BETA1/outbox/nothing.txt"},
                new String[] {"/BETA1", "/NOPE1"},
                new String[] {"/BETA1/outbox", "/NOPE1/outbox"},
                new String[] {"/ACME1/../BETA1/outbox/secret.txt", "/ACME1/../BETA1/outbox/nothing.txt"},
                new String[] {dataDir() + "/sftp/BETA1/outbox/secret.txt",
                        dataDir() + "/sftp/BETA1/outbox/nothing.txt"})) {
            for (var f : List.<java.util.function.Function<String, Attempt>>of(ConfinementTest::stat,
                    ConfinementTest::lstat, ConfinementTest::read, ConfinementTest::list, ConfinementTest::write)) {
                int exists = status(c, f.apply(pair[0]));
                int absent = status(c, f.apply(pair[1]));
                assertThat(exists).as("%s vs %s", pair[0], pair[1]).isEqualTo(absent).isIn(DENIED);
            }
        }
    }

    private static int status(SftpClient c, Attempt a) {
        SftpException e = catchThrowableOfType(() -> a.run(c), SftpException.class);
        assertThat(e).isNotNull();
        return e.getStatus();
    }

    @Test
    @Order(4)
    void realpathOfDotDotStaysAtTheRoot() throws IOException {
        SftpClient c = as(ACME);
        assertThat(c.canonicalPath("..")).isEqualTo("/");
        assertThat(c.canonicalPath("/..")).isEqualTo("/");
        assertThat(c.canonicalPath("/../../..")).isEqualTo("/");
        assertThat(c.canonicalPath("/ACME1/../..")).isEqualTo("/");
        assertThat(c.canonicalPath(".")).isEqualTo("/");
    }

    @Test
    @Order(5)
    void rootListingsShowOnlyTheOwnCampaign() throws IOException {
        assertThat(names(as(ACME), "/")).containsExactly("ACME1");
        assertThat(names(as(ACME), "/ACME1")).containsExactlyInAnyOrder("inbox", "outbox");
        assertThat(names(as(ACME), "/ACME1/outbox")).contains("own.txt");
        assertThat(names(as(BETA), "/")).containsExactly("BETA1");
        assertThat(names(as(ADMIN), "/")).isEmpty();
        assertThat(names(as(DIALER), "/")).containsExactly("ACME1");
        assertThat(names(as(DIALER), "/ACME1")).containsExactlyInAnyOrder("lists", "results", "reports");
    }

    private static List<String> names(SftpClient c, String dir) throws IOException {
        return StreamSupport.stream(c.readDir(dir).spliterator(), false).map(SftpClient.DirEntry::getFilename)
                .filter(n -> !n.equals(".") && !n.equals("..")).collect(Collectors.toList());
    }

    @Test
    @Order(6)
    void nothingWasChangedOrLeftBehindByTheAttempts() throws IOException {
        assertThat(Files.readAllBytes(gw.dataDir.resolve("sftp/BETA1/outbox/secret.txt"))).isEqualTo(SECRET);
        assertThat(Files.readAllBytes(gw.dataDir.resolve("sftp/ACME1/outbox/own.txt"))).isEqualTo(OWN);
        try (Stream<Path> all = Files.walk(gw.dataDir.resolve("sftp"))) {
            assertThat(all.filter(Files::isRegularFile).map(p -> gw.dataDir.resolve("sftp").relativize(p).toString()))
                    .containsExactlyInAnyOrder("BETA1/outbox/secret.txt", "ACME1/outbox/own.txt");
        }
        try (Stream<Path> all = Files.walk(gw.dataDir.resolve("sftp"))) {
            assertThat(all.filter(Files::isSymbolicLink)).isEmpty();
        }
        assertThat(gw.callgate().audit().find("sftp.", null))
                .anySatisfy(e -> assertThat(e.event().outcome().name()).isEqualTo("DENIED"));
    }
}
