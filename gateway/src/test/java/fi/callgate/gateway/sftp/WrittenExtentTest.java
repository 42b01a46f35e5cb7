package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hole guard's bookkeeping: out-of-order and repeated writes are counted once, holes are bounded. */
class WrittenExtentTest {

    @Test
    void inOrderWritesLeaveNothingUnwritten() {
        WrittenExtent w = new WrittenExtent(100);
        for (int off = 0; off < 10_000; off += 1000) {
            assertThat(w.refusal(off, 1000)).isNull();
            w.record(off, 1000);
        }
        assertThat(w.end()).isEqualTo(10_000);
        assertThat(w.unwritten()).isZero();
    }

    @Test
    void shuffledPipelinedWritesWithinTheAllowanceAreAcceptedAndCloseUp() {
        WrittenExtent w = new WrittenExtent(64 * 1024);
        List<Integer> chunks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            chunks.add(i);
        }
        Random random = new Random(1);
        // shuffle within windows of 8 chunks of 4 KiB, as concurrent requests arrive
        for (int from = 0; from < chunks.size(); from += 8) {
            Collections.shuffle(chunks.subList(from, Math.min(chunks.size(), from + 8)), random);
        }
        for (int c : chunks) {
            assertThat(w.refusal(c * 4096L, 4096)).isNull();
            w.record(c * 4096L, 4096);
        }
        assertThat(w.unwritten()).isZero();
        assertThat(w.end()).isEqualTo(1000 * 4096L);
    }

    @Test
    void repeatedWritesOfTheSameRangeDoNotBuyAHole() {
        WrittenExtent w = new WrittenExtent(1000);
        for (int i = 0; i < 100; i++) {
            w.record(0, 1000);
        }
        assertThat(w.refusal(1500, 10)).isNull(); // 500 unwritten
        assertThat(w.refusal(2001, 10)).isNotNull(); // 1001 unwritten
        assertThat(w.refusal((2L << 30) - 8, 8)).contains("unwritten");
    }

    @Test
    void overlappingIslandsMergeAndFillingTheGapJoinsThem() {
        WrittenExtent w = new WrittenExtent(10_000);
        w.record(0, 100);
        w.record(500, 100);
        w.record(550, 100);
        w.record(700, 50);
        assertThat(w.end()).isEqualTo(750);
        assertThat(w.unwritten()).isEqualTo(750 - 100 - 150 - 50);
        assertThat(w.unwrittenAfter(100, 600)).isZero();
        w.record(100, 600);
        assertThat(w.unwritten()).isZero();
        assertThat(w.end()).isEqualTo(750);
    }
}
