package fi.callgate.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Computes a dataset's deletion deadline and the reason for it from Callgate's own timestamps (receipt
 * time, the campaign's last activity, the moment it was ended or called through) — never a file's mtime,
 * which a client can set. The earliest applicable deadline wins:
 * <ol>
 *   <li>a rejected upload: its receipt time (nothing of it may be kept);</li>
 *   <li>the campaign ended: the end time;</li>
 *   <li>the list was called through: that time;</li>
 *   <li>otherwise the backstop: last campaign activity (or receipt, if later) + the campaign's retention
 *       days, which default to {@code retention.default-days}, never exceed {@code retention.max-days}, and
 *       for campaigns allowed personal ids never exceed {@code retention.personal-id-days}.</li>
 * </ol>
 */
public final class RetentionPolicy {
    private final int defaultDays;
    private final int maxDays;
    private final int personalIdDays;

    public RetentionPolicy(int defaultDays, int maxDays, int personalIdDays) {
        if (defaultDays < 1 || maxDays < 1 || personalIdDays < 1) {
            throw new IllegalArgumentException("retention days must be positive");
        }
        this.defaultDays = defaultDays;
        this.maxDays = maxDays;
        this.personalIdDays = personalIdDays;
    }

    /** Why a dataset is (or will be) destroyed; the receipt and {@code retention status} show it. */
    public enum Reason {
        RETENTION_DEADLINE("retention deadline"), CAMPAIGN_ENDED("campaign ended"),
        CALLED_THROUGH("called through"), REJECTED("upload rejected"), DSAR("data-subject erasure");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** What the deadline of one dataset depends on. */
    public record Facts(boolean accepted, Instant receivedAt, Instant campaignLastActivity,
                        OptionalInt campaignRetentionDays, boolean personalId, Optional<Instant> campaignEndedAt,
                        Optional<Instant> calledThroughAt) {
    }

    public record Deadline(Instant at, Reason reason) {
    }

    /** The number of days the backstop allows a campaign. */
    public int backstopDays(OptionalInt campaignDays, boolean personalId) {
        int days = campaignDays.orElse(personalId ? personalIdDays : defaultDays);
        days = Math.min(days, maxDays);
        if (personalId) {
            days = Math.min(days, personalIdDays);
        }
        return Math.max(days, 1);
    }

    public Deadline deadline(Facts f) {
        if (!f.accepted()) {
            return new Deadline(f.receivedAt(), Reason.REJECTED);
        }
        if (f.campaignEndedAt().isPresent()) {
            return new Deadline(f.campaignEndedAt().get(), Reason.CAMPAIGN_ENDED);
        }
        if (f.calledThroughAt().isPresent()) {
            return new Deadline(f.calledThroughAt().get(), Reason.CALLED_THROUGH);
        }
        Instant base = f.campaignLastActivity().isAfter(f.receivedAt()) ? f.campaignLastActivity() : f.receivedAt();
        int days = backstopDays(f.campaignRetentionDays(), f.personalId());
        return new Deadline(base.plus(Duration.ofDays(days)), Reason.RETENTION_DEADLINE);
    }
}
