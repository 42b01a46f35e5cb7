package fi.callgate.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code blocklist …} over real ssh: roles, notations, exit codes, JSON, a 100 000-line import, audit without numbers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlocklistCommandsTest {
    @TempDir
    static Path home;
    TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.account("sup", "supervisor", null);
        gw.account("dial", "dialer", null);
    }

    @AfterAll
    void tearDown() {
        gw.close();
    }

    @Test
    void addAndCheckInAnyNotation() {
        Proc.Result add = gw.ssh("sup", "blocklist", "add", "0405550001", "+358-40-555-0002", "'040 555 0003'")
                .assertOk();
        assertThat(add.out()).contains("blocked 3 number(s)");
        assertThat(gw.ssh("sup", "blocklist", "check", "00358405550001").assertOk().out().strip()).isEqualTo("blocked");
        assertThat(gw.ssh("sup", "blocklist", "check", "'+358 40 555 0003'").assertOk().out().strip())
                .isEqualTo("blocked");
        Proc.Result no = gw.ssh("sup", "blocklist", "check", "0405550009");
        assertThat(no.exit()).isZero();
        assertThat(no.out().strip()).isEqualTo("not blocked");
        assertThat(gw.ssh("sup", "blocklist", "check", "0405550002", "--json").assertOk().out())
                .contains("\"blocked\" : true");
        Proc.Result again = gw.ssh("sup", "blocklist", "add", "0405550001", "--json").assertOk();
        assertThat(again.out()).contains("\"added\" : 0", "\"already_blocked\" : 1");

        Proc.Result bad = gw.ssh("sup", "blocklist", "add", "0405550004", "12345");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("number 2").doesNotContain("12345");
        assertThat(gw.ssh("sup", "blocklist", "check", "0405550004").out().strip()).isEqualTo("not blocked");
        assertThat(gw.ssh("sup", "blocklist", "check", "hello").exit()).isEqualTo(2);

        // Nothing in the audit log carries a number, only counts.
        for (AuditEvent.Entry e : gw.callgate().audit().tail(200)) {
            String all = e.event().target() + " " + e.event().detail();
            assertThat(all).doesNotContain("555000").doesNotContain("555 000").doesNotContain("12345");
        }
        assertThat(gw.callgate().audit().find("blocklist.add", "blocklist")).extracting(e -> e.event().detail())
                .contains("added=3 already_blocked=0");
    }

    @Test
    void onlySupervisorsMayUseIt() {
        assertThat(gw.admin("blocklist", "size").exit()).isEqualTo(3);
        assertThat(gw.ssh("dial", "blocklist", "check", "0405550001").exit()).isEqualTo(3);
    }

    @Test
    void importsOneHundredThousandNumbersWithInvalidLinesReported() {
        StringBuilder in = new StringBuilder(1_300_000);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            in.append(String.format("04410%05d", i)).append(i % 2 == 0 ? "\n" : "\r\n");
            if (i == 10) {
                in.append("not a number\n");
            }
            if (i == 500) {
                in.append("\n").append("99\n");
            }
        }
        long before = gw.callgate().blockList().size();
        Proc.Result r = gw.sshIn("sup", in.toString(), "blocklist", "import", "--json").assertOk();
        assertThat(r.out()).contains("\"added\" : " + n, "\"invalid\" : 2", "\"blank\" : 1")
                .containsPattern("\"invalid_lines\" : \\[ 12, 504 \\]");
        assertThat(gw.callgate().blockList().size()).isEqualTo(before + n);
        assertThat(gw.callgate().blockList().storedCount()).isEqualTo(before + n);
        assertThat(gw.ssh("sup", "blocklist", "check", "0441099999").assertOk().out().strip()).isEqualTo("blocked");
        assertThat(gw.callgate().registry().scrape()).contains("callgate_blocklist_numbers " + (before + n) + ".0");

        // Again: nothing new, and the size answers the same after a restart (the store is the truth).
        Proc.Result again = gw.sshIn("sup", "0441000001\n0441000002\n", "blocklist", "import").assertOk();
        assertThat(again.out()).contains("blocked 0 new number(s), 2 already blocked");
        assertThat(gw.callgate().audit().find("blocklist.import", "blocklist")).extracting(e -> e.event().detail())
                .allSatisfy(d -> assertThat(d).doesNotContain("04410"));
    }

    @Test
    void theListSurvivesARestart() throws Exception {
        gw.ssh("sup", "blocklist", "add", "0457770001").assertOk();
        long size = gw.callgate().blockList().size();
        gw.restart();
        assertThat(gw.callgate().blockList().size()).isEqualTo(size);
        assertThat(gw.ssh("sup", "blocklist", "check", "0457770001").assertOk().out().strip()).isEqualTo("blocked");
        assertThat(gw.ssh("sup", "blocklist", "size").assertOk().out()).contains(size + " number(s) blocked");
    }

}
