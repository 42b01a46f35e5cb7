package fi.callgate.pipeline.stage;

import fi.callgate.csv.FileRejection;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating one call list. Only counts, row numbers, column names and reasons: it can
 * be logged and sent to the controller as is.
 *
 * @param acceptedRows        rows handed to the consumer
 * @param rejectedRows        rows left out (duplicates included)
 * @param blankRows           rows with every field empty, skipped silently (spreadsheet exports add them)
 * @param rejections          the first {@code maxListedIssues} rejected rows
 * @param rejectionsNotListed rejected rows beyond that bound
 * @param droppedColumns      unknown columns, by header name, not kept
 * @param fileRejection       present when the whole file is refused; records already handed to the
 *                            consumer must then be discarded
 * @param encoding            the detected character set, or empty if detection failed
 * @param delimiter           the detected delimiter, or empty if detection did not run
 */
public record ValidationReport(long acceptedRows, long rejectedRows, long blankRows,
                               List<RowRejection> rejections, long rejectionsNotListed,
                               List<RowWarning> warnings, long warningsNotListed,
                               List<String> droppedColumns, Optional<FileRejection> fileRejection,
                               Optional<String> encoding, Optional<Character> delimiter) {

    public ValidationReport {
        rejections = List.copyOf(rejections);
        warnings = List.copyOf(warnings);
        droppedColumns = List.copyOf(droppedColumns);
    }

    public boolean isAccepted() {
        return fileRejection.isEmpty();
    }
}
