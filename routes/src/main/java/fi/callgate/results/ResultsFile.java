package fi.callgate.results;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a results file (CONTRACT §4): UTF-8 (a BOM is skipped), header row required, delimiter {@code ;},
 * {@code ,} or tab detected from the header line, column names case-insensitive in English or Finnish.
 * Gives each data row as column → value with its record number (the header is record 1, as in call-list
 * reports). A file that cannot be read at all is a {@link Unreadable} with a reason that names no content.
 */
final class ResultsFile {
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /** Column → its aliases (lower case). */
    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("record_id", List.of("record_id", "recordid", "id", "tunniste"));
        COLUMNS.put("outcome", List.of("outcome", "result", "tulos"));
        COLUMNS.put("product", List.of("product", "tuote"));
        COLUMNS.put("start_date", List.of("start_date", "alkupäivä", "alkupaiva", "aloituspäivä"));
        COLUMNS.put("invoice_due_date", List.of("invoice_due_date", "eräpäivä", "erapaiva", "laskun_eräpäivä"));
        COLUMNS.put("offer_sent", List.of("offer_sent", "tarjous_lähetetty", "tarjous_lahetetty"));
        COLUMNS.put("street", List.of("street", "katuosoite", "lähiosoite", "osoite"));
        COLUMNS.put("postal_code", List.of("postal_code", "postinumero"));
        COLUMNS.put("city", List.of("city", "postitoimipaikka", "kaupunki"));
        COLUMNS.put("email", List.of("email", "sähköposti", "sahkoposti"));
        COLUMNS.put("phone", List.of("phone", "puhelin", "puhelinnumero"));
    }

    record Row(long number, Map<String, String> values) {
        String get(String column) {
            String v = values.get(column);
            return v == null ? "" : v.strip();
        }

        @Override
        public String toString() {
            return "Row[" + number + "]";
        }
    }

    record Parsed(List<Row> rows, List<String> notes) {
    }

    static final class Unreadable extends Exception {
        final String code;

        Unreadable(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private ResultsFile() {
    }

    static Parsed parse(byte[] bytes) throws Unreadable {
        if (bytes.length > MAX_BYTES) {
            throw new Unreadable("too_large", "the file is larger than " + MAX_BYTES + " bytes");
        }
        int skip = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("not_utf8", "the file is not valid UTF-8 text");
        }
        if (text.isBlank()) {
            throw new Unreadable("empty", "the file is empty; a header row is required");
        }
        char delimiter = delimiter(text);
        CSVFormat format = CSVFormat.Builder.create().setDelimiter(delimiter).setQuote('"')
                .setIgnoreEmptyLines(true).build();
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            Map<Integer, String> columns = null;
            for (CSVRecord rec : parser) {
                if (columns == null) {
                    columns = header(rec, notes);
                    continue;
                }
                Map<String, String> values = new HashMap<>();
                columns.forEach((i, name) -> {
                    if (i < rec.size()) {
                        values.put(name, rec.get(i));
                    }
                });
                rows.add(new Row(rec.getRecordNumber(), values));
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new Unreadable("malformed_csv", "the file is not well-formed CSV (an unclosed quote?)");
        }
        return new Parsed(rows, notes);
    }

    private static Map<Integer, String> header(CSVRecord rec, List<String> notes) throws Unreadable {
        Map<Integer, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < rec.size(); i++) {
            String name = rec.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            Optional<String> known = COLUMNS.entrySet().stream().filter(e -> e.getValue().contains(name))
                    .map(Map.Entry::getKey).findFirst();
            if (known.isPresent() && !columns.containsValue(known.get())) {
                columns.put(i, known.get());
            } else {
                // The name is not echoed: a header cell can hold anything.
                notes.add("column " + (i + 1) + " ignored (" + (known.isPresent() ? "duplicate" : "unknown") + ")");
            }
        }
        if (!columns.containsValue("record_id") || !columns.containsValue("outcome")) {
            throw new Unreadable("no_header", "the header row must name the columns record_id and outcome");
        }
        return columns;
    }

    /** The most frequent of {@code ; , tab} in the header line outside quotes; {@code ;} if none. */
    static char delimiter(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        int semi = 0;
        int comma = 0;
        int tab = 0;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                semi += c == ';' ? 1 : 0;
                comma += c == ',' ? 1 : 0;
                tab += c == '\t' ? 1 : 0;
            }
        }
        if (tab > semi && tab > comma) {
            return '\t';
        }
        return comma > semi ? ',' : ';';
    }
}
