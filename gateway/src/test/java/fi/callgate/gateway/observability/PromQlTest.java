package fi.callgate.gateway.observability;

import static fi.callgate.gateway.observability.PromQl.metricNamesIn;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aBareSelectorIsItsName() {
        assertThat(metricNamesIn("up")).containsExactly("up");
        assertThat(metricNamesIn("up{job=\"callgate\"} == 0")).containsExactly("up");
    }

    @Test
    void functionsAggregationsAndLabelListsAreNotMetrics() {
        assertThat(metricNamesIn("histogram_quantile(0.95, sum by (le) (rate("
                + "callgate_shred_delay_seconds_bucket{job=\"callgate\", instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("callgate_shred_delay_seconds_bucket");
        assertThat(metricNamesIn("sum(rate(a_total[5m])) without (outcome, instance)")).containsExactly("a_total");
        assertThat(metricNamesIn("topk (5, sum by(direction)(b))")).containsExactly("b");
    }

    @Test
    void labelMatchersAndStringsHideTheirContent() {
        assertThat(metricNamesIn("x{le=\"+Inf\", path=\"a}b\", other!~'rate(y)'}")).containsExactly("x");
        assertThat(metricNamesIn("label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\")")).containsExactly("x");
        assertThat(metricNamesIn("{__name__=\"by_name_total\", job=\"j\"}")).containsExactly("by_name_total");
    }

    @Test
    void binaryOperatorsKeywordsAndVectorMatching() {
        assertThat(metricNamesIn("a / on (instance) group_left (job) b")).containsExactly("a", "b");
        assertThat(metricNamesIn("a * ignoring(x) group_right b")).containsExactly("a", "b");
        assertThat(metricNamesIn("a unless b and c or d")).containsExactly("a", "b", "c", "d");
        assertThat(metricNamesIn("x > bool 0")).containsExactly("x");
        assertThat(metricNamesIn("(time() - last_run_seconds > 900) and on(job) deadline < Inf"))
                .containsExactly("deadline", "last_run_seconds");
    }

    @Test
    void numbersDurationsOffsetsAndModifiersAreNotMetrics() {
        assertThat(metricNamesIn("1e3 * 2.5e-1 + 0x1f - max(x) + NaN")).containsExactly("x");
        assertThat(metricNamesIn("rate(x[5m] offset 1h30m)")).containsExactly("x");
        assertThat(metricNamesIn("max_over_time(deriv(y[10m])[1h:5m])")).containsExactly("y");
        assertThat(metricNamesIn("z @ start() + z @ 1609746000")).containsExactly("z");
        assertThat(metricNamesIn("-neg")).containsExactly("neg");
    }

    @Test
    void recordingRuleNamesKeepTheirColons() {
        assertThat(metricNamesIn("job:callgate_auth_failures:rate5m > 1")).containsExactly("job:callgate_auth_failures:rate5m");
    }

    @Test
    void grafanaVariablesAreNotMetrics() {
        assertThat(metricNamesIn("sum(rate(x[$__rate_interval])) * $scale")).containsExactly("x");
    }
}
