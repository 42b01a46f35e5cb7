package fi.callgate.results;

import fi.callgate.csv.CsvCell;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report on one results file, plain CSV ({@code ;}, CRLF): per rejected row its row number, its
 * record id (only if it has the shape of one of ours) and the reason; warnings likewise; then totals.
 * Nothing from a cell is copied in — reasons name columns and rules — so it holds no personal data.
 */
final class ResultsReport {
    private final List<String> lines = new ArrayList<>();
    private final Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
    private long accepted;
    private long rejected;
    private String fileReason;

    void rejected(long row, String recordId, String reason) {
        rejected++;
        lines.add(row + ";" + CsvCell.quote(recordId) + ";rejected;" + CsvCell.quote(reason));
    }

    void warning(long row, String recordId, String reason) {
        lines.add(row + ";" + CsvCell.quote(recordId) + ";warning;" + CsvCell.quote(reason));
    }

    void note(String text) {
        lines.add(";;note;" + CsvCell.quote(text));
    }

    void accepted(Outcome o) {
        accepted++;
        byOutcome.merge(o, 1L, Long::sum);
    }

    void fileRejected(String reason) {
        fileReason = reason;
    }

    long acceptedCount() {
        return accepted;
    }

    long rejectedCount() {
        return rejected;
    }

    String render() {
        StringBuilder s = new StringBuilder("row;record_id;status;reason\r\n");
        if (fileReason != null) {
            s.append(";;file_rejected;").append(CsvCell.quote(fileReason)).append("\r\n");
        }
        lines.forEach(l -> s.append(l).append("\r\n"));
        s.append(";;rows_accepted;").append(accepted).append("\r\n");
        s.append(";;rows_rejected;").append(rejected).append("\r\n");
        byOutcome.forEach((o, n) -> s.append(";;").append(o.code().toLowerCase(Locale.ROOT)).append(';').append(n)
                .append("\r\n"));
        return s.toString();
    }
}
