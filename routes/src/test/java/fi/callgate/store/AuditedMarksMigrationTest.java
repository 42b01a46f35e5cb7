package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V20 moves "already audited?" from a search of the audit log to explicit marks (issue #17). A run
 * interrupted before the upgrade must still resume without a second entry or receipt, so the migration
 * carries what the audit log already says over to the marks — for resumable uploads, and for receipts.
 */
class AuditedMarksMigrationTest {
    private final String url = "jdbc:hsqldb:mem:v20-" + UUID.randomUUID();

    @Test
    void anAuditedResumableUploadAndAPublishedReceiptKeepTheirMarkAcrossTheUpgrade() throws Exception {
        migrate("18");
        try (Connection c = DriverManager.getConnection(url, "SA", ""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO campaign(id, org, ends_on, dialer_fields, created_at, last_activity_at)"
                    + " VALUES ('C1', 'acme', DATE '2030-01-01', 'phone', NOW(), NOW())");
            upload(s, "u-loaded", "LOADED");
            upload(s, "u-waiting", "LOADED");
            upload(s, "u-results", "STORED");
            audit(s, 1, "upload.processed", "/C1/inbox/u-loaded.csv", "id=u-loaded rows_accepted=3");
            audit(s, 2, "results.processed", "/C1/results/u-results.csv", "id=u-results rows_accepted=1");
            audit(s, 3, "retention.receipt", "/C1/outbox/deletion-receipt-C1-1.txt.asc", "file=x");
            // A look-alike id must not count: the entry's detail starts with "id=<upload id> ".
            audit(s, 4, "upload.processed", "/C1/inbox/other.csv", "id=u-waiting-not rows_accepted=1");
        }
        migrate(null);
        try (Connection c = DriverManager.getConnection(url, "SA", ""); Statement s = c.createStatement()) {
            assertThat(marked(s, "u-loaded")).isTrue();
            assertThat(marked(s, "u-results")).isTrue();
            assertThat(marked(s, "u-waiting")).isFalse();
            try (ResultSet rs = s.executeQuery("SELECT target FROM deletion_receipt")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("/C1/outbox/deletion-receipt-C1-1.txt.asc");
                assertThat(rs.next()).isFalse();
            }
            s.execute("SHUTDOWN");
        }
    }

    private void migrate(String target) {
        var config = Flyway.configure().dataSource(url, "SA", "").locations("classpath:db/migration");
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }

    private static void upload(Statement s, String id, String state) throws Exception {
        s.executeUpdate("INSERT INTO upload(id, campaign, area, account, original_name, spool_name, size_bytes,"
                + " spool_iv, state, received_at, updated_at) VALUES ('" + id + "', 'C1', 'inbox', 'acme', '" + id
                + ".csv', 'spool-" + id + "', 1, '" + "0".repeat(32) + "', '" + state + "', NOW(), NOW())");
    }

    private static void audit(Statement s, long seq, String action, String target, String detail) throws Exception {
        s.executeUpdate("INSERT INTO audit_log(seq, logged_at, actor, action, target, outcome, detail, prev_hash,"
                + " hash) VALUES (" + seq + ", NOW(), 'acme', '" + action + "', '" + target + "', 'OK', '" + detail
                + "', '" + "0".repeat(64) + "', '" + "0".repeat(64) + "')");
    }

    private static boolean marked(Statement s, String id) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT audited_at FROM upload WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getObject(1) != null;
        }
    }
}
