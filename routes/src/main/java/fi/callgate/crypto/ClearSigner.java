package fi.callgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;

/**
 * OpenPGP cleartext signatures (RFC 4880 §7) for deletion receipts: readable by a person,
 * verifiable with {@code gpg --verify}.
 *
 * <p>Normalisation is done here, explicitly, instead of trusting callers: line endings become
 * LF in the output and CRLF in the signed canonical text; trailing spaces and tabs are removed
 * from every line (§7.1 ignores them for the signature, so leaving them in would only show text
 * that is not covered); a trailing line break of the input is dropped (the armor adds its own).
 * Dash-escaping of lines starting with '-' is done by BouncyCastle's ArmoredOutputStream in
 * clear-text mode.
 */
public final class ClearSigner {
    private ClearSigner() {}

    public static String clearSign(String text, GatewayKey key) throws PgpException {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        int count = lines.length;
        if (count > 1 && lines[count - 1].isEmpty()) {
            count--; // "a\nb\n": the last line break belongs to the armor
        }
        try {
            PGPSignatureGenerator sig = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(key.signingKey().getAlgorithm(), HashAlgorithmTags.SHA256)
                            .setProvider(Providers.BC),
                    key.signingKey());
            sig.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, key.signingPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, key.signingKey());
            sig.setHashedSubpackets(hashed.generate());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes);
            armor.beginClearText(HashAlgorithmTags.SHA256);
            for (int i = 0; i < count; i++) {
                byte[] line = stripTrailingWhitespace(lines[i]).getBytes(StandardCharsets.UTF_8);
                if (i > 0) {
                    sig.update((byte) '\r');
                    sig.update((byte) '\n');
                }
                sig.update(line);
                armor.write(line);
                armor.write('\n');
            }
            armor.endClearText();
            sig.generate().encode(new BCPGOutputStream(armor));
            armor.close();
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (PGPException | IOException e) {
            throw new PgpException("clear-signing failed: " + e.getMessage(), e);
        }
    }

    private static String stripTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
