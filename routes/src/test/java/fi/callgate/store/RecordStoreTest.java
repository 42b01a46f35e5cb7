package fi.callgate.store;

import static fi.callgate.store.StoreFixture.full;
import static fi.callgate.store.StoreFixture.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {
    @TempDir
    Path dir;
    StoreFixture f;
    RecordStore store;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        store = f.records;
        f.campaign("kesa-2026", "Lehtitalo Oy");
        f.campaign("syys-2026", "Energia Oyj");
        f.upload("u1", "kesa-2026");
        f.upload("u2", "syys-2026");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void roundTripsRecordsWithAndWithoutOptionalFields() {
        List<CallRecord> in = List.of(
                full(2, "Äijö", "Öhman-Ålander", "+358401234567", "aijo@esimerkki.fi", "00530"),
                minimal(3, "Matti", "Meikäläinen", "+358501112233"),
                new CallRecord(4, "Sanna", "Ström", new PhoneNumber("+358182345678"), java.util.Optional.empty(),
                        java.util.Optional.of("Torggatan 2"), java.util.Optional.empty(),
                        java.util.Optional.of("Mariehamn"), "messut", java.util.Optional.empty()));
        List<String> ids = f.store("u1", "kesa-2026", in);

        List<RecordStore.StoredRecord> out = store.activeRecords("u1").toList();
        assertThat(out).extracting(RecordStore.StoredRecord::recordId).containsExactlyElementsOf(ids);
        assertThat(out).extracting(RecordStore.StoredRecord::record)
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(in);
        assertThat(out).allSatisfy(r -> {
            assertThat(r.campaign()).isEqualTo("kesa-2026");
            assertThat(r.uploadId()).isEqualTo("u1");
        });
        assertThat(store.count("kesa-2026")).isEqualTo(3);
        assertThat(store.count("syys-2026")).isZero();
    }

    @Test
    void stagedRecordsAreInvisibleUntilPublished() {
        CallRecord r = full(2, "Liisa", "Virtanen", "+358401230001", "liisa@example.fi", "33100");
        try (RecordStore.Staging s = store.stage("u1", "kesa-2026")) {
            // parts forced and index committed before publishing
            for (int i = 0; i < 1010; i++) {
                s.add(i == 0 ? r : minimal(3 + i, "N" + i, "M", "+35840" + (2000000 + i)));
            }
            s.finish();
            assertThat(store.state("u1")).contains(RecordStore.SetState.STAGED);
            assertThat(store.activeRecords("u1")).isEmpty();
            assertThat(store.findByPhone(r.phone())).isEmpty();
            assertThat(store.findByEmail("liisa@example.fi")).isEmpty();
            assertThat(store.count("kesa-2026")).isZero();
        }
        assertThat(store.publish("u1")).isEqualTo(1010);
        assertThat(store.publish("u1")).as("idempotent").isEqualTo(1010);
        assertThat(store.findByPhone(r.phone())).hasSize(1);
        assertThat(store.activeRecords("u1").count()).isEqualTo(1010);
    }

    @Test
    void aStagingAbandonedMidWayIsDiscardedAndRedone() {
        try (RecordStore.Staging s = store.stage("u1", "kesa-2026")) {
            for (int i = 0; i < 2500; i++) {
                s.add(minimal(2 + i, "N" + i, "M", "+35840" + (3000000 + i)));
            }
            // "crash": closed without finish; parts and index entries written, the set still STAGED
        }
        assertThatThrownBy(() -> store.stage("u1", "kesa-2026")).hasMessageContaining("discardStaged");
        assertThat(store.activeRecords("u1")).isEmpty();
        assertThat(store.discardStaged("u1")).as("the set never got a count").isZero();
        assertThat(store.findByPhone(new PhoneNumber("+358403000000"))).isEmpty();
        assertThat(store.state("u1")).isEmpty();

        f.store("u1", "kesa-2026", List.of(minimal(2, "A", "B", "+358401112222")));
        assertThat(store.activeRecords("u1")).hasSize(1);
        assertThatThrownBy(() -> store.discardStaged("u1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.stage("u1", "kesa-2026")).hasMessageContaining("ACTIVE");
    }

    @Test
    void blindIndexesFindTheSamePersonAcrossCampaigns() {
        f.store("u1", "kesa-2026", List.of(
                full(2, "Pekka", "Järvinen", "+358407654321", "Pekka.Jarvinen@Example.fi", "90100"),
                minimal(3, "Other", "Person", "+358401110000")));
        f.store("u2", "syys-2026", List.of(
                minimal(5, "Pekka", "Järvinen", "+358407654321"),
                full(6, "Pekka", "Järvinen", "+358409999999", "pekka.jarvinen@example.fi ", "90100")));

        assertThat(store.findByPhone(new PhoneNumber("+358407654321")))
                .extracting(RecordStore.StoredRecord::campaign).containsExactlyInAnyOrder("kesa-2026", "syys-2026");
        assertThat(store.findByEmail(" PEKKA.JARVINEN@example.FI"))
                .extracting(x -> x.record().rowNumber()).containsExactlyInAnyOrder(2L, 6L);
        assertThat(store.findByNamePostal("pekka", "JÄRVINEN", "90100"))
                .extracting(RecordStore.StoredRecord::uploadId).containsExactlyInAnyOrder("u1", "u2");
        assertThat(store.findByNamePostal("Pekka", "Järvinen", "90101")).isEmpty();
        assertThat(store.findByPhone(new PhoneNumber("+358407654320"))).isEmpty();

        String id = store.findByPhone(new PhoneNumber("+358401110000")).get(0).recordId();
        assertThat(store.nameMatches(id, "other", " person")).isTrue();
        assertThat(store.nameMatches(id, "Pekka", "Järvinen")).isFalse();
    }

    @Test
    void aSegmentMovedToAnotherPlaceDoesNotDecrypt() throws Exception {
        // Records spanning several 64 KiB segments; someone with write access swaps the first two segments.
        f.store("u1", "kesa-2026", LongStream.range(0, 3000)
                .mapToObj(i -> minimal(2 + i, "Victim" + i, "One", "+35840" + (5000000 + i))).toList());
        Path part = onlyPart(dir);
        byte[] b = Files.readAllBytes(part);
        int stride = (int) RecordParts.STRIDE;
        assertThat(b.length).isGreaterThan(2 * stride);
        byte[] first = java.util.Arrays.copyOfRange(b, 0, stride);
        System.arraycopy(b, stride, b, 0, stride);
        System.arraycopy(first, 0, b, stride, stride);
        Files.write(part, b);
        assertThatThrownBy(() -> store.activeRecords("u1").toList())
                .isInstanceOf(DataKey.UndecryptableException.class);
    }

    @Test
    void aPartMovedToAnotherCampaignDoesNotDecrypt() throws Exception {
        f.store("u1", "kesa-2026", List.of(minimal(2, "A", "A", "+358401000001")));
        Path a = onlyPart(dir);
        f.store("u2", "syys-2026", List.of(minimal(2, "B", "B", "+358401000002")));
        Path b;
        try (Stream<Path> w = Files.walk(dir.resolve("records/parts"))) {
            b = w.filter(p -> p.getFileName().toString().startsWith("part-") && !p.equals(a)).findFirst().orElseThrow();
        }
        // same place in its set, but the associated data names the campaign and upload
        Files.copy(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> store.activeRecords("u2").toList())
                .isInstanceOf(DataKey.UndecryptableException.class);
    }

    static Path onlyPart(Path dataDir) throws Exception {
        try (Stream<Path> w = Files.walk(dataDir.resolve("records/parts"))) {
            List<Path> parts = w.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            assertThat(parts).hasSize(1);
            return parts.get(0);
        }
    }

    @Test
    void deletionsReturnCountsAndHideAtOnce() {
        List<String> ids = f.store("u1", "kesa-2026", LongStream.range(0, 12_000)
                .mapToObj(i -> minimal(2 + i, "N", "M", "+35840" + (4000000 + i))).toList());
        f.upload("u3", "kesa-2026");
        f.store("u3", "kesa-2026", List.of(minimal(2, "X", "Y", "+358401000009")));
        f.store("u2", "syys-2026", List.of(minimal(2, "X", "Y", "+358401000009")));

        assertThat(store.deleteRecords(List.of(ids.get(0), ids.get(1), "nosuchid"))).isEqualTo(2);
        assertThat(store.count("kesa-2026")).isEqualTo(12_000 - 2 + 1);
        assertThat(store.deleteByUpload("u1")).isEqualTo(12_000 - 2);
        assertThat(store.deleteByUpload("u1")).isZero();
        assertThat(store.state("u1")).contains(RecordStore.SetState.DELETED);
        assertThatThrownBy(() -> store.stage("u1", "kesa-2026")).isInstanceOf(IllegalStateException.class);
        assertThat(store.count("kesa-2026")).isEqualTo(1);
        assertThat(store.findByPhone(new PhoneNumber("+358401000009"))).hasSize(2);

        assertThat(store.deleteByCampaign("kesa-2026")).isEqualTo(1);
        assertThat(store.count("kesa-2026")).isZero();
        assertThat(store.findByPhone(new PhoneNumber("+358401000009")))
                .extracting(RecordStore.StoredRecord::campaign).containsExactly("syys-2026");
        assertThat(store.purgeDeleted()).isZero();
    }

    @Test
    void recordsSurviveAReopen() throws Exception {
        f.store("u1", "kesa-2026", List.of(full(2, "Tiina", "Öberg", "+358401234560", "t@o.fi", "20100")));
        f.close();
        f = new StoreFixture(dir);
        store = f.records;
        assertThat(store.findByEmail("t@o.fi")).extracting(r -> r.record().lastName()).containsExactly("Öberg");
    }

    @Test
    void aDestroyedCampaignTakesNoNewRecords() {
        f.keys.destroy("kesa-2026");
        assertThatThrownBy(() -> store.stage("u1", "kesa-2026"))
                .isInstanceOf(CampaignKeyStore.CampaignKeyDestroyedException.class);
        assertThat(store.state("u1")).isEmpty();
    }

    @Test
    void recordIdsCarryNoPersonalData() {
        List<String> ids = f.store("u1", "kesa-2026", List.of(minimal(2, "Aaaa", "Bbbb", "+358401234567")));
        assertThat(ids.get(0)).matches("[a-z2-7]{26}").doesNotContain("aaaa").doesNotContain("358");
        assertThat(ids.stream().collect(Collectors.toSet())).hasSize(1);
    }
}
