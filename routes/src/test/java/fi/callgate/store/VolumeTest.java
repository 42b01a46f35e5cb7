package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 000 records through staging, publish, streaming read, lookup and deletion. No timing asserts. */
class VolumeTest {
    private static final int N = 200_000;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRecords() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("big", "Org");
            f.upload("u1", "big");
            long t0 = System.nanoTime();
            try (RecordStore.Staging s = f.records.stage("u1", "big")) {
                for (int i = 0; i < N; i++) {
                    s.add(record(i));
                }
                assertThat(s.finish()).isEqualTo(N);
            }
            long t1 = System.nanoTime();
            assertThat(f.records.activeRecords("u1").findAny()).isEmpty();
            assertThat(f.records.publish("u1")).isEqualTo(N);
            assertThat(f.records.count("big")).isEqualTo(N);

            long t2 = System.nanoTime();
            AtomicLong seen = new AtomicLong();
            AtomicLong lastRow = new AtomicLong(Long.MIN_VALUE);
            Iterator<RecordStore.StoredRecord> it = f.records.activeRecords("u1").iterator();
            while (it.hasNext()) {
                CallRecord r = it.next().record();
                assertThat(r.rowNumber()).isGreaterThan(lastRow.get());
                lastRow.set(r.rowNumber());
                if (r.rowNumber() == 2 + 123_456) {
                    assertThat(r.firstName()).isEqualTo("Etunimi123456");
                }
                seen.incrementAndGet();
            }
            long t3 = System.nanoTime();
            assertThat(seen.get()).isEqualTo(N);

            assertThat(f.records.findByPhone(phone(199_999))).singleElement()
                    .satisfies(r -> assertThat(r.record().lastName()).isEqualTo("Sukunimi199999"));
            assertThat(f.records.findByEmail("henkilo77778@example.fi")).hasSize(1);

            long t4 = System.nanoTime();
            assertThat(f.records.deleteByUpload("u1")).isEqualTo(N);
            long t5 = System.nanoTime();
            assertThat(f.records.count("big")).isZero();
            System.out.printf("VolumeTest: %d records staged in %d ms, read back in %d ms, deleted in %d ms%n",
                    N, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000, (t5 - t4) / 1_000_000);
        }
    }

    private static CallRecord record(int i) {
        return i % 2 == 0
                ? StoreFixture.full(2 + i, "Etunimi" + i, "Sukunimi" + i, phone(i).e164(),
                        "henkilo" + i + "@example.fi", String.format("%05d", i % 100_000))
                : StoreFixture.minimal(2 + i, "Etunimi" + i, "Sukunimi" + i, phone(i).e164());
    }

    private static PhoneNumber phone(int i) {
        return new PhoneNumber("+35840" + (1_000_000 + i));
    }
}
