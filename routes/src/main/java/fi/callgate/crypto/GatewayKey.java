package fi.callgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;

/**
 * The gateway's own OpenPGP key: controllers encrypt uploads to it, and it signs reports,
 * exports and deletion receipts.
 *
 * <p>A v4 key, because GnuPG 2.2 (what controllers run) understands only v4: an Ed25519
 * ("EdDSA legacy", algorithm 22) primary key for certify+sign and a Curve25519 ECDH subkey for
 * encryption. The self-signatures advertise AES-256/AES-128, SHA-512/SHA-256, ZLIB/ZIP/none and
 * only the "modification detection" feature: no AEAD/OCB flag, so GnuPG 2.4 also falls back to
 * integrity-protected SEIPD v1, the one format {@link PgpDecryptor} handles. No expiry: the key
 * is an appliance identity rotated by an operator, not by a calendar.
 *
 * <p>The secret key is stored unencrypted (ASCII-armored) in a file readable only by the owner
 * (0600), like an SSH host key: the appliance must start unattended. It is not personal data.
 */
public final class GatewayKey {
    private static final Set<PosixFilePermission> SECRET_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private final PGPSecretKeyRing secretRing;
    private final PGPPublicKeyRing publicRing;
    private final PGPPublicKey signingKey;
    private final PGPPrivateKey signingPrivateKey;
    private final PGPPublicKey encryptionKey;
    private final PGPPrivateKey decryptionPrivateKey;

    private GatewayKey(PGPSecretKeyRing secretRing) throws PgpException {
        this.secretRing = secretRing;
        this.publicRing = toPublicRing(secretRing);
        PGPPublicKey sign = null;
        PGPPublicKey enc = null;
        for (Iterator<PGPPublicKey> it = publicRing.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey k = it.next();
            if (k.isMasterKey()) {
                sign = k;
            } else if (k.isEncryptionKey()) {
                enc = k;
            }
        }
        if (sign == null || enc == null) {
            throw new PgpException("gateway key ring lacks a signing primary key or an encryption subkey");
        }
        this.signingKey = sign;
        this.encryptionKey = enc;
        this.signingPrivateKey = extract(secretRing.getSecretKey(sign.getKeyID()));
        this.decryptionPrivateKey = extract(secretRing.getSecretKey(enc.getKeyID()));
    }

    /**
     * Loads the key pair, or generates and stores it on first start.
     *
     * <p>Crash safety: the secret file is written first, the public file second, each by
     * temp-file + fsync + atomic rename, so a crash leaves either nothing, or a complete secret
     * key (from which the public file is re-derived on the next start). A public file without a
     * secret file is refused rather than silently replaced by a new identity.
     */
    public static GatewayKey loadOrCreate(Path secretKeyFile, Path publicKeyFile, String userId)
            throws IOException, PgpException {
        if (Files.exists(secretKeyFile)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(secretKeyFile);
            // Like sshd with host keys: a secret key others can read is treated as compromised.
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new PgpException("gateway secret key " + secretKeyFile
                        + " is accessible by group/others (" + PosixFilePermissions.toString(perms) + "); chmod 600 it");
            }
            GatewayKey key;
            try (InputStream in = Files.newInputStream(secretKeyFile)) {
                key = new GatewayKey(readSecretRing(in));
            }
            if (!Files.exists(publicKeyFile)) {
                writeAtomically(publicKeyFile, key.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), PUBLIC_PERMS);
            }
            return key;
        }
        if (Files.exists(publicKeyFile)) {
            throw new PgpException("gateway public key " + publicKeyFile + " exists but its secret key "
                    + secretKeyFile + " is missing; refusing to create a new gateway identity over it");
        }
        GatewayKey key = new GatewayKey(generate(userId, new Date()));
        writeAtomically(secretKeyFile, key.armored(key.secretRing), SECRET_PERMS);
        writeAtomically(publicKeyFile, key.armoredPublicKey().getBytes(StandardCharsets.US_ASCII), PUBLIC_PERMS);
        return key;
    }

    /** Generates a key pair in memory only (tests, tools). */
    public static GatewayKey generateInMemory(String userId) throws PgpException {
        return new GatewayKey(generate(userId, new Date()));
    }

    /** The public key (primary + encryption subkey), ASCII-armored, as {@code gpg --import} takes it. */
    public String armoredPublicKey() {
        return new String(armored(publicRing), StandardCharsets.US_ASCII);
    }

    /** Fingerprint of the primary key, 40 upper-case hex digits, as {@code gpg --with-colons} prints it. */
    public String fingerprint() {
        return hex(signingKey.getFingerprint());
    }

    /** Fingerprint of the encryption subkey. */
    public String encryptionSubkeyFingerprint() {
        return hex(encryptionKey.getFingerprint());
    }

    PGPPublicKeyRing publicRing() {
        return publicRing;
    }

    PGPPublicKey signingKey() {
        return signingKey;
    }

    PGPPrivateKey signingPrivateKey() {
        return signingPrivateKey;
    }

    PGPPublicKey encryptionKey() {
        return encryptionKey;
    }

    PGPPrivateKey decryptionPrivateKey() {
        return decryptionPrivateKey;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
    }

    private static PGPSecretKeyRing generate(String userId, Date now) throws PgpException {
        if (userId == null || userId.isBlank()) {
            throw new PgpException("gateway key needs a user id");
        }
        try {
            SecureRandom random = new SecureRandom();
            // Whole seconds: OpenPGP timestamps have no sub-second part, and BC would truncate anyway.
            Date created = new Date(now.getTime() / 1000 * 1000);

            Ed25519KeyPairGenerator edGen = new Ed25519KeyPairGenerator();
            edGen.init(new Ed25519KeyGenerationParameters(random));
            AsymmetricCipherKeyPair ed = edGen.generateKeyPair();
            X25519KeyPairGenerator xGen = new X25519KeyPairGenerator();
            xGen.init(new X25519KeyGenerationParameters(random));
            AsymmetricCipherKeyPair x = xGen.generateKeyPair();

            PGPKeyPair primary = new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, ed, created);
            // ECDH with the legacy cv25519 OID; BC picks the KDF parameters GnuPG uses (SHA-256, AES-128 wrap).
            PGPKeyPair sub = new BcPGPKeyPair(PublicKeyAlgorithmTags.ECDH, x, created);

            PGPSignatureSubpacketGenerator primaryPrefs = new PGPSignatureSubpacketGenerator();
            primaryPrefs.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            primaryPrefs.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            primaryPrefs.setPreferredHashAlgorithms(false,
                    new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
            primaryPrefs.setPreferredCompressionAlgorithms(false, new int[] {
                CompressionAlgorithmTags.ZLIB, CompressionAlgorithmTags.ZIP, CompressionAlgorithmTags.UNCOMPRESSED});
            // Modification detection (SEIPD v1) only; deliberately no AEAD/OCB/SEIPDv2 flags.
            primaryPrefs.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            primaryPrefs.setPrimaryUserID(false, true);
            primaryPrefs.setIssuerFingerprint(false, primary.getPublicKey());

            PGPSignatureSubpacketGenerator subPrefs = new PGPSignatureSubpacketGenerator();
            subPrefs.setKeyFlags(true, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
            subPrefs.setIssuerFingerprint(false, primary.getPublicKey());

            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(
                    org.bouncycastle.openpgp.PGPSignature.POSITIVE_CERTIFICATION,
                    primary,
                    userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    primaryPrefs.generate(),
                    null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA512),
                    null); // unprotected secret key: the appliance starts unattended; the file is 0600
            gen.addSubKey(sub, subPrefs.generate(), null);
            return gen.generateSecretKeyRing();
        } catch (PGPException e) {
            throw new PgpException("could not generate the gateway key: " + e.getMessage(), e);
        }
    }

    private static PGPSecretKeyRing readSecretRing(InputStream in) throws IOException, PgpException {
        try {
            return new PGPSecretKeyRing(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (PGPException | RuntimeException e) {
            throw new PgpException("gateway secret key file is not a valid OpenPGP secret key: " + e.getMessage(), e);
        }
    }

    private static PGPPublicKeyRing toPublicRing(PGPSecretKeyRing secret) throws PgpException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Iterator<PGPPublicKey> it = secret.getPublicKeys(); it.hasNext(); ) {
                it.next().encode(out);
            }
            return new PGPPublicKeyRing(new ByteArrayInputStream(out.toByteArray()), new BcKeyFingerprintCalculator());
        } catch (IOException e) {
            throw new PgpException("could not derive the gateway public key: " + e.getMessage(), e);
        }
    }

    private static PGPPrivateKey extract(PGPSecretKey secretKey) throws PgpException {
        try {
            return secretKey.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                    .build(new char[0]));
        } catch (PGPException e) {
            throw new PgpException("gateway secret key cannot be unlocked (passphrase-protected keys are not supported): "
                    + e.getMessage(), e);
        }
    }

    private byte[] armored(Object ring) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
                if (ring instanceof PGPSecretKeyRing s) {
                    s.encode(armor);
                } else {
                    ((PGPPublicKeyRing) ring).encode(armor, true);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory armoring failed", e);
        }
    }

    /** Temp file created with its final permissions (no window where the secret is world-readable), fsync, rename, fsync dir. */
    static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(content);
                out.flush();
                ch.force(true);
            }
            // createTempFile applies the umask-independent attribute, but be explicit for 0644.
            Files.setPosixFilePermissions(tmp, perms);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
