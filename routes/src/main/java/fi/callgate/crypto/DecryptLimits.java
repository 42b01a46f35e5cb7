package fi.callgate.crypto;

import java.time.Duration;

/**
 * Resource limits enforced while decrypting, counted as the data streams (never after the fact).
 *
 * @param maxPlaintextBytes   largest plaintext (and decompressed stream) accepted; default 2 GiB
 * @param maxCompressionRatio largest decompressed/ciphertext byte ratio; default 100 (CSV compresses
 *                            5-15x; runs of zeros 1000x)
 * @param ratioGraceBytes     the ratio is enforced only once this many bytes were decompressed, so tiny
 *                            but very compressible files (a header and two rows) are not refused; 1 MiB
 * @param maxDuration         wall-clock budget for the whole decrypt; default 30 minutes
 */
public record DecryptLimits(long maxPlaintextBytes, double maxCompressionRatio, long ratioGraceBytes, Duration maxDuration) {
    public DecryptLimits {
        if (maxPlaintextBytes <= 0 || maxCompressionRatio <= 0 || ratioGraceBytes < 0 || maxDuration.isNegative()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static DecryptLimits defaults() {
        return new DecryptLimits(2L << 30, 100, 1 << 20, Duration.ofMinutes(30));
    }

    public DecryptLimits withMaxPlaintextBytes(long bytes) {
        return new DecryptLimits(bytes, maxCompressionRatio, ratioGraceBytes, maxDuration);
    }

    public DecryptLimits withMaxCompressionRatio(double ratio) {
        return new DecryptLimits(maxPlaintextBytes, ratio, ratioGraceBytes, maxDuration);
    }

    public DecryptLimits withRatioGraceBytes(long bytes) {
        return new DecryptLimits(maxPlaintextBytes, maxCompressionRatio, bytes, maxDuration);
    }

    public DecryptLimits withMaxDuration(Duration duration) {
        return new DecryptLimits(maxPlaintextBytes, maxCompressionRatio, ratioGraceBytes, duration);
    }
}
