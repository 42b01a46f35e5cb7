package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BufferedRandomTest {

    /** Each byte of a block is handed out once: no two draws repeat, within a thread or across threads. */
    @Test
    void drawsNeverRepeatAcrossBlocksAndThreads() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int width = 5 + t * 4; // 5, 9, 13, 17 bytes: draws straddle block ends
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        byte[] b = new byte[width];
                        BufferedRandom.nextBytes(b);
                        seen.add(HexFormat.of().formatHex(b));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(80_000);
    }

    @Test
    void fillsOnlyTheRequestedRangeAndLargeRequestsToo() {
        byte[] b = new byte[64];
        BufferedRandom.nextBytes(b, 8, 16);
        assertThat(b).startsWith(new byte[8]).endsWith(new byte[40]);
        byte[] big = new byte[5000];
        BufferedRandom.nextBytes(big);
        int zeros = 0;
        for (byte x : big) {
            zeros += x == 0 ? 1 : 0;
        }
        assertThat(zeros).isLessThan(100); // ≈ 20 expected
    }
}
