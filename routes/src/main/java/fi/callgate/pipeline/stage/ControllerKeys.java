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
        if (campaign.controllerKeyArmored().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControllerKey.parse(new ByteArrayInputStream(
                    campaign.controllerKeyArmored().get().getBytes(StandardCharsets.UTF_8)), now));
        } catch (PgpException | IOException e) {
            log.warn("campaign {}: controller key unusable: {}", campaign.id(), e.getMessage());
            return Optional.empty();
        }
    }
}
