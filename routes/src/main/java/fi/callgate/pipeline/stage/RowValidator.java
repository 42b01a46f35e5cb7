package fi.callgate.pipeline.stage;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumberNormaliser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates one row. Stateless and thread-safe, so ingest can later spread rows (and libphonenumber,
 * the slow part) over several threads; duplicate detection stays in file order in the caller.
 *
 * <p>Decisions: free-text fields that start with a spreadsheet formula character ({@code = + - @} or
 * their full-width forms) or hold control or bidi-override characters reject the row instead of being
 * rewritten, because the controller's data is never silently mutated. Line breaks are allowed only in
 * street, city and source (quoted multi-line addresses). An invalid optional email or postal code is
 * dropped with a warning rather than costing the whole row.
 */
public final class RowValidator {

    /** Either a record or a rejection reason; warnings only with a record. */
    public record Outcome(CallRecord record, String rejection, List<String> warnings) {
    }

    private static final int COLUMNS = CallListColumn.values().length;
    private final PhoneNumberNormaliser phones;
    private final boolean personalIdAllowed;

    public RowValidator(PhoneNumberNormaliser phones, boolean personalIdAllowed) {
        this.phones = phones;
        this.personalIdAllowed = personalIdAllowed;
    }

    /**
     * @param values indexed by {@link CallListColumn#ordinal()}, null for a column the file lacks
     */
    public Outcome validate(long row, String[] values) {
        if (values.length != COLUMNS) {
            throw new IllegalArgumentException("one value per CallListColumn expected");
        }
        String first = text(values, CallListColumn.FIRST_NAME);
        String last = text(values, CallListColumn.LAST_NAME);
        String source = text(values, CallListColumn.SOURCE);
        String phoneText = text(values, CallListColumn.PHONE);
        if (first.isEmpty()) {
            return reject("missing first_name");
        }
        if (last.isEmpty()) {
            return reject("missing last_name");
        }
        if (phoneText.isEmpty()) {
            return reject("missing phone");
        }
        if (source.isEmpty()) {
            return reject("missing source");
        }
        for (CallListColumn c : CallListColumn.values()) {
            String problem = textProblem(c, text(values, c));
            if (problem != null) {
                return reject(c.columnName() + " " + problem);
            }
        }
        PhoneNumberNormaliser.Result phone = phones.normalise(phoneText);
        if (!phone.isValid()) {
            return reject("phone " + phone.failure().message());
        }
        Optional<PersonalIdCode> personalId = Optional.empty();
        String id = text(values, CallListColumn.PERSONAL_ID);
        if (!id.isEmpty()) {
            if (!personalIdAllowed) {
                // The parser refuses such files before this point; kept as a second line of defence.
                return reject("personal_id is not allowed in this campaign");
            }
            if (!PersonalIdCode.isValid(id)) {
                return reject("personal_id is not a valid Finnish personal identity code");
            }
            personalId = Optional.of(PersonalIdCode.parse(id));
        }
        List<String> warnings = List.of();
        String email = text(values, CallListColumn.EMAIL);
        if (!email.isEmpty() && !looksLikeEmail(email)) {
            warnings = new ArrayList<>(2);
            warnings.add("email dropped: not a valid address");
            email = "";
        }
        String postal = text(values, CallListColumn.POSTAL_CODE);
        if (!postal.isEmpty() && !isFinnishPostalCode(postal)) {
            if (warnings.isEmpty()) {
                warnings = new ArrayList<>(1);
            }
            warnings.add("postal_code dropped: not five digits");
            postal = "";
        }
        CallRecord record = new CallRecord(row, first, last, phone.number(), optional(email),
                optional(text(values, CallListColumn.STREET)), optional(postal),
                optional(text(values, CallListColumn.CITY)), source, personalId);
        return new Outcome(record, null, warnings);
    }

    private static Outcome reject(String reason) {
        return new Outcome(null, reason, List.of());
    }

    private static String text(String[] values, CallListColumn c) {
        String v = values[c.ordinal()];
        return v == null ? "" : v.strip();
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** Null if fine; otherwise what is wrong, without the value. */
    static String textProblem(CallListColumn column, String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean breaksAllowed = column == CallListColumn.STREET || column == CallListColumn.CITY
                || column == CallListColumn.SOURCE;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                if (!(breaksAllowed && (c == '\n' || c == '\r'))) {
                    return "contains a control character";
                }
            } else if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200E' || c == '\u200F' || c == '\u061C') {
                return "contains a bidirectional control character";
            }
        }
        if (column != CallListColumn.PHONE && isFormulaStart(s.charAt(0))) {
            return "starts with a spreadsheet formula character";
        }
        return null;
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@'
                || c == '\uFF1D' || c == '\uFF0B' || c == '\uFF0D' || c == '\uFF20';
    }

    /** Loose on purpose: catches shifted columns and typos, not every RFC 5322 corner. */
    static boolean looksLikeEmail(String s) {
        if (s.length() > 254) {
            return false;
        }
        int at = s.indexOf('@');
        if (at < 1 || at > 64 || at != s.lastIndexOf('@')) {
            return false;
        }
        String domain = s.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        if (dot < 1 || dot == domain.length() - 1 || domain.startsWith(".") || domain.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '<' || c == '>' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static boolean isFinnishPostalCode(String s) {
        if (s.length() != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
