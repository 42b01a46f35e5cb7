package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-subject searches must not scan: HSQLDB's plan for each blind-index lookup (as RecordStore and
 * DsarStore issue them) uses the column's index. With that, a search costs one index probe per match
 * whatever the number of records (see DsarSearchBench for timings).
 */
class DsarSearchPlanTest {
    static final String JOINED = "SELECT r.record_id, r.campaign, r.upload_id, r.row_number, r.payload, r.created_at"
            + " FROM call_record r JOIN record_set s ON s.upload_id = r.upload_id WHERE r.%s = ? AND s.state = 'ACTIVE'"
            + " ORDER BY r.created_at, r.record_id";
    static final String PLAIN = "SELECT record_id, campaign, upload_id FROM call_record WHERE %s = ?";

    @TempDir
    Path dir;

    @Test
    void everyBlindIndexLookupUsesItsIndex() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            f.upload("u", "c");
            f.store("u", "c", List.of(StoreFixture.full(2, "Matti", "Meikäläinen", "+358401234567",
                    "matti@example.fi", "00530")));
            for (String[] col : new String[][] {{"phone_idx", "CALL_RECORD_PHONE_IX"},
                    {"email_idx", "CALL_RECORD_EMAIL_IX"}, {"name_postal_idx", "CALL_RECORD_NAME_POSTAL_IX"}}) {
                for (String sql : List.of(JOINED, PLAIN)) {
                    String plan = plan(f.db, String.format(sql, col[0]));
                    assertThat(plan).as(plan).contains("index=" + col[1]);
                }
            }
        }
    }

    static String plan(Database db, String sql) {
        return db.withConnection(c -> {
            StringBuilder sb = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN PLAN FOR " + sql.replace("?", "X'00'"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sb.append(rs.getString(1)).append('\n');
                }
            }
            return sb.toString();
        });
    }
}
