package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-subject searches must not scan: HSQLDB's plan for each blind-index lookup (the SQL RecordStore
 * and DsarStore issue) walks the column's (gen, column) index with both columns as its start condition, one
 * probe per live generation. With that, a search costs a few index probes whatever the number of records
 * (see DsarSearchBench for timings).
 */
class DsarSearchPlanTest {
    @TempDir
    Path dir;

    @Test
    void everyBlindIndexLookupUsesItsIndexWithGenerationAndHash() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            f.upload("u", "c");
            f.store("u", "c", List.of(StoreFixture.full(2, "Matti", "Meikäläinen", "+358401234567",
                    "matti@example.fi", "00530")));
            for (String[] col : new String[][] {{"phone_idx", "CALL_RECORD_PHONE_IX"},
                    {"email_idx", "CALL_RECORD_EMAIL_IX"}, {"name_postal_idx", "CALL_RECORD_NAME_POSTAL_IX"}}) {
                for (String sql : List.of(RecordStore.activeByBlindIndex(col[0]), RecordStore.blindIndexQuery(col[0], ""))) {
                    String plan = plan(f.db, sql);
                    String onRecords = plan.substring(plan.indexOf("table=CALL_RECORD"));
                    String start = onRecords.substring(onRecords.indexOf("start conditions"),
                            onRecords.indexOf("]]", onRecords.indexOf("start conditions")));
                    assertThat(onRecords).as(plan).contains("index=" + col[1]);
                    assertThat(start).as(plan).contains("CALL_RECORD.GEN").contains("CALL_RECORD." + col[0].toUpperCase());
                }
            }
        }
    }

    @Test
    void aNameIsNeverASearchKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecordStore.blindIndexQuery("name_idx", ""))
                .isInstanceOf(IllegalArgumentException.class);
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
