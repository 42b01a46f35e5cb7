package fi.callgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.Proc;
import fi.callgate.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management listener of a running gateway, after an end-to-end flow (a controller's list accepted
 * and its report fetched, a failed login): {@code /metrics} scraped with curl and Java's client, every
 * CONTRACT §5 meter that exists on this branch with a plausible value, promtool's lint passing on the
 * scrape; {@code /health} up and down for real; nothing else served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementEndpointTest {
    static final String LIST = """
            etunimi;sukunimi;puhelin;lähde
            Matti;Meikäläinen;040 123 4567;Asiakasrekisteri 2026
            Liisa;Virtanen;+358 50 7654321;Messut Tampere
            Anna;Korhonen;12345;Messut
            """;
    @TempDir
    static Path home;
    TestGateway gw;
    Controller acme;
    int port;

    @BeforeAll
    void flow() {
        try {
            gw = TestGateway.start(home);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        port = gw.callgate().managementPort();
        gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
        acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>");
        acme.keyFor("C1");
        AuditEvent.Entry done = acme.upload("C1", acme.encrypt("list.csv", Controller.utf8(LIST), true, false, -1),
                "list.csv.gpg");
        assertThat(done.event().detail()).contains("rows_accepted=2", "rows_rejected=1");
        assertThat(acme.report("C1", "list.csv.gpg")).contains(";file_accepted;");
        gw.newKey("nobody");
        assertThat(gw.ssh("nobody", "help").exit()).as("a login with an unknown account fails").isNotZero();
    }

    @AfterAll
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void metricsAfterAnEndToEndFlowHavePlausibleValues() {
        // the failed login is counted when its session closes, just after ssh exits
        await().atMost(Duration.ofSeconds(10))
                .until(() -> MetricsScrape.fetch(port).value("callgate_auth_failures_total") >= 1);
        MetricsScrape m = MetricsScrape.fetch(port);
        assertThat(m.contentType).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(m.value("callgate_ingest_files_total", "outcome=\"accepted\"")).isGreaterThanOrEqualTo(1);
        assertThat(m.value("callgate_ingest_files_total", "outcome=\"rejected\"")).isZero();
        assertThat(m.value("callgate_ingest_records_total", "outcome=\"accepted\"")).isGreaterThanOrEqualTo(2);
        assertThat(m.value("callgate_ingest_records_total", "outcome=\"rejected\"")).isGreaterThanOrEqualTo(1);
        assertThat(m.value("callgate_ingest_records_total", "outcome=\"blocked\"")).isZero();
        assertThat(m.value("callgate_auth_failures_total")).isGreaterThanOrEqualTo(1);
        assertThat(m.value("callgate_sftp_sessions")).isGreaterThanOrEqualTo(0);
        assertThat(m.value("callgate_sftp_bytes_total", "direction=\"upload\"")).isPositive();
        assertThat(m.value("callgate_sftp_bytes_total", "direction=\"download\"")).as("the report was fetched")
                .isPositive();
        assertThat(m.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files", "jvm_classes_loaded_classes",
                "system_cpu_usage").doesNotContain("system_cpu_count", "process_cpu_time_ns_total");
        assertThat(m.names()).as("Camel route metrics").anyMatch(n -> n.startsWith("camel_exchanges"));
        assertThat(m.text).contains("route_id=\"").doesNotContain("routeId=");
        assertThat(m.text).as("help texts come from the one metrics class")
                .contains("# HELP callgate_ingest_files_total Uploads processed, by outcome")
                .contains("# TYPE callgate_sftp_sessions gauge");
    }

    @Test
    void curlScrapesTheSameTextAndPromtoolAcceptsIt() {
        Proc.Result curl = Proc.run(null, null, List.of("curl", "-sS", "--fail", "--max-time", "10",
                "-D", "/dev/stderr", "http://127.0.0.1:" + port + "/metrics")).assertOk();
        assertThat(curl.err()).containsIgnoringCase("content-type: text/plain; version=0.0.4; charset=utf-8");
        MetricsScrape scrape = MetricsScrape.parse(curl.out());
        assertThat(scrape.names()).contains("callgate_ingest_files_total", "callgate_sftp_bytes_total");

        Proc.Result lint = Proc.run(null, curl.out(), List.of("promtool", "check", "metrics"));
        assertThat(lint.exit()).as("promtool check metrics:\n" + lint.out() + lint.err()).isZero();
    }

    @Test
    void healthIsUpWithEveryPartNamed() {
        HttpResponse<String> r = MetricsScrape.get(port, "/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"status\":\"ok\"", "\"ssh\":\"up\"", "\"store\":\"up\"",
                "\"pipeline\":\"up\"");
        Proc.run(null, null, List.of("curl", "-fsS", "--max-time", "10", "http://127.0.0.1:" + port + "/health"))
                .assertOk();
    }

    @Test
    void nothingElseIsServed() {
        for (String path : List.of("/", "/admin", "/metrics/", "/health/", "/metricsx", "/metrics/../x",
                "/metrics/%2e%2e/x", "/%6detrics", "/api/v1/accounts")) {
            assertThat(MetricsScrape.get(port, path).statusCode()).as(path).isEqualTo(404);
        }
        // curl normalises dot segments unless told not to
        Proc.Result curl = Proc.run(null, null, List.of("curl", "-s", "--path-as-is", "-o", "/dev/null",
                "-w", "%{http_code}", "http://127.0.0.1:" + port + "/metrics/../x"));
        assertThat(curl.out()).isEqualTo("404");
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/metrics", "/health")) {
                HttpResponse<String> r = MetricsScrape.send(port, HttpRequest
                        .newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("x")));
                assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
        }
        HttpResponse<String> head = MetricsScrape.send(port, HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theListenerIsOnLoopbackByDefault() {
        assertThat(gw.callgate().config().management().host()).isEqualTo("127.0.0.1");
    }

    /** A gateway of its own: its store is shut down under it, as a crashed or full database would be. */
    @Test
    void healthIs503NamingTheStoreWhenTheStoreIsDown(@TempDir Path other) throws Exception {
        try (TestGateway g = TestGateway.start(other)) {
            int p = g.callgate().managementPort();
            assertThat(MetricsScrape.get(p, "/health").statusCode()).isEqualTo(200);
            g.callgate().database().close();
            HttpResponse<String> r = MetricsScrape.get(p, "/health");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"status\":\"down\"", "\"store\":\"down\"", "\"failing\":[\"store\"]",
                    "\"ssh\":\"up\"", "\"pipeline\":\"up\"");
            Proc.Result curl = Proc.run(null, null, List.of("curl", "-fsS", "--max-time", "10",
                    "http://127.0.0.1:" + p + "/health"));
            assertThat(curl.exit()).as("curl -f fails, so the Docker HEALTHCHECK does").isNotZero();
            assertThat(MetricsScrape.get(p, "/metrics").statusCode()).as("metrics still answer").isEqualTo(200);
        }
    }
}
