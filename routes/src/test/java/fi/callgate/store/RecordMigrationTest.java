package fi.callgate.store;

import static fi.callgate.store.StoreFixture.full;
import static fi.callgate.store.StoreFixture.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records stored before V15 (call_record rows) move into parts and the index at start, keeping their ids. */
class RecordMigrationTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void legacyRowsMoveKeepingTheirIdsAndAnInterruptedMoveIsRedoneCleanly() throws Exception {
        List<CallRecord> list = new ArrayList<>(LongStream.range(0, 2500)
                .mapToObj(i -> minimal(2 + i, "Vanha" + i, "Rivi", "+35840" + (7000000 + i))).toList());
        list.set(7, full(9, "Maija", "Mallikas", "+358409998877", "maija@vanha.fi", "00100"));
        List<String> legacyIds;
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            for (String u : List.of("u1", "u2", "u3")) {
                f.upload(u, "c");
            }
            legacyIds = legacySet(f, "u1", "ACTIVE", list);
            legacySet(f, "u2", "STAGED", list.subList(0, 5));
            legacySet(f, "u3", "DELETED", list.subList(0, 3));
            // What a kill in the middle of an earlier attempt leaves: a number, a part, an id row.
            f.db.withConnection(c -> c.createStatement().executeUpdate("UPDATE record_set SET migration_no ="
                    + " NEXT VALUE FOR record_dataset_seq WHERE upload_id = 'u1'"));
            long number = f.db.query("SELECT migration_no FROM record_set WHERE upload_id = 'u1'", rs -> rs.getLong(1))
                    .get(0);
            Path leftover = f.records.directory().resolve("parts").resolve(String.format("%012d", number));
            Files.createDirectories(leftover);
            Files.write(leftover.resolve("part-00000"), new byte[] {1, 2, 3});
            f.db.withConnection(c -> c.createStatement().executeUpdate("INSERT INTO legacy_record_id VALUES"
                    + " ('aaaaaaaaaaaaaaaaaaaaaaaaaa', " + number + ", 0)"));

            assertThat(f.records.migrateLegacy()).isEqualTo(2500);
            assertThat(f.records.migrateLegacy()).as("once").isZero();
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            assertThat(f.db.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN"
                    + " ('CALL_RECORD', 'RECORD_GENERATION')", rs -> rs.getLong(1)).get(0)).as("old tables dropped")
                    .isZero();
            List<RecordStore.StoredRecord> moved = f.records.activeRecords("u1").toList();
            assertThat(moved).extracting(RecordStore.StoredRecord::recordId).containsExactlyElementsOf(legacyIds);
            assertThat(moved).extracting(RecordStore.StoredRecord::record)
                    .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(list);
            assertThat(f.records.count("c")).isEqualTo(2500);
            assertThat(f.records.state("u2")).as("a staged legacy set is discarded, staged again by the pipeline")
                    .isEmpty();
            assertThat(f.records.state("u3")).contains(RecordStore.SetState.DELETED);
            assertThat(f.records.findByEmail("maija@vanha.fi")).extracting(RecordStore.StoredRecord::recordId)
                    .containsExactly(legacyIds.get(7));
            assertThat(f.records.findInCampaign(legacyIds.get(2499), "c")).isPresent();
            assertThat(f.records.findInCampaign("aaaaaaaaaaaaaaaaaaaaaaaaaa", "c")).isEmpty();
            assertThat(f.records.nameMatches(legacyIds.get(7), "maija", "MALLIKAS")).isTrue();

            assertThat(f.records.deleteRecords(List.of(legacyIds.get(7)))).isEqualTo(1);
            assertThat(f.records.findByPhone(new PhoneNumber("+358409998877"))).isEmpty();
            assertThat(f.records.count("c")).isEqualTo(2499);
        }
    }

    @Test
    void readsSeeEveryRecordOnceInWhicheverLayoutHoldsItBeforeDuringAndAfterTheMove() throws Exception {
        List<CallRecord> list = LongStream.range(0, 2500)
                .mapToObj(i -> full(2 + i, "Vanha" + i, "Rivi", "+35840" + (7000000 + i), "v" + i + "@vanha.fi",
                        "00" + (100 + i % 800))).toList();
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            f.upload("u1", "c");
            f.upload("u2", "c");
            f.upload("new", "c");
            List<String> ids = legacySet(f, "u1", "ACTIVE", list);
            List<String> ids2 = legacySet(f, "u2", "ACTIVE", list.subList(0, 10));
            // A new upload goes to the new layout only, whatever is still waiting to move.
            List<String> fresh = f.store("new", "c", List.of(full(2, "Uusi", "Rivi", "+358401110000",
                    "uusi@vanha.fi", "00100")));
            RecordAddress address = new RecordIds(StoreFixture.MASTER).address(fresh.get(0)).orElseThrow();
            assertThat(address.dataset()).as("stored in parts and index").isPositive();

            // Before the move: the old rows answer every read.
            assertThat(f.records.findByPhone(new PhoneNumber("+358407000005")))
                    .extracting(RecordStore.StoredRecord::recordId).containsExactly(ids.get(5), ids2.get(5));
            assertThat(f.records.findByEmail("V7@vanha.fi")).extracting(RecordStore.StoredRecord::recordId)
                    .containsExactly(ids.get(7), ids2.get(7));
            assertThat(f.records.findByNamePostal("Vanha12", "Rivi", "00112")).hasSize(1);
            assertThat(f.records.findInCampaign(ids.get(2000), "c")).get()
                    .extracting(r -> r.record().rowNumber()).isEqualTo(2002L);
            assertThat(f.records.findInCampaign(ids.get(2000), "other")).isEmpty();
            assertThat(f.records.nameMatches(ids.get(3), "vanha3", "RIVI")).isTrue();
            assertThat(f.records.count("c")).isEqualTo(2511);
            assertThat(f.records.liveCount("u1")).isEqualTo(2500);
            assertThat(f.records.idsWithPhones("u1", List.of(f.index.phone(new PhoneNumber("+358407000009")))))
                    .containsExactly(ids.get(9));
            assertThat(f.records.refsByIndex("phone", f.index.phone(new PhoneNumber("+358407000009"))))
                    .extracting(RecordStore.RecordRef::recordId).containsExactlyInAnyOrder(ids.get(9), ids2.get(9));

            // Erasure of a record not yet moved works on its old row, and stays erased after the move.
            assertThat(f.records.deleteRecords(List.of(ids.get(9)))).isEqualTo(1);
            assertThat(f.records.isStored(ids.get(9))).isFalse();
            assertThat(f.records.liveCount("u1")).isEqualTo(2499);

            // A dialer list being rendered while its set moves: the stream carries on in the part files after
            // the last row it returned, so no row comes twice or goes missing.
            List<String> streamed = new ArrayList<>();
            try (var stream = f.records.activeRecords("u1")) {
                var it = stream.iterator();
                for (int i = 0; i < 1500; i++) {
                    streamed.add(it.next().recordId());
                }
                assertThat(f.records.migrateLegacy()).isEqualTo(2509);
                it.forEachRemaining(r -> streamed.add(r.recordId()));
            }
            List<String> expected = new ArrayList<>(ids);
            expected.remove(9);
            assertThat(streamed).containsExactlyElementsOf(expected);

            // After the move: the same answers from the new layout, the erasure kept, old tables gone.
            assertThat(f.records.legacyRecordsLeft()).isFalse();
            assertThat(f.records.findByPhone(new PhoneNumber("+358407000005")))
                    .extracting(RecordStore.StoredRecord::recordId).containsExactly(ids.get(5), ids2.get(5));
            assertThat(f.records.findByPhone(new PhoneNumber("+358407000009")))
                    .extracting(RecordStore.StoredRecord::recordId).containsExactly(ids2.get(9));
            assertThat(f.records.count("c")).isEqualTo(2510);
            assertThat(f.records.idsWithPhones("u1", List.of(f.index.phone(new PhoneNumber("+358407000005")))))
                    .containsExactly(ids.get(5));
            assertThat(f.records.findInCampaign(fresh.get(0), "c")).isPresent();
        }
    }

    @Test
    void searchesAndErasuresRacingTheBackgroundMoveSeeEachRecordOnceAndErasedRecordsNeverReturn() throws Exception {
        int sets = 4;
        int rows = 800;
        List<List<String>> ids = new ArrayList<>();
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            for (int s = 0; s < sets; s++) {
                f.upload("u" + s, "c");
                int base = s;
                ids.add(legacySet(f, "u" + s, "ACTIVE", LongStream.range(0, rows)
                        .mapToObj(i -> minimal(2 + i, "P" + i, "S" + base, phone(base, i))).toList()));
            }
            f.records.migrateLegacyInBackground(() -> true);
            java.util.Set<String> erased = new java.util.HashSet<>();
            int round = 0;
            while (f.records.legacyRecordsLeft() && round < 100_000) {
                int s = round % sets;
                int i = (round * 7919) % rows;
                List<RecordStore.StoredRecord> found = f.records.findByPhone(new PhoneNumber(phone(s, i)));
                String id = ids.get(s).get(i);
                if (erased.contains(id)) {
                    assertThat(found).as("erased, round " + round).isEmpty();
                } else {
                    assertThat(found).as("round " + round).extracting(RecordStore.StoredRecord::recordId)
                            .containsExactly(id);
                    if (round % 3 == 0) {
                        assertThat(f.records.deleteRecords(List.of(id))).isEqualTo(1);
                        erased.add(id);
                    }
                }
                round++;
            }
            assertThat(f.records.legacyRecordsLeft()).as("moved within the rounds").isFalse();
            assertThat(f.records.count("c")).isEqualTo((long) sets * rows - erased.size());
            for (int s = 0; s < sets; s++) {
                List<String> left = new ArrayList<>(ids.get(s));
                left.removeAll(erased);
                try (var stream = f.records.activeRecords("u" + s)) {
                    assertThat(stream.map(RecordStore.StoredRecord::recordId).toList()).containsExactlyElementsOf(left);
                }
            }
            for (String id : erased) {
                assertThat(f.records.isStored(id)).isFalse();
            }
        }
    }

    private static String phone(int set, long i) {
        return "+3584" + set + (1000000 + i);
    }

    /** A record set and its rows as the store wrote them before V15. */
    static List<String> legacySet(StoreFixture f, String upload, String state, List<CallRecord> records) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        DataKey key = f.keys.forCampaign("c");
        List<String> ids = new ArrayList<>();
        f.db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_set(upload_id, campaign, state,"
                    + " record_count, created_at) VALUES (?, 'c', ?, ?, ?)")) {
                ps.setString(1, upload);
                ps.setString(2, state);
                ps.setLong(3, records.size());
                ps.setObject(4, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_record(record_id, campaign, upload_id,"
                    + " row_number, payload, phone_idx, email_idx, name_postal_idx, name_idx, created_at, gen)"
                    + " VALUES (?, 'c', ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                for (CallRecord r : records) {
                    byte[] raw = new byte[16];
                    RANDOM.nextBytes(raw);
                    String id = RecordIds.base32(raw);
                    ids.add(id);
                    BlindIndex.Entries idx = f.index.of(r);
                    ps.setString(1, id);
                    ps.setString(2, upload);
                    ps.setLong(3, r.rowNumber());
                    ps.setBytes(4, RecordCipher.seal(key, "c", id, r));
                    ps.setBytes(5, idx.phone());
                    ps.setBytes(6, idx.email().orElse(null));
                    ps.setBytes(7, idx.namePostal().orElse(null));
                    ps.setBytes(8, idx.name());
                    ps.setObject(9, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        return ids;
    }
}
