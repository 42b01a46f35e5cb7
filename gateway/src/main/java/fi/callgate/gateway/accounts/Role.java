package fi.callgate.gateway.accounts;

import java.util.Locale;
import java.util.Optional;

/** The four roles of CONTRACT §2. There is no marketer role: marketers never get files. */
public enum Role {
    ADMIN, SUPERVISOR, CONTROLLER, DIALER;

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
