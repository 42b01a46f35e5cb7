package fi.callgate.gateway.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The typed, validated, immutable configuration. Built only by {@link ConfigLoader}; every field has a
 * documented key in {@code config/callgate.yaml}.
 */
public record CallgateConfig(
        Path dataDir,
        String storageLocation,
        Path masterKeyFile,
        Optional<String> masterKeyBase64,
        Sftp sftp,
        Intake intake,
        Defender defender,
        Management management,
        Optional<BootstrapAdmin> bootstrapAdmin,
        Retention retention,
        Duration shredderInterval,
        String logFormat,
        Export export,
        Duration pushStallTimeout) {

    /** Exports to the controller: how often pending results are exported, and how long files stay. */
    public record Export(Duration interval, Duration keepAfterDownload, Duration maxAge) {
    }

    public record Sftp(String host, int port, int maxSessions, int maxSessionsPerAccount, int maxSessionsPerIp,
                       Duration authTimeout, int maxAuthAttempts,
                       Duration idleTimeout, Duration maxSessionAge, int maxOpenHandles, long maxUploadBytes,
                       long maxBytesInFlightPerAccount,
                       fi.callgate.gateway.accounts.PreAuthBudget.Limits preAuth) {
    }

    /**
     * Caps on what one upload may decrypt to (decompression bombs), and on the pipeline passes one upload may
     * take before it is finished with a "could not be processed" report.
     */
    public record Intake(long maxPlaintextBytes, double maxCompressionRatio, int maxAttempts) {
    }

    public record Defender(boolean enabled, int threshold, Duration observationWindow, Duration banTime,
                           double banTimeMultiplier, Duration maxBanTime) {
    }

    public record Management(String host, int port) {
    }

    public record BootstrapAdmin(String name, String publicKey) {
    }

    public record Retention(int defaultDays, int maxDays, int personalIdDays) {
    }

    public Path spoolDir() {
        return dataDir.resolve("spool");
    }

    public Path sftpRoot() {
        return dataDir.resolve("sftp");
    }

    public Path keysDir() {
        return dataDir.resolve("keys");
    }
}
