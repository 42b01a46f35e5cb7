package fi.callgate.pipeline.stage;

import fi.callgate.csv.CallListRejectedException;
import fi.callgate.csv.CsvInput;
import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumberNormaliser;
import fi.callgate.domain.RejectReason;
import fi.callgate.domain.SpecialCategory;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a plaintext call list (CONTRACT §4) row by row through the shared {@link CsvInput} (encoding,
 * delimiter, limits) and hands each accepted row to a consumer; never holds the file. Memory: the
 * parser's buffers, one row, and the {@link DuplicateFilter}.
 *
 * <p><b>Streaming caveat:</b> a file-level refusal can come after rows were already handed over (a
 * personal identity code in the last row refuses the whole file). The consumer must stage what it
 * receives and keep it only if {@link ValidationReport#isAccepted()}.
 *
 * <p>One instance per campaign policy; {@link #parse} may be called from several threads at once.
 */
public final class CallListParser {

    private final CallListPolicy policy;
    private final RowValidator validator;
    private final Path duplicateSpillDir;
    private final long duplicateHeapBytes;

    public CallListParser(CallListPolicy policy) {
        this(policy, new PhoneNumberNormaliser());
    }

    public CallListParser(CallListPolicy policy, PhoneNumberNormaliser phones) {
        this(policy, phones, Path.of(System.getProperty("java.io.tmpdir")), DuplicateFilter.DEFAULT_HEAP_BYTES);
    }

    /**
     * @param duplicateSpillDir where the duplicate check's table goes once it outgrows
     *        {@code duplicateHeapBytes} of heap (keyed hashes only, unlinked at once; see {@link DuplicateFilter})
     */
    public CallListParser(CallListPolicy policy, PhoneNumberNormaliser phones, Path duplicateSpillDir,
                          long duplicateHeapBytes) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.validator = new RowValidator(phones, policy.personalIdAllowed());
        this.duplicateSpillDir = Objects.requireNonNull(duplicateSpillDir, "duplicateSpillDir");
        this.duplicateHeapBytes = duplicateHeapBytes;
    }

    /**
     * Validates {@code plaintext} and passes every accepted row to {@code accepted}, in file order.
     *
     * @return the report; a refused file is a report with {@link ValidationReport#fileRejection()}, not
     *         an exception
     * @throws IOException only when {@code plaintext} itself fails (e.g. decryption), never for content
     */
    public ValidationReport parse(InputStream plaintext, Consumer<CallRecord> accepted) throws IOException {
        ReportBuilder report = new ReportBuilder(policy.maxListedIssues());
        try (CsvInput csv = CsvInput.open(plaintext, policy.csvLimits())) {
            report.encoding(csv.charset().name());
            report.delimiter(csv.delimiter());
            run(csv, accepted, report);
            return report.build(null);
        } catch (CallListRejectedException e) {
            return report.build(e.rejection());
        }
    }

    private void run(CsvInput csv, Consumer<CallRecord> accepted, ReportBuilder report) throws IOException {
        Optional<CSVRecord> first = csv.next();
        if (first.isEmpty()) {
            throw new CallListRejectedException(RejectReason.EMPTY_FILE, "the file is empty");
        }
        Header header = Header.read(first.get(), policy.personalIdAllowed(), report);
        String[] values = new String[CallListColumn.values().length];
        try (DuplicateFilter duplicates = new DuplicateFilter(duplicateSpillDir, duplicateHeapBytes)) {
            for (Optional<CSVRecord> next = csv.next(); next.isPresent(); next = csv.next()) {
                row(next.get(), header, values, duplicates, accepted, report);
            }
        }
        if (report.dataRows() == report.blankRowsSoFar()) {
            throw new CallListRejectedException(RejectReason.NO_DATA_ROWS, "the file has a header but no data rows");
        }
    }

    private void row(CSVRecord record, Header header, String[] values, DuplicateFilter duplicates,
                     Consumer<CallRecord> accepted, ReportBuilder report) throws CallListRejectedException {
        long row = record.getRecordNumber();
        int size = record.size();
        boolean blank = true;
        for (int i = 0; i < size; i++) {
            String v = record.get(i);
            if (!v.isBlank()) {
                blank = false;
            }
            if (!policy.personalIdAllowed() && PersonalIdCode.containsValidCode(v)) {
                throw new CallListRejectedException(RejectReason.PERSONAL_ID_FOUND, "row " + row + ", column "
                        + header.name(i) + " contains a Finnish personal identity code, and this campaign "
                        + "may not hold personal identity codes");
            }
        }
        if (blank) {
            report.blank();
            return;
        }
        if (size > header.size()) {
            report.rejected(row, "has " + size + " fields but the header has " + header.size());
            return;
        }
        java.util.Arrays.fill(values, null);
        for (int i = 0; i < size; i++) {
            CallListColumn c = header.column(i);
            if (c != null) {
                values[c.ordinal()] = record.get(i);
            }
        }
        RowValidator.Outcome outcome = validator.validate(row, values);
        if (outcome.record() == null) {
            report.rejected(row, outcome.rejection());
            return;
        }
        CallRecord r = outcome.record();
        long first = duplicates.firstOccurrence(r.phone().e164(), r.firstName(), r.lastName(), row);
        if (first != 0) {
            report.rejected(row, "duplicate of row " + first);
            return;
        }
        for (String w : outcome.warnings()) {
            report.warning(row, w);
        }
        report.accepted();
        accepted.accept(r);
    }

    /** The header row, mapped to columns. */
    private static final class Header {
        private final CallListColumn[] columns;
        private final String[] names;

        private Header(CallListColumn[] columns, String[] names) {
            this.columns = columns;
            this.names = names;
        }

        int size() {
            return columns.length;
        }

        CallListColumn column(int i) {
            return i < columns.length ? columns[i] : null;
        }

        String name(int i) {
            return i < names.length ? names[i] : "#" + (i + 1);
        }

        static Header read(CSVRecord record, boolean personalIdAllowed, ReportBuilder report)
                throws CallListRejectedException {
            int n = record.size();
            CallListColumn[] columns = new CallListColumn[n];
            String[] names = new String[n];
            EnumMap<CallListColumn, Integer> seen = new EnumMap<>(CallListColumn.class);
            List<String> dropped = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String raw = record.get(i);
                if (PersonalIdCode.containsValidCode(raw) || looksLikeData(raw)) {
                    // Without a header the first row is somebody's data: do not echo it as column names.
                    throw new CallListRejectedException(RejectReason.HEADER_MISSING,
                            "the first row looks like data, not a header row; a header row is required");
                }
            }
            for (int i = 0; i < n; i++) {
                String raw = record.get(i);
                if (i == 0 && raw.startsWith("\uFEFF")) {
                    raw = raw.substring(1);
                }
                names[i] = printable(raw, i);
                var special = SpecialCategory.detect(raw);
                var column = CallListColumn.byHeader(raw);
                if (column.isEmpty() && special.isPresent()) {
                    throw new CallListRejectedException(RejectReason.SPECIAL_CATEGORY_COLUMN, "column " + (i + 1)
                            + " (" + names[i] + ") names special-category data (" + special.get().description()
                            + "); such data is not accepted");
                }
                if (column.isEmpty()) {
                    dropped.add(names[i]);
                    continue;
                }
                CallListColumn c = column.get();
                if (c == CallListColumn.PERSONAL_ID && !personalIdAllowed) {
                    throw new CallListRejectedException(RejectReason.PERSONAL_ID_COLUMN_NOT_ALLOWED, "column "
                            + (i + 1) + " (" + names[i] + ") holds personal identity codes, which this campaign "
                            + "may not hold");
                }
                Integer earlier = seen.put(c, i);
                if (earlier != null) {
                    throw new CallListRejectedException(RejectReason.DUPLICATE_COLUMN, "columns " + (earlier + 1)
                            + " and " + (i + 1) + " are both " + c.columnName());
                }
                columns[i] = c;
                names[i] = c.columnName();
            }
            List<String> missing = new ArrayList<>();
            for (CallListColumn c : CallListColumn.values()) {
                if (c.required() && !seen.containsKey(c)) {
                    missing.add(c.columnName());
                }
            }
            if (!missing.isEmpty()) {
                throw new CallListRejectedException(RejectReason.MISSING_COLUMN,
                        "required column(s) missing: " + String.join(", ", missing));
            }
            dropped.forEach(report::droppedColumn);
            return new Header(columns, names);
        }

        /** An '@' or five digits in a row never occur in a column name but do in phones and emails. */
        private static boolean looksLikeData(String s) {
            int digits = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '@') {
                    return true;
                }
                digits = c >= '0' && c <= '9' ? digits + 1 : 0;
                if (digits >= 5) {
                    return true;
                }
            }
            return false;
        }

        /** Header names go into reports and logs: short, no control characters, never empty. */
        private static String printable(String raw, int index) {
            String s = raw.strip();
            if (s.isEmpty()) {
                return "#" + (index + 1);
            }
            if (s.length() > 64) {
                s = s.substring(0, 64) + "…";
            }
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
            }
            return out.toString();
        }
    }
}
