package fi.callgate.gateway.commands;

import java.util.List;

/** The OpenPGP operations the commands need, implemented with the routes module's crypto. */
public interface PgpKeys {
    String gatewayPublicKey();

    String gatewayFingerprint();

    /** Checks an armored controller key; throws IllegalArgumentException with the reason if unusable. */
    ControllerKeyInfo checkControllerKey(String armored);

    record ControllerKeyInfo(String fingerprint, List<String> userIds, String armored) {
    }
}
