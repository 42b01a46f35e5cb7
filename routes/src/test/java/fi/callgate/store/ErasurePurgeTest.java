package fi.callgate.store;

import static fi.callgate.store.StoreFixture.full;
import static fi.callgate.store.StoreFixture.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT: after an erase's purge, no file under data-dir holds the erased record's ciphertext or index
 * entries. Greps every file under the data directory for the bytes before and after the purge.
 */
class ErasurePurgeTest {
    @TempDir
    Path dir;

    @Test
    void anErasedRecordIsPhysicallyGoneAfterThePurge() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c", "Org");
            f.upload("u1", "c");
            CallRecord victim = full(500, "Erkki", "Poistettava", "+358401999888", "erkki@poisto.fi", "00990");
            List<CallRecord> list = new ArrayList<>(LongStream.range(0, 3000)
                    .mapToObj(i -> minimal(2 + i, "Jaana" + i, "Jäävä", "+35840" + (6000000 + i))).toList());
            list.set(498, victim);
            List<String> ids = f.store("u1", "c", list);
            String victimId = ids.get(498);
            BlindIndex.Entries hashes = f.index.of(victim);

            RecordAddress a = new RecordIds(StoreFixture.MASTER).address(victimId).orElseThrow();
            byte[] ciphertext = ciphertextOf(f, a);
            assertThat(occurrences(ciphertext)).as("control: the part holds the record's ciphertext").isNotEmpty();
            assertThat(occurrences(hashes.name())).as("control: the index holds its name hash").isNotEmpty();

            assertThat(f.records.deleteRecords(List.of(victimId))).isEqualTo(1);
            assertThat(f.records.findByPhone(victim.phone())).isEmpty();
            assertThat(f.records.oldestUnpurgedErasure()).isPresent();

            assertThat(f.records.purgeErased()).isEqualTo(1);
            assertThat(f.records.oldestUnpurgedErasure()).isEmpty();
            assertThat(occurrences(ciphertext)).as("ciphertext after the purge").isEmpty();
            for (byte[] h : List.of(hashes.phone(), hashes.email().orElseThrow(), hashes.namePostal().orElseThrow(),
                    hashes.name())) {
                assertThat(occurrences(h)).as("a hash of the erased record after the purge").isEmpty();
            }
            // Everyone else is still there and readable, at the same places.
            assertThat(f.records.activeRecords("u1").count()).isEqualTo(2999);
            assertThat(f.records.findByPhone(new PhoneNumber("+358406000499"))).hasSize(1);
            assertThat(f.records.findInCampaign(ids.get(2999), "c")).isPresent();
            assertThat(f.records.purgeErased()).as("nothing left to purge").isZero();
        }
    }

    /** The on-disk ciphertext bytes of the segment stretch that holds the record. */
    private byte[] ciphertextOf(StoreFixture f, RecordAddress a) throws Exception {
        Path part = RecordStoreTest.onlyPart(dir);
        byte[] file = Files.readAllBytes(part);
        // Find the record by reading the parts the way the store does, then take its ciphertext.
        long offset = -1;
        long at = 0;
        try (RecordParts.Cursor c = new RecordParts(dir.resolve("records/parts")).cursor(a.dataset(), "c", "u1",
                f.keys.forCampaign("c"), 1)) {
            while (c.hasNext()) {
                RecordParts.Entry e = c.next();
                if (e.ordinal() == a.ordinal()) {
                    offset = at;
                    break;
                }
                at += RecordParts.HEADER + e.plain().length;
            }
        }
        assertThat(offset).isNotNegative();
        long segment = offset / RecordParts.SEGMENT;
        int inSegment = (int) (offset % RecordParts.SEGMENT);
        int start = (int) (segment * RecordParts.STRIDE) + 4 + 1 + 12 + inSegment;
        int len = Math.min(40, RecordParts.SEGMENT - inSegment);
        return Arrays.copyOfRange(file, start, start + len);
    }

    private List<Path> occurrences(byte[] needle) throws Exception {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (contains(Files.readAllBytes(p), needle)) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
