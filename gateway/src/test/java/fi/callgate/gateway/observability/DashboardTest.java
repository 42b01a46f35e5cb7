package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The provisioned Grafana dashboard, its provisioning files and the compose file, checked without Grafana
 * or a Docker engine. Metric names in the dashboard are compared with {@link ExposedMetrics} (a hand-kept
 * list); {@link LiveMetricsTest} compares them, and the alert rules' names, with a live {@code /metrics} scrape.
 */
class DashboardTest {
    private static final List<String> ROWS = List.of("Deletion SLA", "Data-subject requests", "Ingest", "SFTP", "Recordings",
            "JVM");
    private static final Set<String> RETENTION_METRICS = Set.of(
            "callgate_retention_overdue_datasets",
            "callgate_retention_next_deadline_seconds",
            "callgate_personal_data_oldest_age_seconds",
            "callgate_shred_delay_seconds_bucket",
            "callgate_deletion_receipts_total",
            "callgate_shredded_records_total");

    private final JsonNode dashboard = readDashboard();

    @Test
    void identityAndSchema() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("callgate");
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("title").asText()).isNotBlank();
    }

    @Test
    void rowsComeInOrderWithTheDeletionSlaFirst() {
        List<String> rows = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
            }
        }
        assertThat(rows).containsExactlyElementsOf(ROWS);
        assertThat(dashboard.path("panels").get(0).path("type").asText()).as("first panel is a row").isEqualTo("row");
    }

    @Test
    void theDeletionSlaRowShowsEveryRetentionMetric() {
        Map<String, List<JsonNode>> rows = panelsByRow();
        List<JsonNode> sla = rows.get("Deletion SLA");
        Set<String> names = new TreeSet<>();
        for (JsonNode p : sla) {
            names.addAll(metricsOf(p));
        }
        assertThat(names).containsAll(RETENTION_METRICS);
        JsonNode nextDeadline = sla.stream()
                .filter(p -> metricsOf(p).contains("callgate_retention_next_deadline_seconds")).findFirst().orElseThrow();
        assertThat(nextDeadline.path("type").asText()).isEqualTo("stat");
        assertThat(nextDeadline.at("/fieldConfig/defaults/unit").asText()).isEqualTo("s");
        assertThat(sla.stream().anyMatch(p -> p.path("type").asText().equals("stat")
                && metricsOf(p).contains("callgate_retention_overdue_datasets"))).as("overdue datasets stat").isTrue();
        assertThat(sla.stream().flatMap(p -> exprs(p).stream())
                .anyMatch(e -> e.contains("histogram_quantile(") && e.contains("callgate_shred_delay_seconds_bucket")))
                .as("shred delay quantiles").isTrue();
    }

    @Test
    void eachRowShowsItsMetrics() {
        Map<String, List<JsonNode>> rows = panelsByRow();
        assertThat(metricsOfRow(rows.get("Data-subject requests"))).contains("callgate_dsar_open", "callgate_dsar_overdue");
        assertThat(metricsOfRow(rows.get("Ingest")))
                .contains("callgate_ingest_files_total", "callgate_ingest_records_total", "callgate_blocklist_numbers");
        assertThat(metricsOfRow(rows.get("SFTP")))
                .contains("callgate_sftp_sessions", "callgate_auth_failures_total", "callgate_sftp_bytes_total");
        assertThat(metricsOfRow(rows.get("Recordings"))).contains("callgate_recordings_pending",
                "callgate_recordings_oldest_pending_age_seconds", "callgate_recordings_delivered_total",
                "callgate_uploads_failed_total");
        assertThat(metricsOfRow(rows.get("JVM")))
                .contains("jvm_memory_used_bytes", "process_cpu_usage", "jvm_threads_live_threads")
                .anyMatch(n -> n.startsWith("jvm_gc_pause_seconds"));
    }

    @Test
    void everyQueryReadsOnlyExposedMetricsFromTheProvisionedDatasource() {
        List<String> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            String title = p.path("title").asText();
            assertThat(p.path("targets").size()).as(title + " has queries").isPositive();
            assertThat(p.at("/datasource/uid").asText()).as(title + " datasource").isEqualTo("prometheus");
            for (JsonNode t : p.path("targets")) {
                assertThat(t.at("/datasource/uid").asText()).as(title + " target datasource").isEqualTo("prometheus");
                String expr = t.path("expr").asText();
                assertThat(PromQl.metricNamesIn(expr)).as(title + ": " + expr).isNotEmpty()
                        .isSubsetOf(ExposedMetrics.all());
                all.add(expr);
            }
        }
        assertThat(all).hasSizeGreaterThan(15);
    }

    /** Grafana's variables replaced by plain values, every query goes through promtool's parser. */
    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws IOException {
        RepoFiles.requirePromtool();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (String expr : exprs(p)) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("record", "dashboard:query:" + rules.size());
                rule.put("expr", expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
                        .replace("$instance", ".*"));
                rules.add(rule);
            }
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        RepoFiles.Result r = RepoFiles.run(dir, Duration.ofMinutes(1), "promtool", "check", "rules", file.toString());
        assertThat(r.exitCode()).as("promtool check rules on the dashboard's queries:\n" + r.output()).isZero();
    }

    @Test
    void provisioningPointsAtThePrometheusDatasourceAndTheDashboardDirectory() {
        Map<String, Object> ds = yaml("grafana/provisioning/datasources/prometheus.yml");
        Map<?, ?> source = (Map<?, ?>) ((List<?>) ds.get("datasources")).get(0);
        assertThat(source.get("uid")).isEqualTo("prometheus");
        assertThat(source.get("type")).isEqualTo("prometheus");
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");

        Map<String, Object> dashboards = yaml("grafana/provisioning/dashboards/callgate.yml");
        Map<?, ?> provider = (Map<?, ?>) ((List<?>) dashboards.get("providers")).get(0);
        assertThat(provider.get("type")).isEqualTo("file");
        assertThat(((Map<?, ?>) provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");

        // compose mounts docker/grafana/dashboards there, so callgate.json is what Grafana loads
        assertThat(grafanaVolumes()).contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro",
                "./grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    @Test
    void composeHasTheThreeServicesAndPublishesOnlySftpBeyondLoopback() {
        Map<String, Object> compose = yaml("compose.yml");
        Map<?, ?> services = (Map<?, ?>) compose.get("services");
        assertThat(services.keySet().stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrder("callgate", "prometheus", "grafana");

        Map<?, ?> callgate = (Map<?, ?>) services.get("callgate");
        Map<?, ?> build = (Map<?, ?>) callgate.get("build");
        assertThat(build.get("context")).isEqualTo("..");
        assertThat(build.get("dockerfile")).isEqualTo("docker/Dockerfile");
        assertThat(ports(callgate)).containsExactly("2222:2222");
        assertThat(((Map<?, ?>) callgate.get("environment")).get("CALLGATE_MANAGEMENT_HOST")).isEqualTo("0.0.0.0");

        for (Object name : services.keySet()) {
            for (String port : ports((Map<?, ?>) services.get(name))) {
                assertThat(port).as(name + " must not publish the management port").doesNotContain("9464");
            }
        }
        assertThat(ports((Map<?, ?>) services.get("prometheus"))).allMatch(p -> p.startsWith("127.0.0.1:"));
        assertThat(ports((Map<?, ?>) services.get("grafana"))).allMatch(p -> p.startsWith("127.0.0.1:"));
        Map<?, ?> grafanaEnv = (Map<?, ?>) ((Map<?, ?>) services.get("grafana")).get("environment");
        assertThat(grafanaEnv.get("GF_AUTH_ANONYMOUS_ENABLED")).isEqualTo("false");
        assertThat(String.valueOf(grafanaEnv.get("GF_SECURITY_ADMIN_PASSWORD"))).startsWith("${GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void composeBindMountsExist() {
        Map<?, ?> services = (Map<?, ?>) yaml("compose.yml").get("services");
        for (Object name : services.keySet()) {
            Object volumes = ((Map<?, ?>) services.get(name)).get("volumes");
            if (volumes == null) {
                continue;
            }
            for (Object v : (List<?>) volumes) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith("./") || source.startsWith("../")) {
                    assertThat(RepoFiles.docker(source)).as(name + " mounts " + source).exists();
                }
            }
        }
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        boolean compose = RepoFiles.onPath("docker")
                && RepoFiles.run(RepoFiles.root(), Duration.ofSeconds(30), "docker", "compose", "version").exitCode() == 0;
        Assumptions.assumeTrue(compose, "no docker CLI with the compose plugin here: `docker compose config` not run");
        RepoFiles.Result r = RepoFiles.run(RepoFiles.root().resolve("gateway"), Duration.ofMinutes(1),
                "docker", "compose", "-f", "../docker/compose.yml", "config", "-q");
        assertThat(r.exitCode()).as("docker compose config -q:\n" + r.output()).isZero();
    }

    private static JsonNode readDashboard() {
        try {
            return new ObjectMapper().readTree(RepoFiles.read(RepoFiles.docker("grafana/dashboards/callgate.json")));
        } catch (IOException e) {
            throw new AssertionError("callgate.json is not valid JSON", e);
        }
    }

    private Map<String, List<JsonNode>> panelsByRow() {
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        List<JsonNode> current = null;
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                current = new ArrayList<>();
                rows.put(p.path("title").asText(), current);
                // a collapsed row keeps its panels inside it
                p.path("panels").forEach(current::add);
            } else {
                assertThat(current).as("panel " + p.path("title").asText() + " before the first row").isNotNull();
                current.add(p);
            }
        }
        return rows;
    }

    private static List<String> exprs(JsonNode panel) {
        List<String> exprs = new ArrayList<>();
        panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        return exprs;
    }

    private static Set<String> metricsOf(JsonNode panel) {
        Set<String> names = new TreeSet<>();
        exprs(panel).forEach(e -> names.addAll(PromQl.metricNamesIn(e)));
        return names;
    }

    private static Set<String> metricsOfRow(List<JsonNode> row) {
        assertThat(row).isNotNull();
        Set<String> names = new TreeSet<>();
        row.forEach(p -> names.addAll(metricsOf(p)));
        return names;
    }

    private static Map<String, Object> yaml(String relative) {
        Map<String, Object> doc = new Yaml().load(RepoFiles.read(RepoFiles.docker(relative)));
        assertThat(doc).as(relative).isNotNull();
        return doc;
    }

    private static List<String> ports(Map<?, ?> service) {
        List<String> ports = new ArrayList<>();
        Object list = service.get("ports");
        if (list != null) {
            ((List<?>) list).forEach(p -> ports.add(String.valueOf(p)));
        }
        return ports;
    }

    private List<String> grafanaVolumes() {
        Map<?, ?> services = (Map<?, ?>) yaml("compose.yml").get("services");
        List<String> volumes = new ArrayList<>();
        ((List<?>) ((Map<?, ?>) services.get("grafana")).get("volumes")).forEach(v -> volumes.add(String.valueOf(v)));
        return volumes;
    }
}
