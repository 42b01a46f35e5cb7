package fi.callgate.domain;

/** Why a whole call list was refused. */
public enum RejectReason {
    EMPTY_FILE,
    NO_DATA_ROWS,
    ENCODING,
    MALFORMED_CSV,
    HEADER_MISSING,
    MISSING_COLUMN,
    DUPLICATE_COLUMN,
    SPECIAL_CATEGORY_COLUMN,
    PERSONAL_ID_COLUMN_NOT_ALLOWED,
    PERSONAL_ID_FOUND,
    FILE_TOO_LARGE,
    ROW_TOO_LONG,
    FIELD_TOO_LONG,
    TOO_MANY_COLUMNS
}
