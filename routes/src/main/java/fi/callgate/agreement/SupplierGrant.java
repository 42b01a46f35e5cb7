package fi.callgate.agreement;

import java.time.Instant;
import java.util.Optional;

/** A supplier's permission to deliver lists to a campaign under a written agreement; ended once withdrawn. */
public record SupplierGrant(String campaign, String account, String agreement, Instant grantedAt, String grantedBy,
                           Optional<Instant> endedAt) {
    public boolean isActive() {
        return endedAt.isEmpty();
    }
}
