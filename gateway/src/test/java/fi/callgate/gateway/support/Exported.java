package fi.callgate.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Drives a campaign to one export file, for tests of what happens to exports (push, faults). */
public final class Exported {
    private Exported() {
    }

    /**
     * The controller uploads a one-person list, the dialer ({@code dial}) fetches it and reports a call ban
     * on that person, and the supervisor ({@code sup}) runs {@code campaign export}: one callbans export.
     *
     * @return the exported file's name in the campaign's outbox
     */
    public static String oneCallBan(TestGateway gw, Controller controller, Path work, String campaign, String phone)
            throws Exception {
        controller.upload(campaign, controller.encrypt("l.csv", Controller.utf8("first_name;last_name;phone;source\n"
                + "Aino;Aalto;" + phone + ";Messut\n"), true, false, -1), "l.csv.gpg");
        Path list = work.resolve(campaign + "-list.csv");
        gw.sftp("dial", "get /" + campaign + "/lists/" + campaign + "-0001.csv " + list + "\n").assertOk();
        String recordId = Files.readAllLines(list, StandardCharsets.UTF_8).get(1).split(";")[0];
        Path results = work.resolve(campaign + "-results.csv");
        Files.writeString(results, "record_id;outcome\n" + recordId + ";call_ban\n");
        String target = "/" + campaign + "/results/r.csv";
        gw.sftp("dial", "put " + results + " " + target + "\n").assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !gw.callgate().audit().find("results.processed", target).isEmpty());
        String out = gw.ssh("sup", "campaign", "export", campaign).assertOk().out().strip();
        assertThat(out.lines().toList()).hasSize(1);
        return out.substring(out.lastIndexOf('/') + 1);
    }
}
