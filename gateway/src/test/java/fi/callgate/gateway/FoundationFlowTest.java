package fi.callgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation end to end with the OpenSSH binaries: the bootstrap admin sets up people and campaigns
 * of two organisations, each role sees exactly its folders, and the commands answer as CONTRACT §3 says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FoundationFlowTest {
    @TempDir
    static Path home;
    TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.account("ctl-acme", "controller", "Acme");
        gw.account("ctl-beta", "controller", "Beta");
        gw.account("dialer1", "dialer", null);
        gw.account("sup1", "supervisor", null);
        gw.admin("campaign", "add", "ACME1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "add", "BETA1", "--org", "Beta", "--ends", "2099-12-31",
                "--dialer-fields", "first_name,city").assertOk();
        gw.admin("campaign", "grant", "ACME1", "dialer1").assertOk();
        gw.admin("campaign", "grant", "ACME1", "sup1").assertOk();
    }

    @AfterAll
    void tearDown() {
        gw.close();
    }

    @Test
    void controllerUploadsToItsInboxAndCannotReadItBack() {
        gw.file("list.csv", "first_name;last_name;phone;source\nMatti;Meikäläinen;0401234567;test\n");
        Proc.Result put = gw.sftp("ctl-acme", "put list.csv /ACME1/inbox/list.csv\n");
        put.assertOk();
        Proc.Result back = gw.sftp("ctl-acme", "get /ACME1/inbox/list.csv back.csv\n");
        assertThat(back.exit()).isNotZero();
        Proc.Result ls = gw.sftp("ctl-acme", "ls /ACME1/inbox\n");
        assertThat(ls.out()).doesNotContain("list.csv");
        assertThat(gw.callgate().audit().find("upload.received", "/ACME1/inbox/list.csv")).hasSize(1);
    }

    @Test
    void eachRoleSeesExactlyItsFolders() {
        assertThat(gw.sftp("ctl-acme", "ls /\nls /ACME1\n").assertOk().out())
                .contains("ACME1").doesNotContain("BETA1").contains("inbox").contains("outbox")
                .doesNotContain("lists");
        assertThat(gw.sftp("ctl-beta", "ls /\n").assertOk().out()).contains("BETA1").doesNotContain("ACME1");
        assertThat(gw.sftp("dialer1", "ls /\nls /ACME1\n").assertOk().out())
                .contains("lists").contains("results").contains("reports").doesNotContain("inbox")
                .doesNotContain("BETA1");
        assertThat(gw.sftp("sup1", "ls /ACME1\n").assertOk().out()).contains("lists");
        assertThat(gw.sftp("it-admin", "ls /\n").assertOk().out()).doesNotContain("ACME1").doesNotContain("BETA1");
    }

    @Test
    void dialerCannotWriteListsNorReadResults() {
        gw.file("r.csv", "record_id;outcome\n");
        assertThat(gw.sftp("dialer1", "put r.csv /ACME1/lists/r.csv\n").exit()).isNotZero();
        assertThat(gw.sftp("dialer1", "put r.csv /ACME1/results/r.csv\n").exit()).isZero();
        assertThat(gw.sftp("dialer1", "get /ACME1/results/r.csv got.csv\n").exit()).isNotZero();
        assertThat(gw.sftp("dialer1", "put r.csv /ACME1/inbox/r.csv\n").exit()).isNotZero();
    }

    @Test
    void commandsAnswerWithJsonExitCodesAndRoleChecks() throws Exception {
        Proc.Result list = gw.admin("account", "list", "--json").assertOk();
        JsonNode accounts = new ObjectMapper().readTree(list.out());
        assertThat(accounts.findValuesAsText("name")).contains("it-admin", "ctl-acme", "dialer1", "sup1");

        JsonNode show = new ObjectMapper().readTree(gw.admin("campaign", "show", "BETA1", "--json").assertOk().out());
        assertThat(show.get("dialer_fields").toString()).contains("first_name", "city");

        Proc.Result denied = gw.ssh("ctl-acme", "account", "list");
        assertThat(denied.exit()).isEqualTo(3);
        assertThat(denied.err()).contains("no commands");

        Proc.Result supDenied = gw.ssh("sup1", "account", "add", "x", "--role", "admin");
        assertThat(supDenied.exit()).isEqualTo(3);

        assertThat(gw.ssh("sup1", "campaign", "list").assertOk().out()).contains("ACME1").doesNotContain("BETA1");
        assertThat(gw.ssh("sup1", "campaign", "show", "BETA1").exit()).isEqualTo(4);

        Proc.Result bad = gw.admin("campaign", "add", "X1", "--org", "Acme", "--ends", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().lines().count()).isEqualTo(1);
        assertThat(bad.err()).contains("--ends");

        assertThat(gw.admin("campaign", "add", "X2", "--org", "Acme", "--ends", "2099-01-01", "--retention-days",
                "200").exit()).isEqualTo(2);
        assertThat(gw.admin("no-such-command").exit()).isEqualTo(64);
        assertThat(gw.admin("help").assertOk().out()).contains("account add", "audit tail");
        assertThat(gw.admin("gateway", "pgp-key").assertOk().out()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(gw.callgate().audit().find("command", null)).isNotEmpty();
    }

    @Test
    void shellPortForwardingAndScpAreRefused() {
        // No command at all asks for a shell.
        Proc.Result shell = gw.sshWith("it-admin", java.util.List.of("-T"), "");
        assertThat(shell.exit()).isNotZero();
        Proc.Result remote = gw.sshWith("it-admin", java.util.List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R",
                "0:127.0.0.1:9"), null);
        assertThat(remote.exit()).isNotZero();
        Proc.Result stdio = gw.sshWith("it-admin", java.util.List.of("-W", "127.0.0.1:" + gw.port()), "");
        assertThat(stdio.exit()).isNotZero();
        Path f = gw.file("scp.txt", "x");
        var cmd = new java.util.ArrayList<>(java.util.List.of("scp", "-O", "-P", String.valueOf(gw.port())));
        cmd.addAll(gw.clientOptions("ctl-acme"));
        cmd.addAll(java.util.List.of(f.toString(), "ctl-acme@127.0.0.1:/ACME1/inbox/scp.txt"));
        assertThat(Proc.run(home, null, cmd).exit()).isNotZero();
    }
}
