package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lexical parse of client paths: dot segments never climb above the root, anything odd is no such file. */
class VirtualPathTest {

    static Stream<Arguments> parsesTo() {
        return Stream.of(
                Arguments.of("", "/"),
                Arguments.of("/", "/"),
                Arguments.of(".", "/"),
                Arguments.of("..", "/"),
                Arguments.of("/..", "/"),
                Arguments.of("../../..", "/"),
                Arguments.of("//", "/"),
                Arguments.of("/./.", "/"),
                Arguments.of("/ACME1", "/ACME1"),
                Arguments.of("ACME1", "/ACME1"),
                Arguments.of("//ACME1//", "/ACME1"),
                Arguments.of("/./ACME1/.", "/ACME1"),
                Arguments.of("/ACME1/inbox", "/ACME1/inbox"),
                Arguments.of("/ACME1/inbox/list.csv", "/ACME1/inbox/list.csv"),
                Arguments.of("/ACME1/../BETA1", "/BETA1"),
                Arguments.of("/ACME1/outbox/../../BETA1/outbox/secret.txt", "/BETA1/outbox/secret.txt"),
                Arguments.of("/../../BETA1/outbox", "/BETA1/outbox"),
                Arguments.of("/ACME1/inbox/../../..", "/"),
                Arguments.of("/ACME1/inbox/a/..", "/ACME1/inbox"),
                Arguments.of("/ACME1/inbox/list.csv.filepart", "/ACME1/inbox/list.csv.filepart"),
                Arguments.of("/ACME1/inbox/Meikäläinen lista.csv", "/ACME1/inbox/Meikäläinen lista.csv"),
                // a fullwidth solidus is an ordinary character in a name, never a separator on disk
                Arguments.of("/ACME1/inbox/x\uFF0F..\uFF0Fy.csv", "/ACME1/inbox/x\uFF0F..\uFF0Fy.csv"),
                Arguments.of("/ACME1/inbox/%2e%2e", "/ACME1/inbox/%2e%2e"),
                Arguments.of("/ACME1/inbox/" + "a".repeat(255), "/ACME1/inbox/" + "a".repeat(255)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("parsesTo")
    void parses(String remote, String expected) throws Exception {
        VirtualPath p = VirtualPath.parse(remote);
        assertThat(p.toString()).isEqualTo(expected);
        Path root = Path.of("/srv/callgate/sftp");
        assertThat(p.under(root).normalize()).startsWithRaw(root);
        assertThat(VirtualPath.of(Path.of("/").resolve(p.toString().substring(1)))).isEqualTo(p);
    }

    static Stream<String> rejected() {
        return Stream.of(
                "/etc/passwd",
                "../../../etc/passwd",
                "/../../etc/passwd",
                "/../keys/ssh_host_ed25519_key",
                "/../spool/x.up",
                "/tmp/junit123/data/sftp/BETA1/outbox/secret.txt",
                "/ACME1/inbox/a/b",
                "\\BETA1\\outbox\\secret.txt",
                "/ACME1\\..\\BETA1",
                "/ACME1/inbox/a\\b.csv",
                "/%2e%2e/BETA1",
                "/ACME1/%2e%2e/BETA1/outbox/secret.txt",
                "/ACME1%2F..%2FBETA1",
                "/ACME1\uFF0F..\uFF0FBETA1",
                "/ACME1/\uFF0E\uFF0E/BETA1",
                "/ACME1/\u2024\u2024",
                "/\u2024\u2024/BETA1",
                "/ACME1/inbox/list\u202Evsc.exe",
                "/BETA\u200D1",
                "/ACME1/inbox/a\u200Bb.csv",
                "/ACME1/inbox/a\u2028b.csv",
                "/ACME1/inbox/a\u2029b.csv",
                "/ACME1/inbox/\uFEFFbom.csv",
                "/ACME1/inbox/a\0.csv",
                "/BETA1\0",
                "/ACME1/inbox/evil\r\nname.csv",
                "/ACME1/inbox/tab\tname.csv",
                "/ACME1/inbox/" + "a".repeat(256),
                "/" + "A".repeat(41),
                "/" + "x/".repeat(2100),
                "/ACME1/inbox/.hidden",
                "/ACME1/inbox/..hidden",
                "/ACME1/inbox/..\uFF0F..\uFF0Fx.csv",
                "/ACME1/inbox/c:x.csv",
                "/ACME1/inbox/\uE000private.csv",
                "/ACME1 ",
                "/ ACME1",
                "/-ACME1",
                "/ACME1.",
                "/ACME1/INBOX",
                "/ACME1/Inbox",
                "/ACME1/inbox ",
                "/ACME1/nope",
                "/ACME1/inbox/\uD800.csv");
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("rejected")
    void rejects(String remote) {
        assertThatThrownBy(() -> VirtualPath.parse(remote)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void campaignNamesAreCaseSensitiveAndNotPrefixes() throws Exception {
        // Lexically valid; the view decides. They must stay distinct from ACME1.
        assertThat(VirtualPath.parse("/acme1").campaign()).contains("acme1");
        assertThat(VirtualPath.parse("/ACME1x").campaign()).contains("ACME1x");
        assertThat(VirtualPath.parse("/ACME").campaign()).contains("ACME");
    }

    @Test
    void depthAndParts() throws Exception {
        assertThat(VirtualPath.parse("/").depth()).isZero();
        assertThat(VirtualPath.parse("/ACME1").depth()).isEqualTo(1);
        assertThat(VirtualPath.parse("/ACME1/outbox").depth()).isEqualTo(2);
        VirtualPath f = VirtualPath.parse("/ACME1/outbox/r.txt");
        assertThat(f.depth()).isEqualTo(3);
        assertThat(f.file()).contains("r.txt");
        assertThat(f.under(Path.of("/root"))).isEqualTo(Path.of("/root/ACME1/outbox/r.txt"));
    }

    @Test
    void plainFileNames() {
        assertThat(VirtualPath.isPlainFileName("list.csv")).isTrue();
        assertThat(VirtualPath.isPlainFileName("Meikäläinen.csv")).isTrue();
        for (String bad : new String[] {"", ".", "..", ".x", "a/b", "a\\b", "a:b", "a\0b", "a\nb", "a\u202Eb",
                "a\u200Db", "a\u2028b", "x".repeat(256)}) {
            assertThat(VirtualPath.isPlainFileName(bad)).as(bad).isFalse();
        }
    }
}
