package fi.callgate.gateway.sftp;

import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.slf4j.MDC;

/**
 * Puts the SFTP session's account name into the log context ({@code account}). Each SFTP subsystem runs
 * its requests on a thread of its own (DropPointServer gives the factory no shared executor), and
 * {@code initialized} runs on that thread, so every log line of the session's requests — uploads handed
 * off, refusals — carries the account, and no other session's lines do.
 */
final class SessionMdc implements SftpEventListener {
    static final String ACCOUNT = "account";

    @Override
    public void initialized(ServerSession session, int version) {
        MDC.put(ACCOUNT, session.getUsername());
    }

    @Override
    public void destroying(ServerSession session) {
        MDC.remove(ACCOUNT); // a no-op when called from another thread; the subsystem's thread ends with it
    }
}
