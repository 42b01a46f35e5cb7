package fi.callgate.gateway.flow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of bad uploads: each one is refused with a clear reason in the controller's report, nothing
 * of it is stored, the upload is destroyed, and the gateway goes on serving (checked after each case).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    static final String HEADER = "first_name;last_name;phone;source\n";
    static final String GOOD = HEADER + "Matti;Meikäläinen;0401234567;Messut\n";
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    GnuPg stranger;
    GnuPg lookalike;
    String lookalikeFpr;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home, Map.of("CALLGATE_INTAKE_MAX_PLAINTEXT_BYTES", "20000000"));
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "add", "SIGNED", "--org", "Acme", "--ends", "2099-12-31", "--require-signature")
                .assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        acme.keyFor("C1");
        acme.keyFor("SIGNED");
        stranger = GnuPg.newHome();
        stranger.genKey("Stranger <x@stranger.example>", "ed25519");
        lookalike = GnuPg.newHome();
        lookalikeFpr = lookalike.genKey("Acme Lists <lists@acme.example>", "ed25519");
        lookalike.importKey(gw.admin("gateway", "pgp-key").assertOk().out());
    }

    @AfterAll
    void tearDown() {
        acme.close();
        stranger.close();
        lookalike.close();
        gw.close();
    }

    record Case(String name, String campaign, Function<BadInputTest, Path> file, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                c("plaintext CSV", "C1", t -> t.plain(GOOD), "NOT_OPENPGP"),
                c("empty file", "C1", t -> t.plain(""), "NOT_OPENPGP"),
                c("encrypted to another key", "C1", t -> t.toStranger(), "WRONG_RECIPIENT"),
                c("no integrity protection (MDC)", "C1", t -> t.enc(GOOD, false, 0, "--rfc2440", "--cipher-algo", "AES256"),
                        "NO_INTEGRITY_PROTECTION"),
                c("flipped bytes", "C1", t -> t.flip(t.enc(GOOD + GOOD.repeat(50), false, 0)), "TAMPERED"),
                c("truncated", "C1", t -> t.truncate(t.enc(GOOD.repeat(200), false, 0)), "TRUNCATED"),
                c("unsigned where required", "SIGNED", t -> t.enc(GOOD, false, -1), "SIGNATURE_MISSING"),
                c("signed by a look-alike key", "SIGNED", t -> t.lookalikeSigned(GOOD), "WRONG_SIGNER"),
                c("zip bomb", "C1", t -> t.enc(t.zeros(30_000_000), false, 9), "TOO_LARGE|COMPRESSION_RATIO"),
                c("encrypted empty file", "C1", t -> t.enc("", false, -1), "EMPTY_FILE"),
                c("header only", "C1", t -> t.enc(HEADER, false, -1), "NO_DATA_ROWS"),
                c("no source column", "C1", t -> t.enc("first_name;last_name;phone\nMatti;M;0401234567\n", false, -1),
                        "MISSING_COLUMN"),
                c("special category column in Finnish", "C1",
                        t -> t.enc("etunimi;sukunimi;puhelin;lähde;terveydentila\nM;M;0401234567;x;hyvä\n", false, -1),
                        "SPECIAL_CATEGORY_COLUMN"),
                c("special category column in English", "C1",
                        t -> t.enc("first_name;last_name;phone;source;religion\nM;M;0401234567;x;y\n", false, -1),
                        "SPECIAL_CATEGORY_COLUMN"),
                c("personal identity code in a notes column", "C1",
                        t -> t.enc(HEADER.strip() + ";notes\nM;M;0401234567;x;id 131052-308T\n", false, -1),
                        "PERSONAL_ID_FOUND"),
                c("invalid UTF-8", "C1", t -> t.encBytes(t.invalidUtf8()), "ENCODING"),
                c("a 10 MB single line", "C1", t -> t.enc(HEADER + "x".repeat(10_000_000) + "\n", false, 0),
                        "ROW_TOO_LONG|FIELD_TOO_LONG"),
                c("100 000 columns", "C1", t -> t.enc("c;".repeat(100_000) + "\n", false, 9), "TOO_MANY_COLUMNS"))
                .map(Arguments::of);
    }

    static Case c(String name, String campaign, Function<BadInputTest, Path> file, String reason) {
        return new Case(name, campaign, file, reason);
    }

    int n;

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAClearReasonAndLeavesNothing(Case c) throws Exception {
        String name = "bad-" + (++n) + "-" + c.name().replaceAll("[^a-z0-9]+", "-") + ".gpg";
        long before = gw.callgate().records().count(c.campaign());
        AuditEvent.Entry done = acme.upload(c.campaign(), c.file().apply(this), name);
        assertThat(done.event().outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
        assertThat(done.event().detail()).containsPattern("reason=(" + c.reason() + ")");
        String report = acme.report(c.campaign(), name);
        assertThat(report).containsPattern(";file_rejected;\"?(" + c.reason() + "):")
                .contains("nothing from this file was stored");
        assertThat(gw.callgate().records().count(c.campaign())).isEqualTo(before);
        assertThat(Controller.spoolEmpty(gw.dataDir)).isTrue();
    }

    @AfterEach
    void stillServing() {
        String name = "good-after-" + n + ".gpg";
        assertThat(acme.upload("C1", enc(GOOD.replace("0401234567", "04012345" + (10 + n)), false, -1), name)
                .event().outcome()).isEqualTo(AuditEvent.Outcome.OK);
    }

    Path plain(String text) {
        return acme.gpg.file("plain-" + System.nanoTime() + ".csv", text.getBytes(StandardCharsets.UTF_8));
    }

    Path enc(String text, boolean sign, int z, String... extra) {
        return acme.encrypt("l-" + System.nanoTime() + ".csv", text.getBytes(StandardCharsets.UTF_8), sign, false, z, extra);
    }

    Path encBytes(byte[] bytes) {
        return acme.encrypt("b-" + System.nanoTime() + ".csv", bytes, false, false, -1);
    }

    Path toStranger() {
        Path in = stranger.file("s.csv", GOOD.getBytes(StandardCharsets.UTF_8));
        return stranger.encrypt(in, "x@stranger.example", null, false, -1);
    }

    Path lookalikeSigned(String text) {
        Path in = lookalike.file("la.csv", text.getBytes(StandardCharsets.UTF_8));
        return lookalike.encrypt(in, acme.gatewayFingerprint, lookalikeFpr, false, -1);
    }

    String zeros(int n) {
        return HEADER + "0".repeat(n);
    }

    byte[] invalidUtf8() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(HEADER.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {'M', (byte) 0x81, (byte) 0x8D, ';', 'M', ';', '0', '4', '0', '1', '2', '3', '4', '5',
            '6', '7', ';', 'x', '\n'});
        return b.toByteArray();
    }

    Path flip(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            b[b.length / 2] ^= 0x20;
            return Files.write(f.resolveSibling("flipped-" + System.nanoTime()), b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Path truncate(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            return Files.write(f.resolveSibling("trunc-" + System.nanoTime()), java.util.Arrays.copyOf(b, b.length * 2 / 3));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
