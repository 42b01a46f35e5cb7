package fi.callgate.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.PhoneNumberNormaliser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duplicate check stays exact after its table leaves the heap, and the spill holds no personal data. */
class DuplicateFilterTest {
    /** 1 024 slots of 16 bytes: the table leaves the heap after 512 rows. */
    private static final long SMALL_HEAP = 16 * 1024;

    @TempDir
    Path spill;

    @Test
    void exactFirstRowsFarBeyondTheHeapBound() {
        Random rnd = new Random(13);
        Map<String, Long> firstRow = new HashMap<>();
        List<String[]> people = new ArrayList<>();
        int duplicates = 0;
        try (DuplicateFilter filter = new DuplicateFilter(spill, SMALL_HEAP)) {
            for (long row = 2; row < 150_002; row++) {
                String[] p;
                if (people.isEmpty() || rnd.nextInt(5) > 0) {
                    p = new String[] {"+35840" + (1_000_000 + people.size()), "Maija" + people.size(), "Mehiläinen"};
                    people.add(p);
                } else {
                    String[] earlier = people.get(rnd.nextInt(people.size()));
                    // names compare case-insensitively: a re-typed name is still the same person
                    p = rnd.nextBoolean() ? earlier : new String[] {earlier[0], earlier[1].toUpperCase(), earlier[2]};
                }
                String key = p[0] + "|" + p[1].toLowerCase() + "|" + p[2].toLowerCase();
                Long expected = firstRow.putIfAbsent(key, row);
                long got = filter.firstOccurrence(p[0], p[1], p[2], row);
                assertThat(got).as("row %d", row).isEqualTo(expected == null ? 0 : expected);
                duplicates += expected == null ? 0 : 1;
            }
            assertThat(filter.spilled()).isTrue();
        }
        assertThat(duplicates).isGreaterThan(25_000);
    }

    /** Nothing by name in the spill directory, and the unlinked file holds neither numbers nor names. */
    @Test
    void spillHoldsOnlyKeyedHashes() throws IOException {
        try (DuplicateFilter filter = new DuplicateFilter(spill, SMALL_HEAP)) {
            for (int i = 0; i < 5_000; i++) {
                filter.firstOccurrence("+35850" + (7_000_000 + i), "Äijä" + i, "Öllö", i + 2);
            }
            assertThat(filter.spilled()).isTrue();
            try (Stream<Path> names = Files.list(spill)) {
                assertThat(names).isEmpty();
            }
            byte[] content = spillContent();
            assertThat(content.length).isGreaterThanOrEqualTo(5_000 * 16);
            String latin1 = new String(content, StandardCharsets.ISO_8859_1);
            String utf16 = new String(content, StandardCharsets.UTF_16BE);
            String utf16odd = new String(content, 1, content.length - 1, StandardCharsets.UTF_16BE);
            for (String text : List.of(latin1, utf16, utf16odd)) {
                assertThat(text).doesNotContain("3585070").doesNotContain("5070000").doesNotContain("Äijä")
                        .doesNotContain("äijä").doesNotContain("öllö");
            }
        }
    }

    /** The parser reports the right first row for duplicates found after the spill. */
    @Test
    void parserNamesTheFirstRowAcrossTheSpill() throws IOException {
        StringBuilder csv = new StringBuilder("etunimi;sukunimi;puhelin;lähde\n");
        for (int i = 0; i < 3_000; i++) {
            csv.append("Maija").append(i).append(";Mehiläinen;040 ").append(1_000_000 + i).append(";rekisteri\n");
        }
        csv.append("MAIJA7;mehiläinen;+358401000007;rekisteri\n"); // row 3002: same as row 9
        csv.append("Maija2999;Mehiläinen;0401002999;rekisteri\n"); // row 3003: same as row 3001
        CallListParser parser = new CallListParser(CallListPolicy.defaults(false), new PhoneNumberNormaliser(),
                spill, SMALL_HEAP);
        ValidationReport report = parser.parse(new ByteArrayInputStream(csv.toString()
                .getBytes(StandardCharsets.UTF_8)), r -> { });
        assertThat(report.acceptedRows()).isEqualTo(3_000);
        assertThat(report.rejections()).containsExactly(new RowRejection(3002, "duplicate of row 9"),
                new RowRejection(3003, "duplicate of row 3001"));
    }

    /** The unlinked spill file, read back through this process's open descriptor (Linux /proc). */
    private byte[] spillContent() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(spill.toString()) && target.endsWith("(deleted)")) {
                        return Files.readAllBytes(fd);
                    }
                } catch (IOException gone) {
                    // the descriptor of the listing itself, closed meanwhile
                }
            }
        }
        throw new AssertionError("no spill file open under " + spill);
    }
}
