package fi.callgate.dialer;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.Campaign;
import fi.callgate.csv.CsvCell;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The text of one dialer list, row by row, into a (sealed) stream: the Callgate layout (header, then
 * {@code record_id;phone;} and the campaign's dialer fields, CRLF) or VICIdial's. The one place that lays a
 * list out, used both by the validate pass (which writes the list while it stores the records) and by a
 * re-rendering from the record store, so both give the same bytes. Counts rows listed, blocked and withheld
 * and hashes the plaintext (the SHA-256 a pickup audit names). Not thread-safe.
 */
final class ListRenderer implements AutoCloseable {
    private final List<String> fields;
    private final boolean vicidial;
    private final Counting counting;
    private final MessageDigest sha = sha256();
    private final Writer out;
    private final StringBuilder withheld = new StringBuilder();
    private long listed;
    private long blocked;
    private long withheldRows;

    ListRenderer(OutputStream sealed, List<String> dialerFields, boolean vicidial) throws IOException {
        this.fields = dialerFields;
        this.vicidial = vicidial;
        this.counting = new Counting(sealed);
        this.out = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(counting, sha),
                StandardCharsets.UTF_8), 1 << 16);
        if (!vicidial) {
            out.write(header(dialerFields));
        }
    }

    /** What a list's layout depends on: a list staged under another layout is rendered again. */
    static String layout(String format, List<String> dialerFields) {
        return format + ":" + String.join(",", dialerFields);
    }

    /** One record: listed, or counted as blocked, or withheld (VICIdial column limits). */
    void add(String recordId, CallRecord r, boolean isBlocked) throws IOException {
        if (isBlocked) {
            blocked++;
            return;
        }
        if (vicidial) {
            VicidialFormat.Result v = VicidialFormat.line(recordId, r, fields);
            if (v.problem() != null) {
                withheldRows++;
                withheld.append(r.rowNumber()).append(";withheld;").append(v.problem()).append('\n');
                return;
            }
            out.write(v.line());
        } else {
            writeLine(recordId, r);
        }
        listed++;
    }

    /** The Callgate layout's line, written straight into the buffer (no String per row). */
    private void writeLine(String recordId, CallRecord r) throws IOException {
        out.write(CsvCell.quote(recordId));
        out.write(';');
        out.write(CsvCell.quote(r.phone().e164()));
        for (String f : fields) {
            out.write(';');
            out.write(CsvCell.quote(field(r, f)));
        }
        out.write("\r\n");
    }

    /** Flushes the text into the sealed stream and closes it; the figures of the finished list. */
    Result finish() throws IOException {
        out.close();
        return new Result(listed, blocked, withheldRows, withheld.toString(), counting.count,
                HexFormat.of().formatHex(sha.digest()));
    }

    /** Closes without figures (a failed rendering); the caller deletes the file. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A finished list: rows listed, left out as blocked, withheld; plaintext size and SHA-256. */
    record Result(long listed, long blocked, long withheldRows, String withheldLines, long bytes, String sha256) {
        /** The report's section on withheld rows ({@code ;dialer_rows_withheld;N} and one line each). */
        String withheldSection() {
            return ";dialer_rows_withheld;" + withheldRows + "\n" + withheldLines;
        }
    }

    static String header(List<String> dialerFields) {
        return "record_id;phone" + (dialerFields.isEmpty() ? "" : ";" + String.join(";", dialerFields)) + "\r\n";
    }

    /** A dialer field's value; only the choices of {@link Campaign#DIALER_FIELD_CHOICES} exist. */
    static String field(CallRecord r, String name) {
        return switch (name) {
            case "first_name" -> r.firstName();
            case "last_name" -> r.lastName();
            case "email" -> r.email().orElse("");
            case "street" -> r.street().orElse("");
            case "postal_code" -> r.postalCode().orElse("");
            case "city" -> r.city().orElse("");
            default -> throw new IllegalArgumentException("not a dialer field: " + name);
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
