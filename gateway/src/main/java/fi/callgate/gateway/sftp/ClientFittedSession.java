package fi.callgate.gateway.sftp;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server session that sends its first KEXINIT only once it holds the client's, so that
 * {@link ClientFittedProposal} can fit the offer to the client's own lists. SSH allows either side to
 * speak first, and OpenSSH, PuTTY, libssh2, paramiko, asyncssh, Go's x/crypto and node's ssh2 all send
 * their KEXINIT straight after the identification line. A client that waits for the server's (JSch,
 * some scanners) is not kept waiting: JSch is recognised by its identification and answered at once,
 * any other waiter after {@link #WAIT_FOR_CLIENT}; both get the GCM-only offer. Re-keys are untouched.
 */
final class ClientFittedSession extends ServerSessionImpl {
    private static final Logger log = LoggerFactory.getLogger(ClientFittedSession.class);
    /** How long a client that has sent its identification but no KEXINIT waits for ours. */
    static final Duration WAIT_FOR_CLIENT = Duration.ofMillis(400);
    private final AtomicBoolean firstKexInitDeferred = new AtomicBoolean();
    private final AtomicBoolean firstKexInitSent = new AtomicBoolean();

    ClientFittedSession(ServerFactoryManager server, IoSession io) throws Exception {
        super(server, io);
    }

    /** The factory to set on the server. */
    static SessionFactory factory(ServerFactoryManager server) {
        return new SessionFactory(server) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession io) throws Exception {
                return new ClientFittedSession(getServer(), io);
            }
        };
    }

    @Override
    protected byte[] sendKexInit() throws Exception {
        // The first call comes from reading the client's identification: hold it back (once).
        if (firstKexInitDeferred.compareAndSet(false, true) && !waitsForServer(getClientVersion())) {
            getFactoryManager().getScheduledExecutorService().schedule(this::sendFirstKexInitIfNotYet,
                    WAIT_FOR_CLIENT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        }
        firstKexInitSent.set(true);
        return super.sendKexInit();
    }

    @Override
    protected void handleKexInit(Buffer buffer) throws Exception {
        // Records the client's proposal, then waits (asynchronously) for ours before negotiating.
        super.handleKexInit(buffer);
        if (firstKexInitSent.compareAndSet(false, true)) {
            super.sendKexInit();
        }
    }

    private void sendFirstKexInitIfNotYet() {
        if (!isOpen() || !firstKexInitSent.compareAndSet(false, true)) {
            return;
        }
        try {
            super.sendKexInit();
        } catch (Exception e) {
            log.info("session {}: could not send the key exchange offer: {}", this, e.toString());
            close(true);
        }
    }

    /** Clients known to wait for the server's KEXINIT before sending their own. */
    static boolean waitsForServer(String clientVersion) {
        return clientVersion != null && clientVersion.toUpperCase(Locale.ROOT).startsWith("SSH-2.0-JSCH");
    }
}
