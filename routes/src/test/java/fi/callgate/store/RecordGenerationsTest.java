package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.PhoneNumber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records spread over generations stay findable; emptied generations are forgotten; a restart continues. */
class RecordGenerationsTest {
    @TempDir
    Path dir;

    @Test
    void searchesSpanEveryGenerationAndEmptiedOnesArePruned() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            RecordStore small = new RecordStore(f.db, f.keys, f.index, Clock.systemUTC(), 3);
            f.campaign("c", "Org");
            f.upload("u1", "c");
            f.upload("u2", "c");
            stage(small, "u1", 0, 7);   // generations 0 0 0 1 1 1 2
            stage(small, "u2", 7, 2);   // 2 2
            assertThat(gens(f)).containsExactly(0, 1, 2);
            assertThat(f.db.query("SELECT gen FROM call_record ORDER BY upload_id, row_number", rs -> rs.getInt(1)))
                    .containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2);
            for (int i = 0; i < 9; i++) {
                assertThat(small.findByPhone(phone(i))).as("record %d", i).hasSize(1);
                assertThat(small.findByEmail("p" + i + "@example.fi")).hasSize(1);
            }

            small.deleteByUpload("u1");
            assertThat(gens(f)).as("0 and 1 held only u1's records; 2 is current").containsExactly(2);
            assertThat(small.findByPhone(phone(8))).hasSize(1);

            // A restart continues the current generation where it stands (2 holds two records now), so of
            // the next two records one fills it and the other opens generation 3.
            RecordStore again = new RecordStore(f.db, f.keys, f.index, Clock.systemUTC(), 3);
            f.upload("u3", "c");
            stage(again, "u3", 20, 2);
            assertThat(gens(f)).containsExactly(2, 3);
            assertThat(f.db.query("SELECT gen FROM call_record WHERE upload_id = 'u3' ORDER BY row_number",
                    rs -> rs.getInt(1))).containsExactly(2, 3);
            assertThat(again.findByPhone(phone(21))).hasSize(1);
            assertThat(again.findByPhone(phone(20))).hasSize(1);
        }
    }

    @Test
    void aGenerationPrunedWhileAStagingStillWroteToItIsListedAgainWhenTheStagingFinishes() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            RecordStore small = new RecordStore(f.db, f.keys, f.index, Clock.systemUTC(), 2);
            f.campaign("c", "Org");
            f.upload("u1", "c");
            f.upload("u2", "c");
            try (RecordStore.Staging s = small.stage("u1", "c")) {
                for (int i = 0; i < 3; i++) { // generations 0 0 1: 1 is now current
                    s.add(StoreFixture.full(2 + i, "E" + i, "S" + i, phone(i).e164(), "p" + i + "@example.fi", "00100"));
                }
                stage(small, "u2", 10, 2); // 1 1, then generation 2 opens for the next record
                // u1's rows are not committed yet: a deletion's prune sees generation 0 empty and drops it.
                small.deleteByUpload("u2");
                assertThat(gens(f)).doesNotContain(0);
                s.finish();
            }
            small.publish("u1");
            assertThat(gens(f)).contains(0, 1);
            assertThat(small.findByPhone(phone(0))).hasSize(1);
        }
    }

    private static void stage(RecordStore store, String upload, int from, int n) {
        try (RecordStore.Staging s = store.stage(upload, "c")) {
            IntStream.range(from, from + n).forEach(i -> s.add(StoreFixture.full(2 + i - from, "E" + i, "S" + i,
                    phone(i).e164(), "p" + i + "@example.fi", "00100")));
            s.finish();
        }
        store.publish(upload);
    }

    private static List<Integer> gens(StoreFixture f) {
        return f.db.query("SELECT gen FROM record_generation ORDER BY gen", rs -> rs.getInt(1));
    }

    private static PhoneNumber phone(int i) {
        return new PhoneNumber("+35840" + (2_000_000 + i));
    }
}
