package fi.callgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/** Hand-made OpenPGP messages that GnuPG will not produce (nested compression, tag-9 data). */
final class Crafted {
    private Crafted() {}

    /**
     * Encrypts {@code content} to the gateway's encryption subkey with BouncyCastle.
     *
     * @param integrity     false: legacy Symmetrically Encrypted Data (tag 9) without MDC
     * @param compressions  how many ZLIB layers to wrap the literal packet in (2 = nested)
     */
    static byte[] encryptToGateway(GatewayKey gateway, byte[] content, boolean integrity, int compressions, int cipher)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PGPEncryptedDataGenerator enc = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(cipher).setWithIntegrityPacket(integrity).setSecureRandom(new SecureRandom()));
        enc.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(gateway.encryptionKey()));
        try (OutputStream encOut = enc.open(out, new byte[1 << 16])) {
            OutputStream target = encOut;
            OutputStream[] layers = new OutputStream[compressions];
            for (int i = 0; i < compressions; i++) {
                layers[i] = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB).open(target);
                target = layers[i];
            }
            PGPLiteralDataGenerator lit = new PGPLiteralDataGenerator();
            try (OutputStream l = lit.open(target, PGPLiteralData.BINARY, "list.csv", content.length, new Date())) {
                l.write(content);
            }
            for (int i = compressions - 1; i >= 0; i--) {
                layers[i].close();
            }
        }
        return out.toByteArray();
    }

    static byte[] encryptToGateway(GatewayKey gateway, byte[] content, boolean integrity, int compressions) throws Exception {
        return encryptToGateway(gateway, content, integrity, compressions, SymmetricKeyAlgorithmTags.AES_256);
    }

}
