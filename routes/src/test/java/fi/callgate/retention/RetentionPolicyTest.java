package fi.callgate.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.retention.RetentionPolicy.Facts;
import fi.callgate.retention.RetentionPolicy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    static final Instant RECEIVED = Instant.parse("2026-01-10T08:00:00Z");
    static final Instant ACTIVE = Instant.parse("2026-02-01T12:00:00Z");
    final RetentionPolicy policy = new RetentionPolicy(120, 183, 30);

    static Facts facts(OptionalInt days, boolean personalId) {
        return new Facts(true, RECEIVED, ACTIVE, days, personalId, Optional.empty(), Optional.empty());
    }

    @Test
    void backstopIsLastActivityPlusDefaultDays() {
        var d = policy.deadline(facts(OptionalInt.empty(), false));
        assertThat(d.at()).isEqualTo(ACTIVE.plus(Duration.ofDays(120)));
        assertThat(d.reason()).isEqualTo(Reason.RETENTION_DEADLINE);
    }

    @Test
    void campaignDaysApplyButNeverOverTheMaximum() {
        assertThat(policy.deadline(facts(OptionalInt.of(10), false)).at()).isEqualTo(ACTIVE.plus(Duration.ofDays(10)));
        assertThat(policy.deadline(facts(OptionalInt.of(400), false)).at()).isEqualTo(ACTIVE.plus(Duration.ofDays(183)));
    }

    @Test
    void personalIdCampaignsUseTheShorterBackstop() {
        assertThat(policy.deadline(facts(OptionalInt.empty(), true)).at()).isEqualTo(ACTIVE.plus(Duration.ofDays(30)));
        assertThat(policy.deadline(facts(OptionalInt.of(90), true)).at()).isEqualTo(ACTIVE.plus(Duration.ofDays(30)));
        assertThat(policy.deadline(facts(OptionalInt.of(7), true)).at()).isEqualTo(ACTIVE.plus(Duration.ofDays(7)));
    }

    @Test
    void receiptTimeCountsWhenLaterThanTheRecordedActivity() {
        Facts f = new Facts(true, ACTIVE.plusSeconds(60), ACTIVE, OptionalInt.empty(), false, Optional.empty(),
                Optional.empty());
        assertThat(policy.deadline(f).at()).isEqualTo(ACTIVE.plusSeconds(60).plus(Duration.ofDays(120)));
    }

    @Test
    void endedCalledThroughAndRejectedAreDueAtOnceInThatPrecedence() {
        Instant end = Instant.parse("2026-03-01T00:00:00Z");
        Instant through = Instant.parse("2026-02-20T00:00:00Z");
        assertThat(policy.deadline(new Facts(false, RECEIVED, ACTIVE, OptionalInt.empty(), false, Optional.of(end),
                Optional.of(through)))).isEqualTo(new RetentionPolicy.Deadline(RECEIVED, Reason.REJECTED));
        assertThat(policy.deadline(new Facts(true, RECEIVED, ACTIVE, OptionalInt.empty(), false, Optional.of(end),
                Optional.of(through)))).isEqualTo(new RetentionPolicy.Deadline(end, Reason.CAMPAIGN_ENDED));
        assertThat(policy.deadline(new Facts(true, RECEIVED, ACTIVE, OptionalInt.empty(), false, Optional.empty(),
                Optional.of(through)))).isEqualTo(new RetentionPolicy.Deadline(through, Reason.CALLED_THROUGH));
    }

    @Test
    void receiptNamesAreUtcSeconds() {
        assertThat(DeletionReceipt.fileName("C1", Instant.parse("2026-05-04T03:02:01.999Z")))
                .isEqualTo("deletion-receipt-C1-20260504030201.txt.asc");
    }
}
