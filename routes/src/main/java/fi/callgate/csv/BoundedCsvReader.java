package fi.callgate.csv;

import fi.callgate.domain.RejectReason;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Enforces row length, field length and column count on the character stream <em>before</em> the CSV
 * parser buffers anything, so a 10 MB line or 100 000 columns fail after the limit is reached instead of
 * after the parser has built them in memory.
 *
 * <p>It follows the RFC 4180 quoting that commons-csv applies with {@code "} as the quote: a quote opens
 * a quoted field only at the start of a field; inside, {@code ""} is a literal quote; line breaks inside
 * quotes belong to the field. Records are numbered as commons-csv numbers them: empty lines do not count.
 */
final class BoundedCsvReader extends FilterReader {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final char delimiter;
    private final int maxRow;
    private final int maxField;
    private final int maxColumns;

    private State state = State.FIELD_START;
    private long completedRecords;
    private int rowChars;
    private int fieldChars;
    private int columns = 1;

    BoundedCsvReader(Reader in, char delimiter, CsvLimits limits) {
        super(in);
        this.delimiter = delimiter;
        this.maxRow = limits.maxRowChars();
        this.maxField = limits.maxFieldChars();
        this.maxColumns = limits.maxColumns();
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            track((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; i++) {
            track(buf[off + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void track(char c) throws CallListRejectedException {
        switch (state) {
            case FIELD_START:
                if (c == '"') {
                    state = State.QUOTED;
                } else if (c == delimiter) {
                    nextField();
                } else if (c == '\n' || c == '\r') {
                    endRecord();
                    return;
                } else {
                    state = State.UNQUOTED;
                }
                break;
            case UNQUOTED:
                if (c == delimiter) {
                    nextField();
                } else if (c == '\n' || c == '\r') {
                    endRecord();
                    return;
                }
                break;
            case QUOTED:
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
                break;
            case QUOTE_IN_QUOTED:
                if (c == '"') {
                    state = State.QUOTED;
                } else if (c == delimiter) {
                    nextField();
                } else if (c == '\n' || c == '\r') {
                    endRecord();
                    return;
                } else {
                    state = State.UNQUOTED;
                }
                break;
            default:
                throw new IllegalStateException();
        }
        if (++rowChars > maxRow) {
            throw new CallListRejectedException(RejectReason.ROW_TOO_LONG,
                    "record " + (completedRecords + 1) + " is longer than " + maxRow + " characters");
        }
        if (++fieldChars > maxField) {
            throw new CallListRejectedException(RejectReason.FIELD_TOO_LONG,
                    "record " + (completedRecords + 1) + ", column " + columns + " is longer than "
                            + maxField + " characters");
        }
    }

    private void nextField() throws CallListRejectedException {
        state = State.FIELD_START;
        fieldChars = 0;
        if (++columns > maxColumns) {
            throw new CallListRejectedException(RejectReason.TOO_MANY_COLUMNS,
                    "record " + (completedRecords + 1) + " has more than " + maxColumns + " columns");
        }
    }

    private void endRecord() {
        if (rowChars > 0 || columns > 1) {
            completedRecords++;
        }
        state = State.FIELD_START;
        rowChars = 0;
        fieldChars = 0;
        columns = 1;
    }
}
