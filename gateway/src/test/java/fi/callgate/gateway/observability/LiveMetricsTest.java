package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.gateway.support.MetricsScrape;
import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every metric name the Grafana dashboard and the alert rules read, compared with a LIVE scrape of
 * {@code GET /metrics} from a freshly started gateway, so a renamed meter breaks the build rather than a
 * panel or an alert. Names that a fresh gateway cannot show yet are listed below, each with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveMetricsTest {
    /**
     * Series that appear only after an event, never on a fresh start: Prometheus' own {@code up} (made by
     * the scraper, not the target) and the GC pause timer (Micrometer registers it at the first GC pause
     * it is notified of).
     */
    static final Set<String> AFTER_EVENTS = Set.of(
            "up",
            "jvm_gc_pause_seconds_count",
            "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_max",
            // registered after the shredder's first completed pass (within a second of start)
            "callgate_shredder_last_run_timestamp_seconds");

    /**
     * MERGER: CONTRACT §5 (and alert) names that other branches add to CallgateMetrics (retention,
     * shredder, DSAR, block list) and that do not exist on the management branch yet. After the merge,
     * move every one of them to {@link #REQUIRED} (histograms registered at start show their buckets at
     * 0, so the shred delay belongs there too) and leave this set empty.
     */
    static final Set<String> PENDING_MERGE = Set.of();

    /** CONTRACT §5 names (and the SFTP bytes the dashboard shows) present from start, before any event. */
    static final Set<String> REQUIRED = Set.of(
            "callgate_blocklist_numbers",
            "callgate_retention_overdue_datasets",
            "callgate_retention_next_deadline_seconds",
            "callgate_personal_data_oldest_age_seconds",
            "callgate_shred_delay_seconds_bucket",
            "callgate_shred_delay_seconds_count",
            "callgate_shred_delay_seconds_sum",
            "callgate_shredded_records_total",
            "callgate_deletion_receipts_total",
            "callgate_dsar_open",
            "callgate_dsar_overdue",
            "callgate_ingest_files_total",
            "callgate_ingest_records_total",
            "callgate_sftp_sessions",
            "callgate_auth_failures_total",
            "callgate_sftp_bytes_total",
            "callgate_uploads_failed_total",
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "process_cpu_usage");

    @TempDir
    static Path home;
    TestGateway gw;
    MetricsScrape live;

    @BeforeAll
    void start() throws Exception {
        gw = TestGateway.start(home);
        live = MetricsScrape.fetch(gw.callgate().managementPort());
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void everyNameTheDashboardAndTheAlertsReadIsScrapedLive() {
        Map<String, String> missing = new TreeMap<>();
        usedNames().forEach((name, where) -> {
            if (!live.names().contains(name) && !AFTER_EVENTS.contains(name) && !PENDING_MERGE.contains(name)) {
                missing.put(name, where);
            }
        });
        assertThat(missing).as("names read by the dashboard or alerts that GET /metrics does not expose").isEmpty();
    }

    @Test
    void theContractNamesAreThereFromStartWithTheirLabels() {
        assertThat(live.names()).containsAll(REQUIRED);
        for (String outcome : List.of("accepted", "rejected")) {
            assertThat(live.value("callgate_ingest_files_total", "outcome=\"" + outcome + "\"")).isZero();
        }
        for (String outcome : List.of("accepted", "rejected", "blocked")) {
            assertThat(live.value("callgate_ingest_records_total", "outcome=\"" + outcome + "\"")).isZero();
        }
        for (String direction : List.of("upload", "download")) {
            assertThat(live.value("callgate_sftp_bytes_total", "direction=\"" + direction + "\"")).isZero();
        }
        assertThat(live.value("callgate_auth_failures_total")).isZero();
        for (String area : List.of("inbox", "results", "recordings")) {
            assertThat(live.value("callgate_uploads_failed_total", "area=\"" + area + "\"")).isZero();
        }
    }

    /** The hand-kept list the static DashboardTest uses must not promise what the appliance lacks. */
    @Test
    void theHandKeptListMatchesTheLiveScrape() {
        Set<String> promised = new TreeSet<>(ExposedMetrics.all());
        promised.removeAll(AFTER_EVENTS);
        promised.removeAll(PENDING_MERGE);
        assertThat(live.names()).containsAll(promised);
    }

    /** Every allow-listed name is really read or promised somewhere; a stale exception would hide a rename. */
    @Test
    void theAllowListsHoldOnlyNamesInUse() {
        Set<String> known = new TreeSet<>(usedNames().keySet());
        known.addAll(ExposedMetrics.all());
        assertThat(known).containsAll(AFTER_EVENTS).containsAll(PENDING_MERGE);
    }

    /** Metric name -> the first panel or alert that reads it. */
    private static Map<String, String> usedNames() {
        Map<String, String> used = new TreeMap<>();
        try {
            JsonNode dashboard = new ObjectMapper().readTree(RepoFiles.read(RepoFiles.docker("grafana/dashboards/callgate.json")));
            for (JsonNode panel : dashboard.path("panels")) {
                List<JsonNode> panels = panel.path("type").asText().equals("row") ? list(panel.path("panels")) : List.of(panel);
                for (JsonNode p : panels) {
                    for (JsonNode t : p.path("targets")) {
                        PromQl.metricNamesIn(t.path("expr").asText())
                                .forEach(n -> used.putIfAbsent(n, "panel " + p.path("title").asText()));
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, Object> alerts = new Yaml().load(RepoFiles.read(RepoFiles.docker("prometheus/alerts.yml")));
        for (Object group : (List<?>) alerts.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                PromQl.metricNamesIn(String.valueOf(r.get("expr")))
                        .forEach(n -> used.putIfAbsent(n, "alert " + r.get("alert")));
            }
        }
        assertThat(used).hasSizeGreaterThan(15);
        return used;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
