package fi.callgate.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * Streaming sign-then-encrypt for reports and exports sent to a controller: AES-256, integrity
 * protected (SEIPD v1 + MDC, what GnuPG 2.2 reads), one-pass signature by the gateway key with
 * SHA-256, optional ZLIB, binary output. Never Camel's defaults (CAST5, SHA-1, ZIP).
 *
 * <p>Structure: SEIPD( [ZLIB]( OnePassSig, Literal, Signature ) ), as {@code gpg -se} makes it.
 */
public final class PgpEncryptor {
    /** Compression of the signed content. ZLIB for CSV exports, NONE for already-compressed data. */
    public enum Compression { NONE, ZLIB }

    private static final int BUFFER = 1 << 16;

    /** Same as {@link #open(OutputStream, ControllerKey, GatewayKey, String, Compression)} with ZLIB. */
    public OutputStream open(OutputStream target, ControllerKey recipient, GatewayKey signer, String literalFileName)
            throws IOException, PgpException {
        return open(target, recipient, signer, literalFileName, Compression.ZLIB);
    }

    /**
     * Returns a stream to write the plaintext to. Closing it finishes the OpenPGP message (signature,
     * MDC) but does not close {@code target}: the caller owns that, and must fsync/rename it.
     * If writing fails, discard {@code target}'s content: it is an incomplete message.
     */
    public OutputStream open(OutputStream target, ControllerKey recipient, GatewayKey signer, String literalFileName,
            Compression compression) throws IOException, PgpException {
        try {
            PGPEncryptedDataGenerator enc = new PGPEncryptedDataGenerator(
                    new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true)
                            .setSecureRandom(new SecureRandom())); // JDK AES: the bulk work
            // X25519/RSA key wrapping: BC provider (BC-only algorithm names, tiny amount of work).
            enc.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(recipient.encryptionKey()).setProvider(Providers.BC));

            PGPSignatureGenerator sig = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(signer.signingKey().getAlgorithm(), HashAlgorithmTags.SHA256)
                            .setProvider(Providers.BC),
                    signer.signingKey());
            sig.init(PGPSignature.BINARY_DOCUMENT, signer.signingPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, signer.signingKey());
            // Binds the signature to this recipient: it cannot be re-encrypted to someone else unnoticed.
            hashed.addIntendedRecipientFingerprint(false, recipient.encryptionKey());
            sig.setHashedSubpackets(hashed.generate());

            OutputStream encOut = enc.open(target, new byte[BUFFER]);
            PGPCompressedDataGenerator comp = compression == Compression.ZLIB
                    ? new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB) : null;
            OutputStream content = comp == null ? encOut : comp.open(encOut, new byte[BUFFER]);
            BCPGOutputStream bcpg = new BCPGOutputStream(content);
            sig.generateOnePassVersion(false).encode(bcpg);
            PGPLiteralDataGenerator lit = new PGPLiteralDataGenerator();
            OutputStream litOut = lit.open(bcpg, PGPLiteralData.BINARY, literalFileName, new Date(), new byte[BUFFER]);

            return new FilterOutputStream(litOut) {
                private boolean closed;

                @Override
                public void write(int b) throws IOException {
                    litOut.write(b);
                    sig.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    litOut.write(b, off, len);
                    sig.update(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    litOut.close();
                    try {
                        sig.generate().encode(bcpg);
                    } catch (PGPException e) {
                        throw new IOException("signing failed: " + e.getMessage(), e);
                    }
                    if (comp != null) {
                        comp.close();
                    }
                    encOut.close(); // writes the MDC; PGPEncryptedDataGenerator leaves target open
                    target.flush();
                }
            };
        } catch (PGPException e) {
            throw new PgpException("cannot start encryption: " + e.getMessage(), e);
        }
    }
}
