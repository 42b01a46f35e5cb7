package fi.callgate.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A calling campaign run for one client organisation. {@code retentionDays} overrides the configured
 * backstop (never above the maximum); {@code personalId} allows Finnish personal identity codes, with the
 * shorter backstop; {@code dialerFields} are the only person fields the dialer gets besides the phone.
 */
public record Campaign(String id, String org, LocalDate endsOn, OptionalInt retentionDays, boolean personalId,
                       boolean requireSignature, List<String> dialerFields, Optional<String> controllerKeyArmored,
                       Optional<String> controllerKeyFingerprint, Status status, Instant createdAt,
                       Instant lastActivityAt) {

    public enum Status { ACTIVE, ENDED }

    /** Person fields a campaign may hand to the dialer; never the personal id, the source or the email by default. */
    public static final List<String> DIALER_FIELD_CHOICES =
            List.of("first_name", "last_name", "email", "street", "postal_code", "city");

    public static final List<String> DEFAULT_DIALER_FIELDS = List.of("first_name", "last_name");

    public boolean isActive() {
        return status == Status.ACTIVE;
    }
}
