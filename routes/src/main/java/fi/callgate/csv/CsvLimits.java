package fi.callgate.csv;

/**
 * The resource caps every CSV file Callgate reads is held to, so that a hostile file cannot exhaust memory:
 * bytes of the file, characters of a row and of a field (UTF-16 characters of the decoded text), columns.
 */
public record CsvLimits(long maxFileBytes, int maxRowChars, int maxFieldChars, int maxColumns) {

    public CsvLimits {
        if (maxFileBytes <= 0 || maxRowChars <= 0 || maxFieldChars <= 0 || maxColumns <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
