package fi.callgate.agreement;

import fi.callgate.crypto.AesZipWriter;
import fi.callgate.crypto.ControllerKey;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpEncryptor;
import fi.callgate.crypto.PgpException;
import fi.callgate.domain.Campaign;
import fi.callgate.store.CampaignStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelope for everything Callgate returns to a party (reports, exports, notices, recordings): OpenPGP
 * to the party's key and signed by the gateway, or an AES-256 zip with the agreed passphrase. Deletion
 * receipts are not sealed here: they stay OpenPGP clear-signed for everyone.
 */
public final class Envelopes {
    private static final Logger log = LoggerFactory.getLogger(Envelopes.class);
    private final Agreements agreements;
    private final CampaignStore campaigns;
    private final GatewayKey gatewayKey;
    private final Clock clock;
    private final PgpEncryptor pgp = new PgpEncryptor();

    public Envelopes(Agreements agreements, CampaignStore campaigns, GatewayKey gatewayKey, Clock clock) {
        this.agreements = agreements;
        this.campaigns = campaigns;
        this.gatewayKey = gatewayKey;
        this.clock = clock;
    }

    /** The party's envelope now; empty when it has no usable key or passphrase (nothing can be sent to it). */
    public Optional<Envelope> forParty(Party party) {
        return switch (agreements.store().method(party)) {
            case OPENPGP -> recipientKey(party).map(this::pgpEnvelope);
            case AES_ZIP -> agreements.passphrases().of(party).map(Envelopes::zipEnvelope);
        };
    }

    /**
     * The party's envelope for a file whose name was fixed earlier (a batch resumed after a crash): the
     * method its suffix names, even if the agreement changed since, so the name never lies about the content.
     */
    public Optional<Envelope> forFile(Party party, String fileName) {
        if (fileName.endsWith(".zip")) {
            return agreements.passphrases().of(party).map(Envelopes::zipEnvelope);
        }
        return recipientKey(party).map(this::pgpEnvelope);
    }

    private Optional<ControllerKey> recipientKey(Party party) {
        Optional<String> armored = party.isController()
                ? campaigns.find(party.campaign()).flatMap(Campaign::controllerKeyArmored)
                : agreements.store().pgpKey(party);
        if (armored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControllerKey.parse(new ByteArrayInputStream(armored.get()
                    .getBytes(StandardCharsets.UTF_8)), clock.instant()));
        } catch (PgpException | IOException e) {
            log.warn("{}: OpenPGP key unusable: {}", party, e.getMessage());
            return Optional.empty();
        }
    }

    private Envelope pgpEnvelope(ControllerKey key) {
        return new Envelope() {
            @Override
            public String suffix() {
                return ".gpg";
            }

            @Override
            public OutputStream open(OutputStream target, String innerName) throws IOException {
                try {
                    return pgp.open(target, key, gatewayKey, innerName);
                } catch (PgpException e) {
                    throw new IOException("OpenPGP encryption failed: " + e.getMessage(), e);
                }
            }
        };
    }

    private static Envelope zipEnvelope(char[] passphrase) {
        return new Envelope() {
            @Override
            public String suffix() {
                return ".zip";
            }

            @Override
            public OutputStream open(OutputStream target, String innerName) throws IOException {
                try {
                    return AesZipWriter.open(target, passphrase, innerName);
                } finally {
                    // zip4j derived its keys when the entry was opened; our copy is no longer needed.
                    Arrays.fill(passphrase, '\0');
                }
            }
        };
    }
}
