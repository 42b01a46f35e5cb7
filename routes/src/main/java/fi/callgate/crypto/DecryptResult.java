package fi.callgate.crypto;

import java.util.Optional;

/**
 * What a successful {@link PgpDecryptor#decrypt} established. Only on receiving this may the caller
 * treat the plaintext it consumed as final.
 *
 * @param plaintextBytes      literal data bytes delivered
 * @param ciphertextBytes     bytes read from the input
 * @param literalFileName     file name in the literal packet (untrusted)
 * @param symmetricAlgorithm  e.g. "AES256"
 * @param compression         e.g. "ZLIB", "ZIP" or "none"
 * @param signed              whether the message carried a one-pass signature
 * @param verifiedSignerFingerprint the controller key (primary or subkey) fingerprint whose signature
 *                            verified; empty when no signer was required
 * @param signerKeyIds        key ids (hex) named by the message's one-pass signatures, for logs
 */
public record DecryptResult(long plaintextBytes, long ciphertextBytes, String literalFileName,
        String symmetricAlgorithm, String compression, boolean signed,
        Optional<String> verifiedSignerFingerprint, java.util.List<String> signerKeyIds) {}
