package fi.callgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * A controller organisation's OpenPGP public key, as stored per campaign.
 *
 * <p>{@link #parse} is strict because this key decides who may feed call lists into the dialer:
 * exactly one ASCII-armored transferable public key, v4, not revoked, not expired, with at
 * least one valid self-signed user id and an encryption-capable (sub)key, no RSA/DSA/ElGamal key
 * under 2048 bits. Every self-signature, binding signature, back-signature and revocation is
 * cryptographically verified: BouncyCastle's convenience methods ({@code isEncryptionKey},
 * {@code hasRevocation}, {@code getValidSeconds}) only look at packets and would let anyone
 * graft a subkey onto a key.
 *
 * <p>Signers are identified only by exact key id + fingerprint ({@link #signingKey}), never by
 * user id: Camel's PGP format matches user-id substrings (see STACK.md).
 */
public final class ControllerKey {
    /** A public key block is a few KB; anything much larger is not what we asked for. */
    private static final int MAX_ARMORED_BYTES = 1 << 20;

    private final PGPPublicKeyRing ring;
    private final PGPPublicKey primary;
    private final List<String> userIds;
    private final PGPPublicKey encryptionKey;
    private final Map<Long, ValidKey> signingKeys;
    private final Optional<Instant> primaryExpiry;

    /** A key together with its verified validity window. */
    record ValidKey(PGPPublicKey key, Optional<Instant> expiresAt) {
        boolean expiredAt(Instant now) {
            return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
        }
    }

    private ControllerKey(PGPPublicKeyRing ring, PGPPublicKey primary, List<String> userIds,
            PGPPublicKey encryptionKey, Map<Long, ValidKey> signingKeys, Optional<Instant> primaryExpiry) {
        this.ring = ring;
        this.primary = primary;
        this.userIds = userIds;
        this.encryptionKey = encryptionKey;
        this.signingKeys = signingKeys;
        this.primaryExpiry = primaryExpiry;
    }

    public static ControllerKey parse(InputStream armored) throws PgpException, IOException {
        return parse(armored, Instant.now());
    }

    /** Parses and validates as of {@code now} (tests use a past instant for expired keys). */
    public static ControllerKey parse(InputStream armored, Instant now) throws PgpException, IOException {
        byte[] bytes = armored.readNBytes(MAX_ARMORED_BYTES + 1);
        if (bytes.length > MAX_ARMORED_BYTES) {
            throw new PgpException("not a public key: input is larger than " + MAX_ARMORED_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int begin = text.indexOf("-----BEGIN PGP ");
        if (begin < 0) {
            throw new PgpException("not an ASCII-armored OpenPGP public key (expected '-----BEGIN PGP PUBLIC KEY BLOCK-----'; use gpg --armor --export)");
        }
        if (text.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----", begin)) {
            throw new PgpException("this is a secret (private) key; send only the public key (gpg --armor --export), and consider this secret key exposed");
        }
        if (!text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", begin)) {
            int eol = text.indexOf('\n', begin);
            throw new PgpException("not a public key: armor header is " + text.substring(begin, eol < 0 ? text.length() : eol).strip());
        }
        if (text.indexOf("-----BEGIN PGP ", begin + 1) >= 0) {
            throw new PgpException("more than one armored block; send exactly one public key");
        }

        PGPPublicKeyRing ring;
        try (ArmoredInputStream in = ArmoredInputStream.builder().build(new ByteArrayInputStream(bytes, begin, bytes.length - begin))) {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            Object first = factory.nextObject();
            if (first instanceof PGPSecretKeyRing) {
                throw new PgpException("this is a secret (private) key; send only the public key");
            }
            if (!(first instanceof PGPPublicKeyRing r)) {
                throw new PgpException("not a public key: the armored block holds "
                        + (first == null ? "nothing" : first.getClass().getSimpleName()));
            }
            ring = r;
            Object next = factory.nextObject();
            if (next instanceof PGPPublicKeyRing || next instanceof PGPSecretKeyRing) {
                throw new PgpException("more than one key in the block; send exactly one public key");
            }
            if (next != null && !(next instanceof PGPSignatureList)) {
                throw new PgpException("unexpected data after the public key: " + next.getClass().getSimpleName());
            }
        } catch (PgpException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PgpException("not a valid OpenPGP public key: " + e.getMessage(), e);
        }
        try {
            return validate(ring, now);
        } catch (PGPException e) {
            throw new PgpException("invalid public key: " + e.getMessage(), e);
        }
    }

    private static ControllerKey validate(PGPPublicKeyRing ring, Instant now) throws PgpException, PGPException {
        PGPPublicKey primary = ring.getPublicKey();
        if (primary.getVersion() != 4) {
            throw new PgpException("unsupported key version " + primary.getVersion() + " (only v4 keys, as GnuPG 2.2 makes them)");
        }
        checkStrength(primary, "primary key");
        if (verifiedSignatures(primary, PGPSignature.KEY_REVOCATION, primary, sig -> sig.verifyCertification(primary)).size() > 0) {
            throw new PgpException("key " + GatewayKey.hex(primary.getFingerprint()) + " is revoked");
        }

        // Valid user ids: newest verifying self-certification per uid, not followed by a verified uid revocation.
        List<String> userIds = new ArrayList<>();
        PGPSignature bestSelfSig = null;
        for (Iterator<String> it = primary.getUserIDs(); it.hasNext(); ) {
            String uid = it.next();
            PGPSignature cert = null;
            Date0 revokedAt = new Date0();
            for (Iterator<PGPSignature> s = primary.getSignaturesForID(uid); s.hasNext(); ) {
                PGPSignature sig = s.next();
                if (sig.getKeyID() != primary.getKeyID() && !issuedBy(sig, primary)) {
                    continue; // third-party certifications do not matter here
                }
                sig.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (!sig.verifyCertification(uid, primary)) {
                    continue;
                }
                if (sig.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION) {
                    revokedAt.max(sig.getCreationTime().toInstant());
                } else if (PGPSignature.isCertification(sig.getSignatureType())
                        && (cert == null || sig.getCreationTime().after(cert.getCreationTime()))) {
                    cert = sig;
                }
            }
            if (cert != null && (revokedAt.value == null || revokedAt.value.isBefore(cert.getCreationTime().toInstant()))) {
                userIds.add(uid);
                boolean primaryUid = cert.getHashedSubPackets().isPrimaryUserID();
                if (bestSelfSig == null || primaryUid && !bestSelfSig.getHashedSubPackets().isPrimaryUserID()
                        || primaryUid == bestSelfSig.getHashedSubPackets().isPrimaryUserID()
                                && cert.getCreationTime().after(bestSelfSig.getCreationTime())) {
                    bestSelfSig = cert;
                }
            }
        }
        if (bestSelfSig == null) {
            throw new PgpException("key has no valid self-signed user id");
        }
        Optional<Instant> primaryExpiry = expiry(primary, bestSelfSig);
        if (primaryExpiry.isPresent() && !now.isBefore(primaryExpiry.get())) {
            throw new PgpException("key " + GatewayKey.hex(primary.getFingerprint()) + " expired on " + primaryExpiry.get());
        }

        Map<Long, ValidKey> signing = new LinkedHashMap<>();
        List<ValidKey> encryption = new ArrayList<>();
        int primaryFlags = flags(bestSelfSig, primary);
        if ((primaryFlags & KeyFlags.SIGN_DATA) != 0 && canSign(primary.getAlgorithm())) {
            signing.put(primary.getKeyID(), new ValidKey(primary, primaryExpiry));
        }
        if ((primaryFlags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0 && canEncrypt(primary.getAlgorithm())) {
            encryption.add(new ValidKey(primary, primaryExpiry));
        }

        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey sub = it.next();
            if (sub.isMasterKey()) {
                continue;
            }
            if (!verifiedSignatures(sub, PGPSignature.SUBKEY_REVOCATION, primary,
                    sig -> sig.verifyCertification(primary, sub)).isEmpty()) {
                continue; // revoked subkey: ignored, the rest of the key may still be fine
            }
            PGPSignature binding = verifiedSignatures(sub, PGPSignature.SUBKEY_BINDING, primary,
                    sig -> sig.verifyCertification(primary, sub)).stream()
                    .max((a, b) -> a.getCreationTime().compareTo(b.getCreationTime())).orElse(null);
            if (binding == null) {
                continue; // not bound to this primary key: a grafted subkey, ignore it
            }
            Optional<Instant> subExpiry = expiry(sub, binding);
            if (subExpiry.isPresent() && !now.isBefore(subExpiry.get())) {
                continue;
            }
            if (primaryExpiry.isPresent() && (subExpiry.isEmpty() || subExpiry.get().isAfter(primaryExpiry.get()))) {
                subExpiry = primaryExpiry; // a subkey is never valid longer than its primary
            }
            checkStrength(sub, "subkey " + GatewayKey.hex(sub.getFingerprint()));
            int f = flags(binding, sub);
            if ((f & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0 && canEncrypt(sub.getAlgorithm())) {
                encryption.add(new ValidKey(sub, subExpiry));
            }
            if ((f & KeyFlags.SIGN_DATA) != 0 && canSign(sub.getAlgorithm()) && hasValidBackSignature(binding, primary, sub)) {
                signing.put(sub.getKeyID(), new ValidKey(sub, subExpiry));
            }
        }
        if (encryption.isEmpty()) {
            throw new PgpException("key has no valid encryption-capable (sub)key (all missing, expired or revoked)");
        }
        // Newest encryption subkey, as GnuPG chooses.
        PGPPublicKey enc = encryption.stream()
                .max((a, b) -> a.key().getCreationTime().compareTo(b.key().getCreationTime())).get().key();
        return new ControllerKey(ring, primary, Collections.unmodifiableList(userIds), enc,
                Collections.unmodifiableMap(signing), primaryExpiry);
    }

    /** Mutable holder so the loop above stays readable. */
    private static final class Date0 {
        Instant value;

        void max(Instant i) {
            if (value == null || i.isAfter(value)) {
                value = i;
            }
        }
    }

    @FunctionalInterface
    private interface SigCheck {
        boolean verify(PGPSignature sig) throws PGPException;
    }

    private static List<PGPSignature> verifiedSignatures(PGPPublicKey on, int type, PGPPublicKey issuer, SigCheck check)
            throws PGPException {
        List<PGPSignature> out = new ArrayList<>();
        for (Iterator<PGPSignature> it = on.getSignaturesOfType(type); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() != issuer.getKeyID() && !issuedBy(sig, issuer)) {
                continue;
            }
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), issuer);
                if (check.verify(sig)) {
                    out.add(sig);
                }
            } catch (PGPException | RuntimeException e) {
                // an unverifiable signature counts as absent
            }
        }
        return out;
    }

    private static boolean issuedBy(PGPSignature sig, PGPPublicKey key) {
        var fp = sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
        return fp != null && Arrays.equals(fp.getFingerprint(), key.getFingerprint());
    }

    private static boolean hasValidBackSignature(PGPSignature binding, PGPPublicKey primary, PGPPublicKey sub) {
        try {
            PGPSignatureList embedded = binding.getHashedSubPackets().getEmbeddedSignatures();
            for (PGPSignature back : embedded) {
                if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING) {
                    back.init(new BcPGPContentVerifierBuilderProvider(), sub);
                    if (back.verifyCertification(primary, sub)) {
                        return true;
                    }
                }
            }
        } catch (PGPException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static Optional<Instant> expiry(PGPPublicKey key, PGPSignature selfSig) {
        long seconds = selfSig.getHashedSubPackets() == null ? 0 : selfSig.getHashedSubPackets().getKeyExpirationTime();
        return seconds <= 0 ? Optional.empty() : Optional.of(key.getCreationTime().toInstant().plusSeconds(seconds));
    }

    private static int flags(PGPSignature selfSig, PGPPublicKey key) {
        if (selfSig.getHashedSubPackets() != null && selfSig.getHashedSubPackets().hasSubpacket(
                org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)) {
            return selfSig.getHashedSubPackets().getKeyFlags();
        }
        // Keys without a key-flags subpacket (very old GnuPG): what the algorithm can do.
        int f = 0;
        if (canSign(key.getAlgorithm())) {
            f |= KeyFlags.SIGN_DATA;
        }
        if (canEncrypt(key.getAlgorithm())) {
            f |= KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE;
        }
        return f;
    }

    private static boolean canEncrypt(int algo) {
        return algo == PublicKeyAlgorithmTags.RSA_GENERAL || algo == PublicKeyAlgorithmTags.RSA_ENCRYPT
                || algo == PublicKeyAlgorithmTags.ECDH || algo == PublicKeyAlgorithmTags.X25519
                || algo == PublicKeyAlgorithmTags.X448 || algo == PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT;
    }

    private static boolean canSign(int algo) {
        return algo == PublicKeyAlgorithmTags.RSA_GENERAL || algo == PublicKeyAlgorithmTags.RSA_SIGN
                || algo == PublicKeyAlgorithmTags.DSA || algo == PublicKeyAlgorithmTags.ECDSA
                || algo == PublicKeyAlgorithmTags.EDDSA_LEGACY || algo == PublicKeyAlgorithmTags.Ed25519
                || algo == PublicKeyAlgorithmTags.Ed448;
    }

    private static void checkStrength(PGPPublicKey key, String what) throws PgpException {
        int algo = key.getAlgorithm();
        boolean finiteField = algo == PublicKeyAlgorithmTags.RSA_GENERAL || algo == PublicKeyAlgorithmTags.RSA_ENCRYPT
                || algo == PublicKeyAlgorithmTags.RSA_SIGN || algo == PublicKeyAlgorithmTags.DSA
                || algo == PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT || algo == PublicKeyAlgorithmTags.ELGAMAL_GENERAL;
        if (finiteField && key.getBitStrength() < 2048) {
            throw new PgpException("weak key: " + what + " is " + algorithmName(algo) + " " + key.getBitStrength()
                    + " bits; at least 2048 required (or use ed25519/cv25519)");
        }
        if (algo == PublicKeyAlgorithmTags.ELGAMAL_GENERAL) {
            throw new PgpException("weak key: " + what + " uses sign+encrypt ElGamal (algorithm 20), which is broken");
        }
    }

    private static String algorithmName(int algo) {
        return switch (algo) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_ENCRYPT, PublicKeyAlgorithmTags.RSA_SIGN -> "RSA";
            case PublicKeyAlgorithmTags.DSA -> "DSA";
            default -> "ElGamal";
        };
    }

    /** Primary fingerprint, 40 upper-case hex digits. */
    public String fingerprint() {
        return GatewayKey.hex(primary.getFingerprint());
    }

    /** Verified (self-signed, not revoked) user ids. For display only: never used to identify a signer. */
    public List<String> userIds() {
        return userIds;
    }

    /** Fingerprint of the (newest valid) encryption-capable key exports are encrypted to. */
    public String encryptionKeyFingerprint() {
        return GatewayKey.hex(encryptionKey.getFingerprint());
    }

    /** Fingerprints of the keys whose data signatures are accepted (primary and/or back-signed signing subkeys). */
    public Set<String> signingKeyFingerprints() {
        Set<String> out = new LinkedHashSet<>();
        signingKeys.values().forEach(k -> out.add(GatewayKey.hex(k.key().getFingerprint())));
        return Collections.unmodifiableSet(out);
    }

    /** Key ids (low 64 bits of the fingerprints) of {@link #signingKeyFingerprints()}. */
    public Set<Long> signingKeyIds() {
        return signingKeys.keySet();
    }

    /** When the primary key expires, if it does. */
    public Optional<Instant> expiresAt() {
        return primaryExpiry;
    }

    /** The validated key, re-armored (what to store; re-parse it with {@link #parse}). */
    public String armored() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
                ring.encode(armor, true);
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory armoring failed", e);
        }
    }

    PGPPublicKey encryptionKey() {
        return encryptionKey;
    }

    /**
     * The signing key with exactly this key id and, if the signature carries one, exactly this
     * issuer fingerprint. Empty if no such key is a valid signing key of this controller.
     */
    Optional<ValidKey> signingKey(long keyId, byte[] issuerFingerprintOrNull) {
        ValidKey k = signingKeys.get(keyId);
        if (k == null) {
            return Optional.empty();
        }
        if (issuerFingerprintOrNull != null && !Arrays.equals(issuerFingerprintOrNull, k.key().getFingerprint())) {
            return Optional.empty();
        }
        return Optional.of(k);
    }
}
