package fi.callgate.gateway.accounts;

import fi.callgate.store.Database;
import fi.callgate.store.StoreException;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** Accounts, their public keys and password hashes in the store. */
public final class AccountStore {
    private static final String COLUMNS = "name, role, org, disabled, password_hash IS NOT NULL, created_at";
    private final Database db;
    private final Clock clock;

    public AccountStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A parsed, checked OpenSSH public key line. */
    public record AccountKey(String type, String fingerprint, String line, PublicKey key) {
    }

    public Account create(String name, Role role, Optional<String> org) {
        Names.account(name);
        if (role.hasOrg() && org.isEmpty()) {
            throw new IllegalArgumentException("a " + role.code() + " needs --org");
        }
        if (!role.hasOrg() && org.isPresent()) {
            throw new IllegalArgumentException("only controllers and suppliers belong to an organisation");
        }
        org.ifPresent(Names::org);
        var now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        try {
            db.withHandle(h -> h.createUpdate("INSERT INTO account(name, role, org, created_at) VALUES (?,?,?,?)")
                    .bind(0, name).bind(1, role.code()).bind(2, org.orElse(null)).bind(3, now).execute());
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                throw new IllegalArgumentException("account " + name + " already exists");
            }
            throw e;
        }
        return find(name).orElseThrow();
    }

    public Optional<Account> find(String name) {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM account WHERE name = ?").bind(0, name)
                .map((rs, ctx) -> read(rs)).findFirst());
    }

    public List<Account> list() {
        return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM account ORDER BY name")
                .map((rs, ctx) -> read(rs)).list());
    }

    public boolean anyActiveAdmin() {
        return list().stream().anyMatch(a -> a.role() == Role.ADMIN && !a.disabled());
    }

    /** Parses and checks one OpenSSH public key line (options are refused: keys carry no restrictions here). */
    public static AccountKey parseKey(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty() || trimmed.contains("\n")) {
            throw new IllegalArgumentException("expected exactly one OpenSSH public key line");
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(trimmed);
            if (entry == null) {
                throw new IllegalArgumentException("not an OpenSSH public key line");
            }
            if (entry.getLoginOptions() != null && !entry.getLoginOptions().isEmpty()) {
                throw new IllegalArgumentException("key options are not accepted");
            }
            PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            String type = KeyUtils.getKeyType(key);
            KeyPolicy.check(type, key);
            String normalised = entry.getKeyType() + " " + java.util.Base64.getEncoder()
                    .encodeToString(entry.getKeyData());
            return new AccountKey(type, KeyUtils.getFingerPrint(key), normalised, key);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a valid OpenSSH public key: " + e.getClass().getSimpleName());
        }
    }

    public AccountKey addKey(String account, String line) {
        AccountKey key = parseKey(line);
        try {
            db.withHandle(h -> h.createUpdate(
                            "INSERT INTO account_key(account, fingerprint, key_line, added_at) VALUES (?,?,?,?)")
                    .bind(0, account).bind(1, key.fingerprint()).bind(2, key.line())
                    .bind(3, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).execute());
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                throw new IllegalArgumentException("this key is already registered (keys are personal)");
            }
            throw e;
        }
        return key;
    }

    /** The account a key belongs to, by fingerprint, with the stored key to compare exactly. */
    public List<AccountKey> keys(String account) {
        return db.withHandle(h -> h.createQuery("SELECT key_line FROM account_key WHERE account = ? ORDER BY id")
                .bind(0, account).map((rs, ctx) -> parseKey(rs.getString(1))).list());
    }

    public void setPasswordHash(String account, String hash) {
        update("UPDATE account SET password_hash = ? WHERE name = ?", hash, account);
    }

    public Optional<String> passwordHash(String account) {
        return db.withHandle(h -> h.createQuery("SELECT password_hash FROM account WHERE name = ? AND disabled = FALSE")
                .bind(0, account).mapTo(String.class).findFirst());
    }

    public void disable(String account) {
        if (db.update("UPDATE account SET disabled = TRUE, disabled_at = ? WHERE name = ?",
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), account) == 0) {
            throw new IllegalArgumentException("no account " + account);
        }
    }

    private void update(String sql, String a, String b) {
        if (db.update(sql, a, b) == 0) {
            throw new IllegalArgumentException("no account " + b);
        }
    }

    private static Account read(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), Role.of(rs.getString(2)).orElseThrow(), Optional.ofNullable(rs.getString(3)),
                rs.getBoolean(4), rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class).toInstant());
    }
}
