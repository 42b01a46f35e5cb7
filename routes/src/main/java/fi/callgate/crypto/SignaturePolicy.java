package fi.callgate.crypto;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * The signer rules of one decryption: decided from the one-pass signature packets before any plaintext is
 * released ({@link #choose}), and checked against the signature packet after the MDC ({@link #verify}).
 * Matching is by exact key id and issuer fingerprint, never by user id (Camel's substring match let
 * {@code Evil <ops@partner.fi.evil.example>} pass for {@code ops@partner.fi}).
 */
final class SignaturePolicy {
    private final Clock clock;
    private final Optional<ControllerKey> requiredSigner;

    SignaturePolicy(Clock clock, Optional<ControllerKey> requiredSigner) {
        this.clock = clock;
        this.requiredSigner = requiredSigner;
    }

    boolean required() {
        return requiredSigner.isPresent();
    }

    /** The one-pass signature to hash the plaintext with, or null when no signature is required. */
    PGPOnePassSignature choose(PGPOnePassSignatureList opsList) {
        if (requiredSigner.isEmpty()) {
            return null;
        }
        ControllerKey controller = requiredSigner.get();
        if (opsList == null || opsList.isEmpty()) {
            throw DecryptRefusal.of(DecryptFailure.SIGNATURE_MISSING, "the campaign requires files signed by the"
                    + " controller key " + controller.fingerprint() + "; this file is not signed");
        }
        for (PGPOnePassSignature ops : opsList) {
            Optional<ControllerKey.ValidKey> k = controller.signingKey(ops.getKeyID(), null);
            if (k.isPresent()) {
                if (k.get().expiredAt(clock.instant())) {
                    throw DecryptRefusal.of(DecryptFailure.SIGNER_KEY_EXPIRED_OR_REVOKED, "the controller signing key "
                            + GatewayKey.hex(k.get().key().getFingerprint()) + " expired on " + k.get().expiresAt().get());
                }
                try {
                    // JDK providers: the signature hashes the whole plaintext, SHA-2 intrinsics matter.
                    ops.init(new JcaPGPContentVerifierBuilderProvider(), k.get().key());
                } catch (PGPException e) {
                    try {
                        ops.init(new JcaPGPContentVerifierBuilderProvider().setProvider(Providers.BC), k.get().key());
                    } catch (PGPException e2) {
                        throw DecryptRefusal.of(DecryptFailure.UNSUPPORTED_ALGORITHM,
                                "cannot verify this signature type: " + e2.getMessage(), e2);
                    }
                }
                return ops;
            }
        }
        List<String> ids = new ArrayList<>();
        opsList.forEach(o -> ids.add(String.format("%016X", o.getKeyID())));
        throw DecryptRefusal.of(DecryptFailure.WRONG_SIGNER, "signed by key id " + String.join(", ", ids)
                + ", which is not a signing key of the campaign's controller key " + controller.fingerprint());
    }

    /** The verified signer's fingerprint, after the plaintext went through {@code ops}; empty if none was required. */
    Optional<String> verify(PGPOnePassSignature ops, PGPSignatureList sigs) {
        if (ops == null) {
            return Optional.empty();
        }
        ControllerKey controller = requiredSigner.orElseThrow();
        if (sigs == null) {
            throw DecryptRefusal.of(DecryptFailure.BAD_SIGNATURE, "one-pass signature header without a signature packet");
        }
        for (PGPSignature sig : sigs) {
            if (sig.getKeyID() != ops.getKeyID()) {
                continue;
            }
            byte[] issuerFpr = sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null
                    ? sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint() : null;
            Optional<ControllerKey.ValidKey> k = controller.signingKey(sig.getKeyID(), issuerFpr);
            if (k.isEmpty()) {
                throw DecryptRefusal.of(DecryptFailure.WRONG_SIGNER, "signature issuer fingerprint does not match the"
                        + " controller key " + controller.fingerprint());
            }
            if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                throw DecryptRefusal.of(DecryptFailure.BAD_SIGNATURE, "not a document signature (type " + sig.getSignatureType() + ")");
            }
            Instant created = sig.getCreationTime().toInstant();
            if (k.get().expiresAt().isPresent() && !created.isBefore(k.get().expiresAt().get())) {
                throw DecryptRefusal.of(DecryptFailure.SIGNER_KEY_EXPIRED_OR_REVOKED, "signature made after the signing key expired");
            }
            try {
                if (!ops.verify(sig)) {
                    throw DecryptRefusal.of(DecryptFailure.BAD_SIGNATURE,
                            "the controller's signature does not verify: the file was changed after signing");
                }
            } catch (PGPException | RuntimeException e) {
                if (e instanceof DecryptRefusal r) {
                    throw r;
                }
                throw DecryptRefusal.of(DecryptFailure.BAD_SIGNATURE, "the controller's signature cannot be verified: "
                        + e.getMessage(), e);
            }
            return Optional.of(GatewayKey.hex(k.get().key().getFingerprint()));
        }
        throw DecryptRefusal.of(DecryptFailure.BAD_SIGNATURE, "no signature packet for the one-pass signature by "
                + String.format("%016X", ops.getKeyID()));
    }
}
