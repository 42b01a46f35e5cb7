package fi.callgate.pipeline.stage;

/**
 * A row left out of the list.
 *
 * @param rowNumber CSV record number in the upload, the header being record 1 (empty lines are not
 *                  counted; a quoted field spanning lines is still one record)
 * @param reason    names the column, never its content
 */
public record RowRejection(long rowNumber, String reason) {
}
