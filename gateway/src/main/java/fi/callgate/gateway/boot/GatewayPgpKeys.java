package fi.callgate.gateway.boot;

import fi.callgate.crypto.ControllerKey;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpException;
import fi.callgate.gateway.commands.PgpKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The commands' view of OpenPGP, backed by the routes module's crypto package. */
final class GatewayPgpKeys implements PgpKeys {
    private final GatewayKey gatewayKey;

    GatewayPgpKeys(GatewayKey gatewayKey) {
        this.gatewayKey = gatewayKey;
    }

    @Override
    public String gatewayPublicKey() {
        return gatewayKey.armoredPublicKey();
    }

    @Override
    public String gatewayFingerprint() {
        return gatewayKey.fingerprint();
    }

    @Override
    public PgpKeys.ControllerKeyInfo checkControllerKey(String armored) {
        try {
            ControllerKey key = ControllerKey.parse(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)));
            return new PgpKeys.ControllerKeyInfo(key.fingerprint(), key.userIds(), key.armored());
        } catch (PgpException | IOException e) {
            throw new IllegalArgumentException("controller key refused: " + e.getMessage());
        }
    }
}
