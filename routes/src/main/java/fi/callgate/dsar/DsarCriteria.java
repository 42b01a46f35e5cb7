package fi.callgate.dsar;

import fi.callgate.domain.PhoneNumber;
import fi.callgate.domain.PhoneNumberNormaliser;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a requester gave to be found by: a phone (any Finnish notation), an email, or a name with an
 * address. Holds the plaintext only for the search itself; it is never stored, logged or audited
 * ({@link #toString()} names the kind only) — the request keeps the blind-index hash instead.
 *
 * <p>The identity rule: a request is answerable only with something the person was contacted by — the
 * phone, the email, or the name together with the address. A name alone is not enough ({@link NotIdentified}).
 */
public sealed interface DsarCriteria {

    /** The kind as stored in {@code dsar_request.criteria_kind}. */
    String kind();

    record Phone(PhoneNumber phone) implements DsarCriteria {
        @Override
        public String kind() {
            return "phone";
        }

        @Override
        public String toString() {
            return "DsarCriteria[phone]";
        }
    }

    record Email(String email) implements DsarCriteria {
        @Override
        public String kind() {
            return "email";
        }

        @Override
        public String toString() {
            return "DsarCriteria[email]";
        }
    }

    /**
     * Full name and address. The blind index covers name + postal code; the street, when given, must also
     * match a record that has one (two people of the same name in one postal-code area are common enough).
     */
    record NameAddress(String fullName, String postalCode, Optional<String> street) implements DsarCriteria {
        @Override
        public String kind() {
            return "name_address";
        }

        /** Does the record's street match the one given (ignoring case, spacing and punctuation)? */
        public boolean streetMatches(Optional<String> recordStreet) {
            if (street.isEmpty() || recordStreet.isEmpty() || recordStreet.get().isBlank()) {
                return true;
            }
            return squash(street.get()).equals(squash(recordStreet.get()));
        }

        @Override
        public String toString() {
            return "DsarCriteria[name_address]";
        }
    }

    /** Only a name was given: not enough to identify anyone. */
    final class NotIdentified extends RuntimeException {
        public NotIdentified() {
            super("not identified: a name alone is not enough; give the phone number, the email or the name"
                    + " with the address (STREET, POSTCODE) the person was contacted by");
        }
    }

    Pattern POSTAL = Pattern.compile("(?<![0-9])([0-9]{5})(?![0-9])");

    /**
     * From the command's options; exactly one of phone, email or name may be given. Messages of the
     * exceptions never contain the values.
     *
     * @throws NotIdentified            a name without an address
     * @throws IllegalArgumentException an unusable combination or value
     */
    static DsarCriteria parse(String phone, String email, String name, String address,
                              PhoneNumberNormaliser normaliser) {
        int given = (phone != null ? 1 : 0) + (email != null ? 1 : 0) + (name != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --phone, --email or --name");
        }
        if (address != null && name == null) {
            throw new IllegalArgumentException("--address goes with --name");
        }
        if (phone != null) {
            PhoneNumberNormaliser.Result r = normaliser.normalise(phone);
            if (!r.isValid()) {
                throw new IllegalArgumentException("--phone " + r.failure().message());
            }
            return new Phone(r.number());
        }
        if (email != null) {
            if (email.isBlank() || !email.contains("@")) {
                throw new IllegalArgumentException("--email is not an email address");
            }
            return new Email(email);
        }
        if (name.isBlank() || name.strip().split("\\s+").length < 2) {
            throw new IllegalArgumentException("--name must be \"FIRST LAST\"");
        }
        if (address == null || address.isBlank()) {
            throw new NotIdentified();
        }
        Matcher m = POSTAL.matcher(address);
        String postal = null;
        int at = -1;
        while (m.find()) {
            postal = m.group(1);
            at = m.start();
        }
        if (postal == null) {
            throw new IllegalArgumentException("--address must hold a five-digit postal code (\"STREET, POSTCODE\")");
        }
        String before = address.substring(0, at).strip();
        int comma = before.lastIndexOf(',');
        String street = (comma >= 0 ? before.substring(0, comma) : before).strip();
        return new NameAddress(name.strip(), postal, street.isEmpty() ? Optional.empty() : Optional.of(street));
    }

    private static String squash(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
