package fi.callgate.csv;

/**
 * The resource caps every CSV file Callgate reads is held to, so that a hostile file cannot exhaust memory:
 * bytes of the file, characters of a row and of a field (UTF-16 characters of the decoded text), columns.
 */
public record CsvLimits(long maxFileBytes, int maxRowChars, int maxFieldChars, int maxColumns) {

    /**
     * The row, field and column caps every CSV input shares unless its policy says otherwise (call lists and
     * results files alike); only the file size differs between kinds of file. Kept here, not in a stage's
     * policy, so that every reader can take them without depending on that stage.
     */
    public static final int DEFAULT_MAX_ROW_CHARS = 64 * 1024;
    public static final int DEFAULT_MAX_FIELD_CHARS = 4 * 1024;
    public static final int DEFAULT_MAX_COLUMNS = 64;

    public CsvLimits {
        if (maxFileBytes <= 0 || maxRowChars <= 0 || maxFieldChars <= 0 || maxColumns <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
