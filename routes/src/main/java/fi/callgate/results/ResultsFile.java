package fi.callgate.results;

import fi.callgate.csv.CsvInput;
import fi.callgate.csv.CsvLimits;
import fi.callgate.csv.FileRejection;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a results file (CONTRACT §4) through the same {@link CsvInput} as call lists (UTF-8 with or without
 * a BOM, or Windows-1252; delimiter {@code ;}, {@code ,} or tab detected from the header line; the same
 * limits), header row required, column names case-insensitive in English or Finnish.
 * Gives each data row as column → value with its record number (the header is record 1, as in call-list
 * reports). A file that cannot be read at all is a {@link Unreadable} with a reason that names no content.
 */
final class ResultsFile {
    /** Results files are small (a dialer's day); the row, field and column caps are the call lists'. */
    static final CsvLimits LIMITS = new CsvLimits(64L * 1024 * 1024, CsvLimits.DEFAULT_MAX_ROW_CHARS,
            CsvLimits.DEFAULT_MAX_FIELD_CHARS, CsvLimits.DEFAULT_MAX_COLUMNS);

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

    /** Takes each data row as it is read. */
    @FunctionalInterface
    interface RowHandler {
        void row(Row row);
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

    /**
     * Reads the file through the shared {@link CsvInput}, gives the notes about its header (ignored columns)
     * to {@code notes}, then hands every data row to {@code rows}, in file order.
     *
     * @throws Unreadable for a file refused whole (encoding, limits, malformed CSV, no usable header)
     * @throws IOException only when {@code in} itself fails, never for content
     */
    static void read(InputStream in, Consumer<String> notes, RowHandler rows) throws Unreadable, IOException {
        try (CsvInput csv = CsvInput.open(in, LIMITS)) {
            Optional<CSVRecord> first = csv.next();
            if (first.isEmpty()) {
                throw new Unreadable("empty", "the file is empty; a header row is required");
            }
            List<String> headerNotes = new ArrayList<>();
            Map<Integer, String> columns = header(first.get(), headerNotes);
            headerNotes.forEach(notes);
            for (Optional<CSVRecord> next = csv.next(); next.isPresent(); next = csv.next()) {
                CSVRecord rec = next.get();
                Map<String, String> values = new HashMap<>();
                columns.forEach((i, name) -> {
                    if (i < rec.size()) {
                        values.put(name, rec.get(i));
                    }
                });
                rows.row(new Row(rec.getRecordNumber(), values));
            }
        } catch (IOException e) {
            Optional<FileRejection> refused = CsvInput.refusal(e);
            if (refused.isEmpty()) {
                throw e;
            }
            throw new Unreadable(CsvInput.code(refused.get()), refused.get().message());
        }
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
}
