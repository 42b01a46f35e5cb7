package fi.callgate.gateway.accounts;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of CONTRACT §2 and §7 (the supplier: a list vendor's person delivering lists on a controller's
 * behalf). There is no marketer role: marketers never get files.
 */
public enum Role {
    ADMIN, SUPERVISOR, CONTROLLER, DIALER, SUPPLIER;

    /** Controllers and suppliers are people of another organisation, named with --org. */
    public boolean hasOrg() {
        return this == CONTROLLER || this == SUPPLIER;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String code) {
        for (Role r : values()) {
            if (r.code().equals(code)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
