package fi.callgate.pipeline.stage;

import fi.callgate.crypto.ControllerKey;
import fi.callgate.crypto.PgpException;
import fi.callgate.domain.Campaign;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign's controller key, parsed and checked as of a given time (expiry and revocation are checked
 * at every use, not only when IT set the key). Empty when the campaign has none or it is no longer usable.
 */
public final class ControllerKeys {
    private static final Logger log = LoggerFactory.getLogger(ControllerKeys.class);

    private ControllerKeys() {
    }

    public static Optional<ControllerKey> of(Campaign campaign, Instant now) {
        return parse(campaign.controllerKeyArmored(), "campaign " + campaign.id() + ": controller", now);
    }

    /** A supplier's own key (set with {@code campaign pgp-key ID --party ACCOUNT}), checked the same way. */
    public static Optional<ControllerKey> ofSupplier(fi.callgate.agreement.Agreements agreements,
                                                     fi.callgate.agreement.Party supplier, Instant now) {
        return parse(agreements.store().pgpKey(supplier), supplier.toString(), now);
    }

    private static Optional<ControllerKey> parse(Optional<String> armored, String whose, Instant now) {
        if (armored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControllerKey.parse(new ByteArrayInputStream(
                    armored.get().getBytes(StandardCharsets.UTF_8)), now));
        } catch (PgpException | IOException e) {
            log.warn("{} key unusable: {}", whose, e.getMessage());
            return Optional.empty();
        }
    }
}
