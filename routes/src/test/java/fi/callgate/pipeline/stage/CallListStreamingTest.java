package fi.callgate.pipeline.stage;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** 200 000 generated rows stream through without the file ever existing in memory. */
class CallListStreamingTest {

    private static final int ROWS = 200_000;

    @Test
    void manyRowsStreamThroughWithBoundedMemory() throws Exception {
        long[] seen = new long[1];
        long[] maxLag = new long[1];
        GeneratedList list = new GeneratedList();
        ValidationReport report = new CallListParser(CallListPolicy.defaults(false)).parse(list, r -> {
            seen[0]++;
            maxLag[0] = Math.max(maxLag[0], list.row - seen[0]);
        });
        assertThat(report.isAccepted()).isTrue();
        assertThat(report.acceptedRows()).isEqualTo(ROWS);
        assertThat(seen[0]).isEqualTo(ROWS);
        assertThat(report.rejectedRows()).isZero();
        // Streaming, not slurping: when a row is delivered the parser has read only a bounded window
        // ahead of it (the 64 KiB detection prefix plus reader buffers, about a thousand ~60-byte rows),
        // never the rest of the ~12 MB file. Memory beyond that is the duplicate table, at most 16 MiB of
        // heap before it moves to a mapped file (DuplicateFilterTest).
        assertThat(maxLag[0]).isLessThan(5_000);
    }

    /** Rows generated on demand; each has a distinct valid Finnish mobile number. */
    private static final class GeneratedList extends InputStream {
        private byte[] current = "etunimi;sukunimi;puhelin;sähköposti;lähde\n".getBytes(StandardCharsets.UTF_8);
        private int pos;
        private int row;

        @Override
        public int read() {
            if (pos == current.length && !next()) {
                return -1;
            }
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == current.length && !next()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean next() {
            if (row == ROWS) {
                return false;
            }
            row++;
            current = String.format("Etu%d;Suku%d;040 %07d;e%d@example.fi;generated%n", row, row, 1_000_000 + row, row)
                    .getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }
    }
}
