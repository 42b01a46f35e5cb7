package fi.callgate.gateway.accounts;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.session.ServerSession;

/** What a session knows about who is on it: set by the authenticators, read everywhere else. */
public final class SessionAccount {
    static final AttributeKey<Account> ACCOUNT = new AttributeKey<>();
    static final AttributeKey<String> KEY_FINGERPRINT = new AttributeKey<>();
    static final AttributeKey<Integer> FAILED_ATTEMPTS = new AttributeKey<>();
    /** The name a client tried to log in as; MINA sets the session's user name only on success. */
    static final AttributeKey<String> ATTEMPTED_USER = new AttributeKey<>();

    private SessionAccount() {
    }

    /** The authenticated account; absent before authentication. */
    public static Optional<Account> of(ServerSession session) {
        return session.isAuthenticated() ? Optional.ofNullable(session.getAttribute(ACCOUNT)) : Optional.empty();
    }

    public static Account require(ServerSession session) {
        return of(session).orElseThrow(() -> new IllegalStateException("session is not authenticated"));
    }

    public static String source(ServerSession session) {
        if (session.getClientAddress() instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress();
        }
        return String.valueOf(session.getClientAddress());
    }

    /** Remembers the name of a login attempt (a name that is not a valid account name is kept as "-"). */
    static void attempted(ServerSession session, String username) {
        session.setAttribute(ATTEMPTED_USER, Names.isAccount(username) ? username : "-");
    }

    /** The user name of the session: the authenticated one, else the last one a login was attempted for. */
    static String attemptedUser(ServerSession session) {
        return session.getUsername() != null ? session.getUsername() : session.getAttribute(ATTEMPTED_USER);
    }

    static String fingerprint(ServerSession session) {
        return session.getAttribute(KEY_FINGERPRINT);
    }

    static void countFailure(ServerSession session) {
        Integer n = session.getAttribute(FAILED_ATTEMPTS);
        session.setAttribute(FAILED_ATTEMPTS, n == null ? 1 : n + 1);
    }

    static int failures(ServerSession session) {
        Integer n = session.getAttribute(FAILED_ATTEMPTS);
        return n == null ? 0 : n;
    }
}
