package fi.callgate.pipeline.stage;

import fi.callgate.csv.CsvLimits;

/**
 * What a campaign allows in its call lists, and the resource caps that keep a hostile file from
 * exhausting memory. Lengths are in UTF-16 characters of the decoded text.
 */
public record CallListPolicy(boolean personalIdAllowed, long maxFileBytes, int maxRowChars, int maxFieldChars,
                             int maxColumns, int maxListedIssues) {

    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_ROW_CHARS = CsvLimits.DEFAULT_MAX_ROW_CHARS;
    public static final int DEFAULT_MAX_FIELD_CHARS = CsvLimits.DEFAULT_MAX_FIELD_CHARS;
    public static final int DEFAULT_MAX_COLUMNS = CsvLimits.DEFAULT_MAX_COLUMNS;
    public static final int DEFAULT_MAX_LISTED_ISSUES = 10_000;

    public CallListPolicy {
        if (maxFileBytes <= 0 || maxRowChars <= 0 || maxFieldChars <= 0 || maxColumns <= 0 || maxListedIssues < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static CallListPolicy defaults(boolean personalIdAllowed) {
        return new CallListPolicy(personalIdAllowed, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_ROW_CHARS,
                DEFAULT_MAX_FIELD_CHARS, DEFAULT_MAX_COLUMNS, DEFAULT_MAX_LISTED_ISSUES);
    }

    /** The caps the shared CSV input enforces for a call list. */
    public CsvLimits csvLimits() {
        return new CsvLimits(maxFileBytes, maxRowChars, maxFieldChars, maxColumns);
    }

    public CallListPolicy withMaxFileBytes(long bytes) {
        return new CallListPolicy(personalIdAllowed, bytes, maxRowChars, maxFieldChars, maxColumns, maxListedIssues);
    }

    public CallListPolicy withMaxListedIssues(int n) {
        return new CallListPolicy(personalIdAllowed, maxFileBytes, maxRowChars, maxFieldChars, maxColumns, n);
    }
}
