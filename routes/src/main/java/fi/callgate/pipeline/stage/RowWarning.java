package fi.callgate.pipeline.stage;

/** A row that was accepted with an optional field dropped; numbering as in {@link RowRejection}. */
public record RowWarning(long rowNumber, String message) {
}
