package fi.callgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fi.callgate.pipeline.stage.CallListParser;
import fi.callgate.pipeline.stage.CallListPolicy;
import fi.callgate.pipeline.stage.UploadReport;
import fi.callgate.pipeline.stage.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The CSV validator on hostile input. Plain {@code mvn test} replays the committed inputs in
 * {@code CallListParserFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class CallListParserFuzzTest {
    private static final CallListParser PARSER = new CallListParser(CallListPolicy.defaults(false));
    private static final List<String> HEADERS = List.of("etunimi", "sukunimi", "puhelin", "sähköposti", "lähde",
            "first_name", "last_name", "phone", "source", "hetu", "notes", "postinumero", "osoite");
    private static final List<String> PHONES = List.of("040 123 4567", "+358 50 7654321", "00358449876543",
            "0401112222", "+358 18 12345");
    /** Put into every data cell: the report may name rows, columns and reasons, never what a cell held. */
    private static final String SENTINEL = "Qzxv";

    /** Any bytes: a report always comes back (a refused file is a report, not an exception). */
    @FuzzTest(maxDuration = "60s")
    void arbitraryBytes(byte[] data) throws IOException {
        ValidationReport v = PARSER.parse(new ByteArrayInputStream(data), r -> { });
        UploadReport report = UploadReport.of("list.csv", v);
        assertThat(report.csv()).startsWith("row;outcome;reason\n");
        FuzzCounts.hit("CallListParser.arbitraryBytes", v.isAccepted() ? "accepted" : "refused");
    }

    /** A list shaped like a real one with fuzzed cells: no cell content reaches the report. */
    @FuzzTest(maxDuration = "60s")
    void cellsNeverReachTheReport(FuzzedDataProvider data) throws IOException {
        char delim = data.pickValue(new Character[] {';', ',', '\t'});
        int extra = data.consumeInt(0, 3);
        StringBuilder sb = new StringBuilder(String.join(String.valueOf(delim), "etunimi", "sukunimi", "puhelin",
                "lähde"));
        for (int c = 0; c < extra; c++) {
            sb.append(delim).append(data.pickValue(HEADERS));
        }
        sb.append('\n');
        int rows = data.consumeInt(0, 12);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 4 + extra; c++) {
                String cell = SENTINEL + data.consumeString(24).replace("\"", "");
                if (c == 2 && data.consumeBoolean()) {
                    cell = data.pickValue(PHONES); // a valid number, so that rows are accepted as well
                }
                sb.append(c == 0 ? "" : delim).append('"').append(cell).append('"');
            }
            sb.append('\n');
        }
        ValidationReport v = PARSER.parse(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)),
                r -> { });
        String report = UploadReport.of("list.csv", v).csv();
        assertThat(report).doesNotContain(SENTINEL);
        FuzzCounts.hit("CallListParser.cellsNeverReachTheReport", v.isAccepted() ? "accepted" : "refused");
    }

    @AfterAll
    static void counts() {
        FuzzCounts.print("CallListParser");
    }
}
