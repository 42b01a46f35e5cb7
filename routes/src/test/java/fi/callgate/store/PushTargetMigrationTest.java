package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.hsqldb.jdbc.JDBCDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V21: the push targets of a store from before it, in the twin tables {@code dialer_push} and
 * {@code controller_push}, are in {@code push_target} under their kind after the upgrade that
 * {@link Database#open} runs — with their last outcome — and the twins are gone.
 */
class PushTargetMigrationTest {
    @TempDir
    Path dataDir;

    @Test
    void theTwinTablesRowsAreCarriedOverUnderTheirKindAndTheTwinsDropped() throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("db"));
        JDBCDataSource old = new JDBCDataSource();
        old.setUrl("jdbc:hsqldb:file:" + dir.resolve("callgate") + ";hsqldb.write_delay=false;hsqldb.tx=mvcc"
                + ";hsqldb.default_table_type=cached;hsqldb.lob_compressed=false;sql.syntax_pgs=false");
        Properties props = new Properties();
        props.setProperty("user", "SA");
        props.setProperty("password", "");
        props.setProperty("crypt_key", StoreFixture.MASTER.databaseKeyHex());
        props.setProperty("crypt_type", "AES");
        props.setProperty("crypt_lobs", "true");
        old.setProperties(props);
        // The store as it was just before V21 (whichever migrations of the same release precede it).
        String before = Arrays.stream(Flyway.configure().dataSource(old).locations("classpath:db/migration").load()
                        .info().all()).map(MigrationInfo::getVersion)
                .filter(v -> v.isNewerThan("1") && !v.isAtLeast("21")).max(Comparator.naturalOrder()).orElseThrow()
                .getVersion();
        Flyway.configure().dataSource(old).locations("classpath:db/migration").target(before).load().migrate();
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO dialer_push (campaign, host, port, username, directory, location, host_key,"
                    + " last_status, failures) VALUES ('A1', 'dialer.example', 22, 'dialer', 'in', 'FI',"
                    + " 'ssh-ed25519 AAAAdialer', 'pushed A1-0001.csv', 0)");
            st.executeUpdate("INSERT INTO controller_push (campaign, host, port, username, directory, location,"
                    + " host_key, last_status, failures) VALUES ('A1', 'ctl.example', 2222, 'acme', 'exports', 'SE',"
                    + " 'ssh-ed25519 AAAActl', 'failed (attempt 5/5): down', 5)");
            st.executeUpdate("INSERT INTO controller_push (campaign, host, port, username, directory, location,"
                    + " host_key, failures) VALUES ('B2', 'ctl.example', 22, 'acme', '', 'FI', 'ssh-ed25519 AAAAb', 0)");
            st.execute("SHUTDOWN");
        }

        try (Database db = Database.open(dataDir, StoreFixture.MASTER)) {
            List<String> rows = db.query("SELECT campaign, kind, host, port, username, directory, location, host_key,"
                    + " last_status, failures FROM push_target ORDER BY campaign, kind", rs -> String.join("|",
                    rs.getString(1), rs.getString(2), rs.getString(3), String.valueOf(rs.getInt(4)), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), String.valueOf(rs.getString(9)),
                    String.valueOf(rs.getLong(10))));
            assertThat(rows).containsExactly(
                    "A1|CONTROLLER|ctl.example|2222|acme|exports|SE|ssh-ed25519 AAAActl|failed (attempt 5/5): down|5",
                    "A1|DIALER|dialer.example|22|dialer|in|FI|ssh-ed25519 AAAAdialer|pushed A1-0001.csv|0",
                    "B2|CONTROLLER|ctl.example|22|acme||FI|ssh-ed25519 AAAAb|null|0");
            assertThat(db.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN"
                    + " ('DIALER_PUSH', 'CONTROLLER_PUSH')", rs -> rs.getLong(1))).containsExactly(0L);
        }
    }
}
