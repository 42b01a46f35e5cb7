package fi.callgate.metrics;

import fi.callgate.domain.Area;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
    private final Counter sftpBytesUploaded;
    private final Counter sftpBytesDownloaded;
    private final Timer shredDelay;
    private final Counter shreddedRecords;
    private final Counter deletionReceipts;
    private final Map<Area, Counter> uploadsFailed = new EnumMap<>(Area.class);

    public CallgateMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.authFailures = Counter.builder("callgate_auth_failures").description("Failed SSH logins")
                .register(registry);
        this.ingestFilesAccepted = ingestFiles("accepted");
        this.ingestFilesRejected = ingestFiles("rejected");
        this.ingestRecordsAccepted = ingestRecords("accepted");
        this.ingestRecordsRejected = ingestRecords("rejected");
        this.ingestRecordsBlocked = ingestRecords("blocked");
        this.sftpBytesUploaded = sftpBytes("upload");
        this.sftpBytesDownloaded = sftpBytes("download");
        // Explicit buckets around the SLA (one shredder interval, default a minute) up to days of backlog.
        this.shredDelay = Timer.builder("callgate_shred_delay")
                .description("How late each dataset was shredded after its deletion deadline")
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1),
                        Duration.ofDays(3), Duration.ofDays(7))
                .register(registry);
        this.shreddedRecords = Counter.builder("callgate_shredded_records")
                .description("Call-list records destroyed by the shredder").register(registry);
        this.deletionReceipts = Counter.builder("callgate_deletion_receipts")
                .description("Signed deletion receipts issued").register(registry);
        for (Area area : Area.values()) {
            if (area.isWriteArea()) { // only uploads are processed, so only write areas can fail
                uploadsFailed.put(area, uploadsFailed(area.folderName()));
            }
        }
    }

    /** {@code callgate_shred_delay_seconds}: deadline → shredded, per dataset. */
    public Timer shredDelay() {
        return shredDelay;
    }

    /** {@code callgate_shredded_records_total}. */
    public Counter shreddedRecords() {
        return shreddedRecords;
    }

    /** {@code callgate_deletion_receipts_total}. */
    public Counter deletionReceipts() {
        return deletionReceipts;
    }

    /**
     * The retention SLA gauges, read from the store at scrape time. {@code nextDeadlineSeconds} is +Inf
     * when nothing is held (and negative when something is overdue); {@code oldestAgeSeconds} is 0 when no
     * personal data is held.
     */
    public void retentionGauges(Supplier<Number> overdueDatasets, Supplier<Number> nextDeadlineSeconds,
                                Supplier<Number> oldestAgeSeconds) {
        Gauge.builder("callgate_retention_overdue_datasets", overdueDatasets)
                .description("Datasets past their deletion deadline and not yet shredded (SLA: 0)").register(registry);
        Gauge.builder("callgate_retention_next_deadline_seconds", nextDeadlineSeconds)
                .description("Seconds until the nearest deletion deadline (+Inf when nothing is held)")
                .register(registry);
        Gauge.builder("callgate_personal_data_oldest_age_seconds", oldestAgeSeconds)
                .description("Age of the oldest personal data held (0 when none)").register(registry);
    }

    /**
     * {@code callgate_shredder_last_run_timestamp_seconds}: registered by the shredder after its first
     * completed pass, so that before it the series is absent (the stalled-shredder alert relies on that).
     */
    public void shredderLastRun(Supplier<Number> unixSeconds) {
        Gauge.builder("callgate_shredder_last_run_timestamp_seconds", unixSeconds)
                .description("Unix time of the shredder's last completed pass").register(registry);
    }

    /**
     * {@code callgate_dsar_open} / {@code callgate_dsar_overdue}: data-subject requests not yet erased or
     * closed, and those of them past their 30-day due date. Read from the store at scrape time.
     */
    public void dsarGauges(Supplier<Number> open, Supplier<Number> overdue) {
        Gauge.builder("callgate_dsar_open", open).description("Data-subject requests open").register(registry);
        Gauge.builder("callgate_dsar_overdue", overdue)
                .description("Data-subject requests open past their 30-day due date (SLA: 0)").register(registry);
    }

    private io.micrometer.core.instrument.MultiGauge storageLocation;

    /**
     * {@code callgate_storage_location_refused{location}}: 1 while every write under data-dir is refused
     * because its declared location (the label: a country or region code, never data) is outside the EEA,
     * 0 while it is allowed. Set at start and on every reload; the previous location's series is dropped.
     */
    public synchronized void storageLocation(String location, boolean refused) {
        if (storageLocation == null) {
            storageLocation = io.micrometer.core.instrument.MultiGauge.builder("callgate_storage_location_refused")
                    .description("1 while writes are refused because storage.location is outside the EEA")
                    .register(registry);
        }
        String label = location != null && location.matches("[A-Za-z0-9-]{1,40}") ? location : "invalid";
        storageLocation.register(java.util.List.of(io.micrometer.core.instrument.MultiGauge.Row.of(
                io.micrometer.core.instrument.Tags.of("location", label), refused ? 1 : 0)), true);
    }

    /** {@code callgate_recordings_delivered_total}: call recordings delivered, encrypted, into an outbox. */
    public Counter recordingsDelivered() {
        return Counter.builder("callgate_recordings_delivered").description("Call recordings delivered to a controller"
                + " outbox (encrypted with the agreed method)").register(registry);
    }

    /**
     * {@code callgate_recordings_pending}: recordings in an outbox not yet downloaded;
     * {@code callgate_recordings_oldest_pending_age_seconds}: how long the oldest of them has waited (0 if none).
     */
    public void recordingGauges(Supplier<Number> pending, Supplier<Number> oldestAgeSeconds) {
        recordingsDelivered(); // exposed at 0 from the start, so a rate() has a series before the first delivery
        Gauge.builder("callgate_recordings_pending", pending)
                .description("Call recordings in an outbox awaiting download").register(registry);
        Gauge.builder("callgate_recordings_oldest_pending_age_seconds", oldestAgeSeconds)
                .description("Age of the oldest call recording awaiting download (0 when none)").register(registry);
    }

    /** Writes or pushes refused by the EEA policy. */
    public Counter storageRefusals() {
        return Counter.builder("callgate_storage_refusals").description("Writes refused by the EEA storage policy")
                .register(registry);
    }

    /** {@code callgate_pushes_total{target}}: files pushed to a remote SFTP server; target: dialer or controller. */
    public static Counter pushes(MeterRegistry registry, String target) {
        return Counter.builder("callgate_pushes").tag("target", target)
                .description("Files pushed to a remote SFTP server (dialer lists, controller exports), by target")
                .register(registry);
    }

    /** {@code callgate_push_failures_total{target,reason}}: refused (location) or failed (transfer) pushes. */
    public static Counter pushFailures(MeterRegistry registry, String target, String reason) {
        return Counter.builder("callgate_push_failures").tag("target", target).tag("reason", reason)
                .description("Failed pushes, by target and reason").register(registry);
    }

    /**
     * {@code callgate_uploads_failed_total{area}}: uploads finished unprocessed after {@code intake.max-attempts}
     * failed passes (their senders got a "could not be processed" report). Registered at start, so the alert on
     * it has a series to read before the first failure. {@code area}: the write area the upload came to — inbox
     * (call lists), results or recordings.
     */
    public Counter uploadsFailed(Area area) {
        Counter c = uploadsFailed.get(area);
        if (c == null) {
            throw new IllegalArgumentException("no uploads into " + area);
        }
        return c;
    }

    private Counter uploadsFailed(String area) {
        return Counter.builder("callgate_uploads_failed").tag("area", area)
                .description("Uploads given up after the maximum number of processing attempts, by area")
                .register(registry);
    }

    /** {@code callgate_pipeline_failures_total}: stage failures, retried later. */
    public Counter pipelineFailures() {
        return Counter.builder("callgate_pipeline_failures").description("Pipeline stage failures (retried later)")
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

    /** Bytes clients wrote over SFTP (every write area). */
    public Counter sftpBytesUploaded() {
        return sftpBytesUploaded;
    }

    /** Bytes clients read over SFTP (every read area). */
    public Counter sftpBytesDownloaded() {
        return sftpBytesDownloaded;
    }

    private Counter sftpBytes(String direction) {
        return Counter.builder("callgate_sftp_bytes").tag("direction", direction)
                .description("Bytes transferred over SFTP, by direction (upload: client to gateway)")
                .register(registry);
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
