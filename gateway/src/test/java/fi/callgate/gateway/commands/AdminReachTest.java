package fi.callgate.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT §2 gives IT (admin) the running of the gateway, not a client's personal data: {@code campaign
 * end} (which shreds a campaign) and {@code campaign export} (which sends its people's data out) are the
 * campaign's supervisors' alone. {@code retention status} stays open to admins, who answer the deletion-SLA
 * alert. Driven over real ssh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminReachTest {
    @TempDir
    static Path home;
    TestGateway gw;

    @BeforeAll
    void setUp() throws Exception {
        gw = TestGateway.start(home);
        gw.admin("campaign", "add", "A1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.account("sup", "supervisor", null);
        gw.account("other-sup", "supervisor", null);
        gw.admin("campaign", "grant", "A1", "sup").assertOk();
    }

    @AfterAll
    void tearDown() {
        gw.close();
    }

    @Test
    void adminsMayNeitherEndNorExportACampaign() {
        for (List<String> command : List.of(List.of("campaign", "end", "A1"), List.of("campaign", "export", "A1"))) {
            Proc.Result r = gw.admin(command.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", command)).isEqualTo(3);
            assertThat(r.err()).contains("not available to the admin role");
            List<AuditEvent.Entry> audited = gw.callgate().audit()
                    .find("command", String.join(" ", command.subList(0, 2)));
            assertThat(audited).as("audited as denied").isNotEmpty();
            assertThat(audited.get(audited.size() - 1).event().outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(audited.get(audited.size() - 1).event().actor()).isEqualTo("it-admin");
        }
        assertThat(gw.admin("campaign", "show", "A1").assertOk().out()).doesNotContain("ended");
    }

    @Test
    void aSupervisorOfTheCampaignMayAndOneOfAnotherMayNot() {
        assertThat(gw.ssh("other-sup", "campaign", "export", "A1").exit()).isEqualTo(4);
        assertThat(gw.ssh("sup", "campaign", "export", "A1").assertOk().out()).contains("nothing to export");
    }

    @Test
    void adminsStillSeeRetentionStatus() {
        gw.admin("retention", "status").assertOk();
    }
}
