package fi.callgate.gateway.accounts;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Optional password logins for non-admin accounts (an admin's password is never enough: admins log in
 * with keys). Argon2 verification runs on a worker pool and answers asynchronously, so a hash never
 * blocks the SSH I/O threads. Unknown users are verified against a dummy hash for equal timing.
 */
public final class PasswordLogin implements PasswordAuthenticator {
    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final LoginDefender defender;
    private final AuditLog audit;
    private final ExecutorService workers;
    private final String dummyHash;

    public PasswordLogin(AccountStore accounts, PasswordHasher hasher, LoginDefender defender, AuditLog audit,
                         ExecutorService workers) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.defender = defender;
        this.audit = audit;
        this.workers = workers;
        this.dummyHash = hasher.hash("not-a-password".toCharArray());
    }

    @Override
    public boolean authenticate(String username, String password, ServerSession session) throws AsyncAuthException {
        String source = SessionAccount.source(session);
        SessionAccount.attempted(session, username);
        if (defender.isSourceBanned(source) || !Names.isAccount(username)) {
            return false;
        }
        AsyncAuthException pending = new AsyncAuthException();
        workers.execute(() -> pending.setAuthed(check(username, password, session, source)));
        throw pending;
    }

    private boolean check(String username, String password, ServerSession session, String source) {
        var account = accounts.find(username).filter(a -> !a.disabled() && a.role() != Role.ADMIN);
        String hash = account.flatMap(a -> accounts.passwordHash(a.name())).orElse(dummyHash);
        boolean ok = hasher.verify(password.toCharArray(), hash) && account.isPresent()
                && account.get().hasPassword() && !defender.arePasswordsBlocked(username);
        if (ok) {
            session.setAttribute(SessionAccount.ACCOUNT, account.get());
            session.setAttribute(SessionAccount.KEY_FINGERPRINT, "password");
            return true;
        }
        // Scored once per session when it ends unauthenticated (SessionGuard), not once per guess here,
        // so a person who mistypes once and then succeeds is not punished.
        audit.record(AuditEvent.failed(username, source, "login.password", username, "wrong password"));
        return false;
    }
}
