package fi.callgate.agreement;

import java.util.Optional;

/**
 * Who an agreement is with, within one campaign: its controller (the client organisation) or one of its
 * list suppliers (by account name).
 */
public record Party(String campaign, Optional<String> supplier) {
    /** The key under which the controller's own settings are stored ({@code party_method.party}). */
    static final String CONTROLLER_KEY = "*controller";

    public static Party controller(String campaign) {
        return new Party(campaign, Optional.empty());
    }

    public static Party supplier(String campaign, String account) {
        return new Party(campaign, Optional.of(account));
    }

    public boolean isController() {
        return supplier.isEmpty();
    }

    String key() {
        return supplier.orElse(CONTROLLER_KEY);
    }

    @Override
    public String toString() {
        return campaign + "/" + supplier.map(s -> "supplier " + s).orElse("controller");
    }
}
