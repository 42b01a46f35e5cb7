package fi.callgate.gateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/** A Java SSH client (MINA SSHD) for the tests that need what OpenSSH cannot script: passwords, KEX choice, raw timing. */
public final class MinaClients {
    public static final Duration WAIT = Duration.ofSeconds(15);

    private MinaClients() {
    }

    /** A started client; {@code setup} runs before start (algorithm lists, properties, auth factories). */
    public static SshClient client(Consumer<SshClient> setup) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        setup.accept(client);
        client.start();
        return client;
    }

    public static ClientSession connect(SshClient client, String user, int port) throws IOException {
        return client.connect(user, "127.0.0.1", port).verify(WAIT).getSession();
    }

    /** Connects from another loopback address (127.0.0.0/8 is all local on Linux): a different "source". */
    public static ClientSession connectFrom(SshClient client, String user, int port, String sourceIp) throws IOException {
        return client.connect(user, new InetSocketAddress("127.0.0.1", port), new InetSocketAddress(sourceIp, 0))
                .verify(WAIT).getSession();
    }

    /** The key pair of an OpenSSH private key file written by ssh-keygen. */
    public static KeyPair key(Path privateKey) {
        return new FileKeyPairProvider(privateKey).loadKeys(null).iterator().next();
    }

    /** Authenticates; true if the server accepted, false if it refused or cut the session. */
    public static boolean tryAuth(ClientSession session) {
        try {
            return session.auth().verify(WAIT).isSuccess();
        } catch (IOException e) {
            return false;
        }
    }
}
