package fi.callgate.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.testing.CsvEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Results files are read like call lists (CONTRACT §4, "All CSV"): UTF-8 with or without a BOM and
 * Windows-1252, each with {@code ;}, {@code ,} or tab, Finnish headers included.
 */
class ResultsFileTest {

    static Stream<Arguments> encodingsAndDelimiters() {
        List<Arguments> out = new ArrayList<>();
        for (CsvEncoding e : CsvEncoding.values()) {
            for (String d : List.of(";", ",", "\t")) {
                out.add(Arguments.of(e, d));
            }
        }
        return out.stream();
    }

    private static List<ResultsFile.Row> read(byte[] bytes, List<String> notes) throws Exception {
        List<ResultsFile.Row> rows = new ArrayList<>();
        ResultsFile.read(new ByteArrayInputStream(bytes), notes::add, rows::add);
        return rows;
    }

    @ParameterizedTest(name = "{0} with delimiter [{1}]")
    @MethodSource("encodingsAndDelimiters")
    void everyEncodingWithEveryDelimiter(CsvEncoding encoding, String d) throws Exception {
        String text = String.join(d, "tunniste", "tulos", "tuote", "katuosoite", "kaupunki") + "\r\n"
                + String.join(d, "aaaaaaaaaaaaaaaaaaaaaaaaaa", "order", "Lehti €", "Hämeentie 1", "Hyvinkää")
                + "\r\n"
                + String.join(d, "bbbbbbbbbbbbbbbbbbbbbbbbbb", "address_change", "", "Åkerlundinkatu 2", "Töölö")
                + "\r\n";
        List<String> notes = new ArrayList<>();
        List<ResultsFile.Row> rows = read(encoding.bytes(text), notes);
        assertThat(notes).isEmpty();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).number()).isEqualTo(2);
        assertThat(rows.get(0).get("record_id")).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(rows.get(0).get("outcome")).isEqualTo("order");
        assertThat(rows.get(0).get("product")).isEqualTo("Lehti €");
        assertThat(rows.get(0).get("city")).isEqualTo("Hyvinkää");
        assertThat(rows.get(1).get("street")).isEqualTo("Åkerlundinkatu 2");
        assertThat(rows.get(1).get("city")).isEqualTo("Töölö");
    }

    @Test
    void textThatIsNeitherUtf8NorWindows1252IsRefusedWhole() {
        byte[] bytes = new byte[] {'r', 'e', 'c', 'o', 'r', 'd', '_', 'i', 'd', ';', 'o', 'u', 't', 'c', 'o', 'm', 'e',
                '\n', 'a', ';', (byte) 0x81, '\n'};
        assertThatThrownBy(() -> read(bytes, new ArrayList<>())).isInstanceOf(ResultsFile.Unreadable.class)
                .satisfies(e -> assertThat(((ResultsFile.Unreadable) e).code).isEqualTo("encoding"));
    }

    @Test
    void theCallListLimitsApply() {
        String header = "record_id;outcome;" + "x;".repeat(80) + "\n";
        assertThatThrownBy(() -> read(header.getBytes(java.nio.charset.StandardCharsets.UTF_8), new ArrayList<>()))
                .isInstanceOf(ResultsFile.Unreadable.class)
                .satisfies(e -> assertThat(((ResultsFile.Unreadable) e).code).isEqualTo("too_many_columns"));
    }

    @Test
    void aFailingSourceIsNotMistakenForBadContent() {
        var broken = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        assertThatThrownBy(() -> ResultsFile.read(broken, n -> { }, r -> { })).isInstanceOf(IOException.class)
                .hasMessage("disk gone");
    }
}
