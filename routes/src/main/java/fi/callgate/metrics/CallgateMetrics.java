package fi.callgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The metric names of CONTRACT §5, with help texts, registered on an injected registry. Gauges read their
 * value at scrape time from a supplier, so they are never stale. Labels never carry personal data.
 */
public final class CallgateMetrics {
    private final MeterRegistry registry;
    private final Counter authFailures;
    private final Counter ingestFilesAccepted;
    private final Counter ingestFilesRejected;
    private final Counter ingestRecordsAccepted;
    private final Counter ingestRecordsRejected;
    private final Counter ingestRecordsBlocked;

    public CallgateMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.authFailures = Counter.builder("callgate_auth_failures").description("Failed SSH logins")
                .register(registry);
        this.ingestFilesAccepted = ingestFiles("accepted");
        this.ingestFilesRejected = ingestFiles("rejected");
        this.ingestRecordsAccepted = ingestRecords("accepted");
        this.ingestRecordsRejected = ingestRecords("rejected");
        this.ingestRecordsBlocked = ingestRecords("blocked");
    }

    /** Writes or pushes refused by the EEA policy. */
    public Counter storageRefusals() {
        return Counter.builder("callgate_storage_refusals").description("Writes refused by the EEA storage policy")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void sftpSessions(Supplier<Number> open) {
        Gauge.builder("callgate_sftp_sessions", open).description("Open SSH sessions").register(registry);
    }

    /** Numbers on the do-not-call list. */
    public void blocklistNumbers(Supplier<Number> size) {
        Gauge.builder("callgate_blocklist_numbers", size).description("Numbers on the block list").register(registry);
    }

    /** Dialer lists published (re-publications included), by reason: upload or blocked. */
    public Counter dialerListsPublished(String reason) {
        return Counter.builder("callgate_dialer_lists_published").tag("reason", reason)
                .description("Dialer lists published, by reason").register(registry);
    }

    public void authFailed() {
        authFailures.increment();
    }

    public Counter ingestFiles(boolean accepted) {
        return accepted ? ingestFilesAccepted : ingestFilesRejected;
    }

    public Counter ingestRecordsAccepted() {
        return ingestRecordsAccepted;
    }

    public Counter ingestRecordsRejected() {
        return ingestRecordsRejected;
    }

    public Counter ingestRecordsBlocked() {
        return ingestRecordsBlocked;
    }

    private Counter ingestFiles(String outcome) {
        return Counter.builder("callgate_ingest_files").tag("outcome", outcome)
                .description("Uploads processed, by outcome").register(registry);
    }

    private Counter ingestRecords(String outcome) {
        return Counter.builder("callgate_ingest_records").tag("outcome", outcome)
                .description("Call list rows processed, by outcome").register(registry);
    }
}
