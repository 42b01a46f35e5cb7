package fi.callgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;
    Database db;
    MasterKey key = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
    AuditLog log;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir, key);
        log = new AuditLog(db, key, Clock.systemUTC());
        for (int i = 0; i < 10; i++) {
            log.record(AuditEvent.ok("alice", "127.0.0.1", "sftp.open", "/C1/outbox/f" + i, "read"));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anUntouchedChainVerifies() {
        assertThat(log.verify().ok()).isTrue();
        assertThat(log.verify().entries()).isEqualTo(10);
    }

    @Test
    void theChainContinuesAcrossRestarts() throws Exception {
        db.close();
        db = Database.open(dir, key);
        log = new AuditLog(db, key, Clock.systemUTC());
        log.record(AuditEvent.ok("bob", null, "command", "account list", null));
        assertThat(log.verify().ok()).isTrue();
        assertThat(log.verify().entries()).isEqualTo(11);
    }

    @Test
    void anEditedEntryIsFound() throws Exception {
        sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4");
        AuditLog.Verification v = log.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.brokenAt()).contains(4L);
    }

    @Test
    void aDeletedEntryIsFound() throws Exception {
        sql("DELETE FROM audit_log WHERE seq = 6");
        assertThat(log.verify().ok()).isFalse();
        assertThat(log.verify().brokenAt()).contains(6L);
    }

    @Test
    void aResealedEntryWithoutTheMasterKeyIsFound() throws Exception {
        // Recomputing a plain SHA-256 is not enough: the chain is keyed.
        sql("UPDATE audit_log SET detail = 'write', hash = '" + "a".repeat(64) + "' WHERE seq = 3");
        assertThat(log.verify().ok()).isFalse();
    }

    @Test
    void clientTextIsMadeInert() {
        log.record(AuditEvent.denied("x\r\nFAKE ENTRY", "1.2.3.4", "sftp.open", "/a\u202Egnp.exe\u0000", "${jndi:ldap://x}"));
        AuditEvent.Entry last = log.tail(1).get(0);
        assertThat(last.event().actor()).doesNotContain("\r", "\n").contains("\\u000D");
        assertThat(last.event().target()).doesNotContain("\u202E", "\u0000");
        assertThat(log.verify().ok()).isTrue();
    }

    /**
     * A stage marks its own row in the audit entry's transaction (issue #17): a failure while marking (a kill
     * inside the transaction) must leave neither the entry nor the mark, and the chain must go on unbroken.
     */
    @Test
    void anEntryAndTheMarkBesideItCommitTogetherOrNotAtAll() throws Exception {
        sql("CREATE TABLE mark(id VARCHAR(8) PRIMARY KEY)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.record(
                AuditEvent.ok("callgate", null, "upload.processed", "/C1/inbox/a", "id=a"), c -> {
                    try (Statement s = c.getConnection().createStatement()) {
                        s.executeUpdate("INSERT INTO mark VALUES ('a')");
                    }
                    throw new java.sql.SQLException("killed between the entry and the mark");
                })).isInstanceOf(fi.callgate.store.StoreException.class);
        assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM mark")).isZero();

        AuditEvent.Entry e = log.record(AuditEvent.ok("callgate", null, "upload.processed", "/C1/inbox/a", "id=a"),
                c -> {
                    try (Statement s = c.getConnection().createStatement()) {
                        return s.executeUpdate("INSERT INTO mark VALUES ('a')");
                    }
                });
        assertThat(e.seq()).isEqualTo(11);
        assertThat(count("SELECT COUNT(*) FROM mark")).isEqualTo(1);
        assertThat(log.verify().ok()).isTrue();
        assertThat(log.verify().entries()).isEqualTo(11);
    }

    private long count(String query) throws Exception {
        try (var c = db.connection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (var c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}
