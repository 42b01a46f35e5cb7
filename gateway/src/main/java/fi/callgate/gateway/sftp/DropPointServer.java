package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerLists;
import fi.callgate.gateway.accounts.KeyAuthenticator;
import fi.callgate.gateway.accounts.PasswordLogin;
import fi.callgate.gateway.accounts.SessionGuard;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.store.CampaignStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the embedded SSH server: the Ed25519 host key (created on first start, kept, 600), the explicit
 * algorithm lists, public-key and optional password auth only (no keyboard-interactive), the SFTP
 * subsystem with the confined accessor, the command shell for exec requests, and nothing else — no
 * shell, no SCP, no forwarding of any kind. Limits: auth attempts, auth timeout, sessions per account,
 * handles per session, idle timeout; sessions per source and the hard maximum age are the session guard's.
 */
public final class DropPointServer {
    private static final Logger log = LoggerFactory.getLogger(DropPointServer.class);

    private DropPointServer() {
    }

    /** The settings the server needs, taken from the typed configuration by the composition root. */
    public record Settings(String host, int port, Path hostKeyFile, Path sftpRoot, Duration authTimeout,
                           int maxAuthAttempts, Duration idleTimeout, int maxSessionsPerAccount,
                           int maxOpenHandles) {
    }

    /** The collaborators, built by the composition root. */
    public record Parts(KeyAuthenticator keys, PasswordLogin passwords, SessionGuard guard, CampaignStore campaigns,
                        UploadTracker uploads, SpoolCipher cipher, AuditLog audit, CommandFactory commands,
                        CallgateMetrics metrics, DialerLists lists,
                        java.util.function.BiConsumer<String, String> outboxDownloaded,
                        fi.callgate.store.WriteGate writeGate) {
    }

    public static SshServer build(Settings s, Parts p) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(s.host());
        server.setPort(s.port());
        SshAlgorithms.apply(server);

        Files.createDirectories(s.hostKeyFile().getParent());
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(s.hostKeyFile());
        hostKey.setAlgorithm("Ed25519"); // "EdDSA" silently yields no host key at all (STACK.md)
        hostKey.setStrictFilePermissions(true);
        if (hostKey.loadKeys(null).isEmpty()) {
            throw new IOException("no SSH host key could be loaded or created at " + s.hostKeyFile());
        }
        server.setKeyPairProvider(hostKey);

        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        server.setPublickeyAuthenticator(p.keys());
        server.setPasswordAuthenticator(p.passwords());
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);

        server.setShellFactory(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setAgentFactory(null);
        server.setCommandFactory(p.commands());
        server.addSessionListener(p.guard());

        Files.createDirectories(s.sftpRoot());
        server.setFileSystemFactory(new VirtualFileSystemFactory(s.sftpRoot().toAbsolutePath()));
        SftpSubsystemFactory sftp = new DropPointSubsystem.Factory(p.uploads(), p.audit(), s.sftpRoot().toAbsolutePath());
        sftp.setFileSystemAccessor(new ConfinedFileSystemAccessor(p.campaigns(), p.uploads(), p.cipher(),
                p.audit(), s.sftpRoot().toAbsolutePath(), p.lists(), p.writeGate()));
        sftp.setErrorStatusDataHandler(new ClientMessages());
        sftp.addSftpEventListener(new SessionMdc());
        sftp.addSftpEventListener(new ExtensionGuard(p.audit()));
        sftp.addSftpEventListener(p.uploads());
        sftp.addSftpEventListener(new ReadAuditor(p.audit(), p.lists(), p.outboxDownloaded()));
        sftp.addSftpEventListener(new TransferMeter(p.metrics().sftpBytesUploaded(), p.metrics().sftpBytesDownloaded()));
        server.setSubsystemFactories(List.of(sftp));

        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "Callgate");
        CoreModuleProperties.AUTH_TIMEOUT.set(server, s.authTimeout());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, s.maxAuthAttempts());
        CoreModuleProperties.IDLE_TIMEOUT.set(server, s.idleTimeout());
        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(server, s.maxSessionsPerAccount());
        CoreModuleProperties.MAX_IDENTIFICATION_SIZE.set(server, 1024);
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(server, 4);
        // Throughput settings measured in STACK.md; 262144 packets break OpenSSH uploads, 131072 works.
        CoreModuleProperties.WINDOW_SIZE.set(server, 16L * 1024 * 1024);
        CoreModuleProperties.MAX_PACKET_SIZE.set(server, 128L * 1024);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(server, 256 * 1024);
        // Without it a 1 GiB upload from OpenSSH's sftp took 6.1 s instead of 3.9 s here with Callgate's
        // threads mostly idle (JFR): the small SFTP status replies and window adjusts waited in Nagle's buffer.
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(server, 255 * 1024);
        SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(server, s.maxOpenHandles());
        SftpModuleProperties.AUTO_FOLLOW_LINKS.set(server, false);
        log.info("ssh host key {} (Ed25519); sftp root {}", s.hostKeyFile(), s.sftpRoot());
        return server;
    }
}
