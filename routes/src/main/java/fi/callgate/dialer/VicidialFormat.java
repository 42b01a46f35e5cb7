package fi.callgate.dialer;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import fi.callgate.domain.CallRecord;
import java.util.List;
import java.util.Optional;

/**
 * VICIdial's standard lead-file layout ({@code admin_listloader} "standard format"): tab-delimited, no
 * header, these 23 columns in this order, each within its {@code vicidial_list} column length. Only the
 * campaign's dialer fields are filled (data minimisation); the rest stay empty. {@code record_id}
 * (26 characters) goes to {@code source_id}, because {@code vendor_lead_code} holds only 20.
 *
 * <p>A value longer than its column, or holding a tab or line break (which would break the layout), is
 * never cut or rewritten: the row is withheld from the list and reported to the controller in the
 * upload's report with its row number, the column and the limit.
 */
final class VicidialFormat {
    record Column(String name, int max) {
    }

    static final List<Column> COLUMNS = List.of(new Column("vendor_lead_code", 20), new Column("source_id", 50),
            new Column("list_id", 14), new Column("phone_code", 10), new Column("phone_number", 18),
            new Column("title", 4), new Column("first_name", 30), new Column("middle_initial", 1),
            new Column("last_name", 30), new Column("address1", 100), new Column("address2", 100),
            new Column("address3", 100), new Column("city", 50), new Column("state", 2),
            new Column("province", 50), new Column("postal_code", 10), new Column("country_code", 3),
            new Column("gender", 1), new Column("date_of_birth", 10), new Column("alt_phone", 12),
            new Column("email", 70), new Column("security_phrase", 100), new Column("comments", 255));
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private VicidialFormat() {
    }

    /** Either the line (CRLF-terminated, as the Callgate format) or why the row is withheld. */
    record Result(String line, String problem) {
    }

    static Result line(String recordId, CallRecord r, List<String> dialerFields) {
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = PHONES.parse(r.phone().e164(), null);
        } catch (NumberParseException e) {
            return new Result(null, "vicidial: the phone number cannot be split into country code and number");
        }
        String[] v = new String[COLUMNS.size()];
        java.util.Arrays.fill(v, "");
        v[1] = recordId;
        v[3] = String.valueOf(parsed.getCountryCode());
        v[4] = PHONES.getNationalSignificantNumber(parsed);
        v[6] = pick(dialerFields, "first_name", r.firstName());
        v[8] = pick(dialerFields, "last_name", r.lastName());
        v[9] = pick(dialerFields, "street", r.street().orElse(""));
        v[12] = pick(dialerFields, "city", r.city().orElse(""));
        v[15] = pick(dialerFields, "postal_code", r.postalCode().orElse(""));
        v[20] = pick(dialerFields, "email", r.email().orElse(""));
        StringBuilder sb = new StringBuilder(160);
        for (int i = 0; i < v.length; i++) {
            Column c = COLUMNS.get(i);
            if (v[i].codePointCount(0, v[i].length()) > c.max()) {
                return new Result(null, "vicidial: " + c.name() + " is longer than " + c.max() + " characters");
            }
            if (v[i].indexOf('\t') >= 0 || v[i].indexOf('\n') >= 0 || v[i].indexOf('\r') >= 0) {
                return new Result(null, "vicidial: " + c.name() + " holds a tab or line break");
            }
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(v[i]);
        }
        return new Result(sb.append("\r\n").toString(), null);
    }

    private static String pick(List<String> fields, String name, String value) {
        return fields.contains(name) ? Optional.ofNullable(value).orElse("") : "";
    }
}
