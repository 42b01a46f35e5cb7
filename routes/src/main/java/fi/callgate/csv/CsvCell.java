package fi.callgate.csv;

/**
 * One cell of a CSV Callgate writes for people to open in a spreadsheet. Quoted when it holds the
 * delimiter, a quote or a line break; and a cell that a spreadsheet would run as a formula (starting with
 * {@code = + - @}, tab or CR, or their full-width forms) gets a leading apostrophe, as OWASP advises.
 * A valid E.164 phone number ({@code +} and digits only) is left as it is: it is data, not a formula.
 */
public final class CsvCell {
    private CsvCell() {
    }

    public static String quote(String value) {
        if (value == null) {
            return "";
        }
        String v = defuse(value);
        if (v.indexOf(';') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || v.indexOf(',') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    static String defuse(String v) {
        if (v.isEmpty() || v.matches("\\+[0-9]{6,15}")) {
            return v;
        }
        char c = v.charAt(0);
        boolean trigger = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
                || c == '\uFF1D' || c == '\uFF0B' || c == '\uFF0D' || c == '\uFF20';
        return trigger ? "'" + v : v;
    }
}
