package fi.callgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rests under data-dir after real use: no password, no plaintext upload, no private key other than
 * the host key and the gateway key (both 600), the master key elsewhere; and the audit chain verifies
 * over SSH until a row is edited in the database.
 */
class DataAtRestTest {
    @TempDir
    Path home;

    @Test
    void nothingSecretOrPersonalRestsInPlaintext() throws Exception {
        String password = "correct-horse-battery-staple-42";
        String marker = "Marjatta Virtanen-Uniquename;0401234567;marjatta.unique@example.fi";
        try (TestGateway gw = TestGateway.start(home)) {
            gw.account("ctl", "controller", "Acme");
            gw.account("sup", "supervisor", null);
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-01-01").assertOk();
            gw.sshIn("it-admin", password, "account", "password", "sup").assertOk();
            gw.file("plain.csv", "first_name;last_name;phone;email\n" + marker + "\n");
            gw.sftp("ctl", "put plain.csv /C1/inbox/plain.csv\n").assertOk();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(home.resolve("data"))) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).isNotEmpty();
        List<String> secrets = new ArrayList<>(List.of(password, "Uniquename", "marjatta.unique", "0401234567",
                Files.readString(home.resolve("secrets/master.key")).strip()));
        for (String person : List.of("it-admin", "ctl", "sup")) {
            secrets.add(privateKeyBody(home.resolve("people").resolve(person)));
        }
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String s : secrets) {
                assertThat(text).as(f + " must not contain a secret").doesNotContain(s);
                assertThat(new String(bytes, StandardCharsets.UTF_8)).as(f.toString()).doesNotContain(s);
            }
            String name = f.getFileName().toString();
            boolean keyFile = name.equals("ssh_host_ed25519_key") || name.equals("gateway-pgp.sec.asc")
                    || name.equals("push_ed25519"); // Callgate's key for pushing lists to a dialer (DialerPush)
            if (!keyFile) {
                assertThat(text).as(f + " holds no private key").doesNotContain("PRIVATE KEY");
            } else {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().equals("ssh_host_ed25519_key"));
        assertThat(files).anyMatch(f -> f.getFileName().toString().equals("gateway-pgp.sec.asc"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("secrets/master.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void auditVerifyPassesAndThenCatchesAnEditedRow() throws Exception {
        try (TestGateway gw = TestGateway.start(home)) {
            gw.account("ctl", "controller", "Acme");
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-01-01").assertOk();
            gw.sftp("ctl", "ls /\n").assertOk();
            Proc.Result ok = gw.admin("audit", "verify").assertOk();
            assertThat(ok.out()).contains("chain intact");
            assertThat(gw.admin("audit", "tail", "5").assertOk().out()).contains("command");
            try (var c = gw.callgate().database().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
            }
            Proc.Result broken = gw.admin("audit", "verify");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.err()).contains("FAILED").contains("entry 3");
        }
    }

    /** The base64 body of an OpenSSH private key file, which must appear nowhere in the gateway's files. */
    private static String privateKeyBody(Path key) throws Exception {
        List<String> lines = Files.readAllLines(key);
        return lines.get(2).strip();
    }
}
