package fi.callgate.gateway.sftp;

import fi.callgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * MINA's own SFTP client logged in as one person of a {@link TestGateway}. Unlike OpenSSH's {@code sftp},
 * it sends path strings exactly as given (no client-side normalisation, no globbing), which is what
 * confinement tests need.
 */
final class MinaSftp implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static SshClient client;

    final ClientSession session;
    final SftpClient sftp;

    private MinaSftp(ClientSession session, SftpClient sftp) {
        this.session = session;
        this.sftp = sftp;
    }

    private static synchronized SshClient client() {
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
        }
        return client;
    }

    static MinaSftp connect(TestGateway gw, String person) {
        try {
            ClientSession session = client().connect(person, "127.0.0.1", gw.port()).verify(TIMEOUT).getSession();
            for (KeyPair kp : new FileKeyPairProvider(gw.newKey(person)).loadKeys(null)) {
                session.addPublicKeyIdentity(kp);
            }
            session.auth().verify(TIMEOUT);
            return new MinaSftp(session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException e) {
            throw new IllegalStateException("could not log in as " + person, e);
        }
    }

    boolean isOpen() {
        return session.isOpen() && sftp.isOpen();
    }

    /** Ends the session at once: no CLOSE for open handles, no channel close, just the TCP connection gone. */
    void cutOff() {
        session.close(true);
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            // the session goes anyway
        }
        try {
            session.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
