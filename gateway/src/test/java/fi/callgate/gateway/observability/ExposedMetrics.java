package fi.callgate.gateway.observability;

import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names the dashboard and the alert rules may use: CONTRACT §5 (with the series names the
 * Prometheus text format gives counters and histograms), the two names the observability work adds,
 * the JVM and process meters the dashboard shows, and Prometheus' own {@code up}.
 *
 * <p>This is a list kept by hand, for the fast static checks. {@link LiveMetricsTest} scrapes
 * {@code GET /metrics} from a running appliance and checks both this list and every name the dashboard and
 * the alert rules read against the live scrape, so that a renamed meter breaks the build rather than a panel.
 */
final class ExposedMetrics {
    private ExposedMetrics() {
    }

    static final Set<String> CONTRACT = Set.of(
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
            "callgate_blocklist_numbers");

    /** Not (yet) in CONTRACT §5; the appliance must expose them for the dashboard and alerts. */
    static final Set<String> ADDED = Set.of(
            "callgate_sftp_bytes_total",                       // {direction="upload|download"}
            "callgate_shredder_last_run_timestamp_seconds",    // Unix time of the last completed pass
            "callgate_storage_location_refused",               // {location}: 1 while writes are refused
            "callgate_uploads_failed_total",                   // {area="inbox|results|recordings"}: given up at the retry cap
            "callgate_recordings_delivered_total",             // CONTRACT §7: recordings delivered into an outbox
            "callgate_recordings_pending",                     // recordings awaiting download
            "callgate_recordings_oldest_pending_age_seconds"); // how long the oldest of them has waited

    static final Set<String> RUNTIME = Set.of(
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_count",
            "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_max",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "up");

    static Set<String> all() {
        Set<String> all = new TreeSet<>(CONTRACT);
        all.addAll(ADDED);
        all.addAll(RUNTIME);
        return all;
    }
}
