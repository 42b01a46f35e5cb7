package fi.callgate.gateway.accounts;

import java.time.Instant;
import java.util.Optional;

/** A personal account. {@code org} is the client organisation, set for controllers only. */
public record Account(String name, Role role, Optional<String> org, boolean disabled, boolean hasPassword,
                      Instant createdAt) {
}
