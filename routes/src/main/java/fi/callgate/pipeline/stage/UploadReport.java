package fi.callgate.pipeline.stage;

import java.util.ArrayList;
import java.util.List;

/**
 * The report a controller gets for one upload, as CSV ({@code ;}-separated, UTF-8): a header
 * {@code row;outcome;reason}, summary lines with an empty row number, then one line per rejected row.
 * Built only from counts, row numbers, column names and reasons, never from cell contents, so it holds
 * no personal data.
 */
public record UploadReport(boolean accepted, String reasonCode, long rowsAccepted, long rowsRejected, String csv) {

    public static UploadReport rejected(String originalName, String reasonCode, String why) {
        StringBuilder sb = header(originalName);
        summary(sb, "file_rejected", reasonCode + ": " + why);
        summary(sb, "rows_accepted", "0");
        summary(sb, "note", "nothing from this file was stored; the upload has been destroyed");
        return new UploadReport(false, reasonCode, 0, 0, sb.toString());
    }

    public static UploadReport of(String originalName, ValidationReport v) {
        if (v.fileRejection().isPresent()) {
            FileRejection f = v.fileRejection().get();
            return rejected(originalName, f.reason().name(), f.message());
        }
        StringBuilder sb = header(originalName);
        summary(sb, "file_accepted", "encoding " + v.encoding().orElse("?") + ", delimiter "
                + v.delimiter().map(UploadReport::describe).orElse("?"));
        summary(sb, "rows_accepted", Long.toString(v.acceptedRows()));
        summary(sb, "rows_rejected", Long.toString(v.rejectedRows()));
        if (!v.droppedColumns().isEmpty()) {
            summary(sb, "columns_dropped", String.join(", ", v.droppedColumns()));
        }
        for (RowRejection r : v.rejections()) {
            line(sb, Long.toString(r.rowNumber()), "rejected", r.reason());
        }
        if (v.rejectionsNotListed() > 0) {
            summary(sb, "rejected_not_listed", Long.toString(v.rejectionsNotListed()));
        }
        for (RowWarning w : v.warnings()) {
            line(sb, Long.toString(w.rowNumber()), "warning", w.message());
        }
        if (v.warningsNotListed() > 0) {
            summary(sb, "warnings_not_listed", Long.toString(v.warningsNotListed()));
        }
        return new UploadReport(true, null, v.acceptedRows(), v.rejectedRows(), sb.toString());
    }

    private static StringBuilder header(String originalName) {
        StringBuilder sb = new StringBuilder("row;outcome;reason\n");
        summary(sb, "upload", originalName);
        return sb;
    }

    private static void summary(StringBuilder sb, String outcome, String reason) {
        line(sb, "", outcome, reason);
    }

    private static void line(StringBuilder sb, String row, String outcome, String reason) {
        List<String> cells = new ArrayList<>(List.of(row, outcome, reason));
        for (int i = 0; i < cells.size(); i++) {
            cells.set(i, CsvCell.quote(cells.get(i)));
        }
        sb.append(String.join(";", cells)).append('\n');
    }

    private static String describe(char c) {
        return c == '\t' ? "tab" : "'" + c + "'";
    }
}
