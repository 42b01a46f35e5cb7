package fi.callgate.results;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumberNormaliser;
import fi.callgate.store.RecordStore;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks one row of a results file against the contract and the campaign's records. A rejection reason
 * names columns and rules, never a cell's value (the report is plain text for the dialer).
 *
 * <p>Decisions: {@code offer_sent} is {@code yes/no}, {@code true/false}, {@code kyllä/ei}, {@code 1/0},
 * or an ISO date (the day the written offer was sent, meaning yes); it is required on an order because a
 * phone sale binds only once the consumer accepts a written offer sent after the call. Dates are strict
 * ISO-8601 ({@code 2026-02-30} is refused). A record id that is not of this campaign is "unknown", whether
 * it exists elsewhere or not. A text that a spreadsheet would read as a formula is accepted (a product may
 * well be called "-20 % offer") and reported as a warning: the export defuses it ({@code CsvCell}).
 */
final class ResultValidator {
    static final Pattern RECORD_ID = Pattern.compile("[a-z2-7]{26}");
    private static final Pattern POSTAL = Pattern.compile("[0-9]{5}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s;,<>\"()\\[\\]]+@[^@\\s;,<>\"()\\[\\]]+\\.[^@\\s;,<>\"()\\[\\]]+");
    private static final int MAX_TEXT = 200;
    private final RecordStore records;
    private final PhoneNumberNormaliser phones = new PhoneNumberNormaliser();

    ResultValidator(RecordStore records) {
        this.records = records;
    }

    /** An accepted row, with what its export needs (null for outcomes that are not exported). */
    record Accepted(long row, String recordId, String listUploadId, Outcome outcome, ResultDetails details,
                    List<String> warnings) {
        @Override
        public String toString() {
            return "Accepted[" + row + ", " + outcome + "]";
        }
    }

    /** Either an accepted row or the reason it was not. */
    record Checked(Accepted accepted, String reason) {
    }

    Checked check(ResultsFile.Row row, String campaign) {
        String recordId = row.get("record_id");
        if (recordId.isEmpty()) {
            return reject("record_id is missing");
        }
        Optional<Outcome> outcome = Outcome.of(row.get("outcome"));
        if (outcome.isEmpty()) {
            return reject(row.get("outcome").isEmpty() ? "outcome is missing"
                    : "unknown outcome; expected one of order, address_change, call_ban, no_answer,"
                    + " not_interested, wrong_number, callback, done");
        }
        Optional<RecordStore.StoredRecord> stored = RECORD_ID.matcher(recordId).matches()
                ? records.findInCampaign(recordId, campaign) : Optional.empty();
        if (stored.isEmpty()) {
            return reject("unknown record_id: no such record in this campaign");
        }
        List<String> warnings = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        CallRecord r = stored.get().record();
        switch (outcome.get()) {
            case ORDER -> {
                String product = row.get("product");
                if (product.isEmpty()) {
                    return reject("order: product is missing");
                }
                String bad = text("product", product);
                if (bad != null) {
                    return reject("order: " + bad);
                }
                Optional<LocalDate> start = date(row.get("start_date"));
                if (start.isEmpty()) {
                    return reject("order: start_date is missing or not a valid ISO-8601 date (YYYY-MM-DD)");
                }
                Optional<LocalDate> due = date(row.get("invoice_due_date"));
                if (due.isEmpty()) {
                    return reject("order: invoice_due_date is missing or not a valid ISO-8601 date (YYYY-MM-DD)");
                }
                String offer = row.get("offer_sent");
                String offerSent;
                String offerSentOn = null;
                switch (offer.toLowerCase(Locale.ROOT)) {
                    case "yes", "true", "kyllä", "kylla", "k", "y", "1" -> offerSent = "yes";
                    case "no", "false", "ei", "e", "n", "0" -> offerSent = "no";
                    default -> {
                        Optional<LocalDate> on = date(offer);
                        if (on.isEmpty()) {
                            return reject("order: offer_sent must be yes, no or the ISO-8601 date the offer was sent");
                        }
                        offerSent = "yes";
                        offerSentOn = on.get().toString();
                    }
                }
                person(f, r);
                f.put("product", product);
                f.put("start_date", start.get().toString());
                f.put("invoice_due_date", due.get().toString());
                f.put("offer_sent", offerSent);
                f.put("offer_sent_on", offerSentOn);
                warnFormula(warnings, "product", product);
            }
            case ADDRESS_CHANGE -> {
                Map<String, String> change = new LinkedHashMap<>();
                for (String col : List.of("street", "postal_code", "city", "email", "phone")) {
                    String v = row.get(col);
                    if (v.isEmpty()) {
                        continue;
                    }
                    String bad = switch (col) {
                        case "postal_code" -> POSTAL.matcher(v).matches() ? null : "postal_code must be 5 digits";
                        case "email" -> v.length() <= 254 && EMAIL.matcher(v).matches() ? null
                                : "email is not a valid address";
                        case "phone" -> {
                            PhoneNumberNormaliser.Result p = phones.normalise(v);
                            if (p.isValid()) {
                                v = p.number().e164();
                                yield null;
                            }
                            yield "phone " + p.failure().message();
                        }
                        default -> text(col, v);
                    };
                    if (bad != null) {
                        return reject("address_change: " + bad);
                    }
                    change.put("new_" + col, v);
                    warnFormula(warnings, col, v);
                }
                if (change.isEmpty()) {
                    return reject("address_change: none of street, postal_code, city, email, phone is given");
                }
                person(f, r);
                f.putAll(change);
            }
            case CALL_BAN -> {
                // Only what the ban needs: the number, and where the person came from.
                f.put("phone", r.phone().e164());
                f.put("source", r.source());
            }
            default -> f = null;
        }
        return new Checked(new Accepted(row.number(), recordId, stored.get().uploadId(), outcome.get(),
                f == null ? null : new ResultDetails(f), warnings), null);
    }

    private static void person(Map<String, String> f, CallRecord r) {
        f.put("first_name", r.firstName());
        f.put("last_name", r.lastName());
        f.put("phone", r.phone().e164());
        f.put("email", r.email().orElse(null));
        f.put("street", r.street().orElse(null));
        f.put("postal_code", r.postalCode().orElse(null));
        f.put("city", r.city().orElse(null));
        f.put("source", r.source());
    }

    private static String text(String col, String v) {
        if (v.length() > MAX_TEXT) {
            return col + " is longer than " + MAX_TEXT + " characters";
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
            return col + " contains control characters";
        }
        return null;
    }

    private static void warnFormula(List<String> warnings, String col, String v) {
        char c = v.isEmpty() ? ' ' : v.charAt(0);
        if ("=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20".indexOf(c) >= 0 && !v.matches("\\+[0-9]{6,15}")) {
            warnings.add(col + " begins with a spreadsheet formula character; exported with a leading apostrophe");
        }
    }

    private static Optional<LocalDate> date(String v) {
        try {
            return v.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Checked reject(String reason) {
        return new Checked(null, reason);
    }
}
