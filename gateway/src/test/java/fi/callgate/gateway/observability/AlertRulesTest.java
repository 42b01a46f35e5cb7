package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules with Prometheus' own tool: syntax ({@code promtool check rules}), behaviour
 * ({@code promtool test rules}: every alert fires and does not fire), and the scrape config. promtool
 * missing is a failure, not a skip: CI installs Debian's {@code prometheus} package for it.
 */
class AlertRulesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> ALERTS = List.of("CallgateRetentionOverdue",
            "CallgateDeadlineSoonShredderStalled", "CallgateDsarOverdue", "CallgateAuthFailureBurst",
            "CallgateStorageLocationRefused", "CallgateUploadNotProcessed", "CallgateRecordingNotDelivered",
            "CallgateRecordingsNotDownloaded", "CallgateRecordingsHousekeepingOverdue", "CallgateDown");

    @Test
    void promtoolAcceptsTheRules() {
        assertPromtool("check", "rules", "alerts.yml");
    }

    @Test
    void promtoolUnitTestsPass() {
        assertPromtool("test", "rules", "alerts.test.yml");
    }

    @Test
    void promtoolAcceptsTheScrapeConfigAndItLoadsTheRules() {
        String out = assertPromtool("check", "config", "prometheus.yml");
        assertThat(out).contains("alerts.yml");
    }

    @Test
    void everyAlertHasSeverityAndAnnotationsAndReadsOnlyExposedMetrics() {
        Map<String, Map<String, Object>> rules = rules();
        assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(ALERTS);
        rules.forEach((name, rule) -> {
            assertThat(labels(rule, "labels")).as(name).containsKey("severity");
            assertThat(labels(rule, "annotations")).as(name).containsKeys("summary", "description");
            assertThat(PromQl.metricNamesIn((String) rule.get("expr"))).as(name + " expr")
                    .isNotEmpty()
                    .isSubsetOf(ExposedMetrics.all());
        });
        assertThat(labels(rules.get("CallgateRetentionOverdue"), "labels")).containsEntry("severity", "page");
    }

    /** promtool passes a test file with no case for an alert; this makes "fires and does not fire" explicit. */
    @Test
    void everyAlertIsTestedFiringAndNotFiring() {
        Map<String, Boolean> fires = new LinkedHashMap<>();
        Map<String, Boolean> silent = new LinkedHashMap<>();
        Map<String, Object> file = new Yaml().load(RepoFiles.read(RepoFiles.docker("prometheus/alerts.test.yml")));
        for (Object test : (List<?>) file.get("tests")) {
            for (Object c : (List<?>) ((Map<?, ?>) test).get("alert_rule_test")) {
                Map<?, ?> ruleTest = (Map<?, ?>) c;
                String alert = (String) ruleTest.get("alertname");
                List<?> expected = (List<?>) ruleTest.get("exp_alerts");
                if (expected == null || expected.isEmpty()) {
                    silent.put(alert, true);
                } else {
                    fires.put(alert, true);
                }
            }
        }
        assertThat(fires.keySet()).as("alerts with a firing case").containsAll(ALERTS);
        assertThat(silent.keySet()).as("alerts with a non-firing case").containsAll(ALERTS);
    }

    private static String assertPromtool(String... args) {
        RepoFiles.requirePromtool();
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path dir = RepoFiles.docker("prometheus");
        RepoFiles.Result result = RepoFiles.run(dir, TIMEOUT, command.toArray(String[]::new));
        System.out.println("$ " + String.join(" ", command) + "   (in " + dir + ")\n" + result.output());
        assertThat(result.exitCode()).as(String.join(" ", command) + " exit code; output:\n" + result.output())
                .isZero();
        return result.output();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> rules() {
        Map<String, Object> file = new Yaml().load(RepoFiles.read(RepoFiles.docker("prometheus/alerts.yml")));
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Object group : (List<?>) file.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<String, Object> r = (Map<String, Object>) rule;
                assertThat(byName.put((String) r.get("alert"), r)).as("duplicate alert " + r.get("alert")).isNull();
            }
        }
        return byName;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> rule, String key) {
        Object value = rule.get(key);
        assertThat(value).as(rule.get("alert") + " " + key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
