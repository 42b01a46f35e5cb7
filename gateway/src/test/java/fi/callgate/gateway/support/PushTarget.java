package fi.callgate.gateway.support;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A push target for the push tests: a second SFTP server (MINA SSHD) on loopback, standing in for the
 * dialer's or the controller's own server. It has its own Ed25519 host key (the line Callgate must pin),
 * accepts exactly one user authenticated by Callgate's push key, serves {@code root}, and counts sessions.
 * The host key is kept in a file, so a target started again (the server was "down") has the same key.
 */
public final class PushTarget {
    private final SimpleGeneratorHostKeyProvider hostKey;
    private final String hostKeyLine;
    private final AtomicInteger sessions = new AtomicInteger();

    public PushTarget(Path hostKeyFile) throws Exception {
        hostKey = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKey.setAlgorithm("Ed25519");
        hostKeyLine = PublicKeyEntry.toString(hostKey.loadKeys(null).iterator().next().getPublic());
    }

    /** The OpenSSH line of the server's host key, as `campaign push` takes it on stdin. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** Sessions opened at any server started from this target. */
    public int sessions() {
        return sessions.get();
    }

    /**
     * Starts a server on {@code port} (0: any free port) for {@code user} with Callgate's push public key
     * ({@code pushKeyLine}, an OpenSSH line); {@code accessor} (may be null) changes how files are written.
     */
    public SshServer start(Path root, int port, String user, String pushKeyLine, SftpFileSystemAccessor accessor)
            throws Exception {
        String[] pushKey = pushKeyLine.split(" ");
        SshServer remote = SshServer.setUpDefaultServer();
        remote.setHost("127.0.0.1");
        remote.setPort(port);
        remote.setKeyPairProvider(hostKey);
        remote.setPublickeyAuthenticator((u, key, session) -> user.equals(u)
                && PublicKeyEntry.toString(key).equals(pushKey[0] + " " + pushKey[1]));
        remote.setPasswordAuthenticator(null);
        remote.setKeyboardInteractiveAuthenticator(null);
        remote.setFileSystemFactory(new VirtualFileSystemFactory(root));
        SftpSubsystemFactory.Builder sftp = new SftpSubsystemFactory.Builder();
        if (accessor != null) {
            sftp.withFileSystemAccessor(accessor);
        }
        remote.setSubsystemFactories(List.of(sftp.build()));
        remote.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        remote.start();
        return remote;
    }
}
