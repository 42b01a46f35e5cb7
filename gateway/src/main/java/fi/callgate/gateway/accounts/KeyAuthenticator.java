package fi.callgate.gateway.accounts;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Public-key logins against the account's registered keys, compared exactly. Known and unknown users
 * take the same path (one store lookup, a comparison over a possibly empty list) so timing does not tell
 * which names exist. Never asynchronous: MINA 2.20 refuses async public-key auth (CVE-2026-77185).
 */
public final class KeyAuthenticator implements PublickeyAuthenticator {
    private final AccountStore accounts;
    private final LoginDefender defender;

    public KeyAuthenticator(AccountStore accounts, LoginDefender defender) {
        this.accounts = accounts;
        this.defender = defender;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        SessionAccount.attempted(session, username);
        if (defender.isSourceBanned(SessionAccount.source(session)) || !Names.isAccount(username)) {
            return false;
        }
        var account = accounts.find(username).filter(a -> !a.disabled());
        var keys = accounts.keys(username);
        boolean match = false;
        for (AccountStore.AccountKey k : keys) {
            match |= KeyUtils.compareKeys(k.key(), key);
        }
        if (match && account.isPresent()) {
            session.setAttribute(SessionAccount.ACCOUNT, account.get());
            session.setAttribute(SessionAccount.KEY_FINGERPRINT, KeyUtils.getFingerPrint(key));
            return true;
        }
        // Kept for the failed-login audit entry: which key was offered (a fingerprint, not a secret).
        session.setAttribute(SessionAccount.KEY_FINGERPRINT, KeyUtils.getFingerPrint(key));
        return false;
    }
}
