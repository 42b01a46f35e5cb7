package fi.callgate.pipeline.stage;

import fi.callgate.csv.CsvCell;
import fi.callgate.csv.FileRejection;
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

    /**
     * The report of an upload finished after {@code attempts} failed processing passes (the retry cap). The
     * upload id is the reference IT looks the cause up by; nothing else about the failure is told to the sender.
     *
     * @param storedRows the rows already stored before processing gave up (records published), or -1 if nothing
     *                   of the file was stored
     */
    public static UploadReport notProcessed(String originalName, String uploadId, int attempts, long storedRows) {
        StringBuilder sb = header(originalName);
        if (storedRows < 0) {
            summary(sb, "file_not_processed", NOT_PROCESSED + ": the file could not be processed (" + attempts
                    + " attempts); please send it again later or contact IT");
            summary(sb, "rows_accepted", "0");
            summary(sb, "note", "nothing from this file was stored; the upload has been destroyed");
        } else {
            summary(sb, "file_not_completed", NOT_PROCESSED + ": the file's " + storedRows + " accepted rows were"
                    + " stored, but its processing could not be completed (" + attempts + " attempts); contact IT");
            summary(sb, "rows_accepted", Long.toString(storedRows));
        }
        summary(sb, "reference", "upload " + uploadId);
        return new UploadReport(false, NOT_PROCESSED, Math.max(storedRows, 0), 0, sb.toString());
    }

    /** Reason code of an upload given up after the maximum number of processing attempts. */
    public static final String NOT_PROCESSED = "NOT_PROCESSED";

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
