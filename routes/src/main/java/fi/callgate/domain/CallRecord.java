package fi.callgate.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * One accepted row of a call list. Everything here is personal data: {@link #toString()} is masked so
 * that an accidental log statement leaks nothing.
 *
 * @param rowNumber the CSV record number in the upload (the header is record 1), for reports
 */
public record CallRecord(long rowNumber, String firstName, String lastName, PhoneNumber phone,
                         Optional<String> email, Optional<String> street, Optional<String> postalCode,
                         Optional<String> city, String source, Optional<PersonalIdCode> personalId) {

    public CallRecord {
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(street, "street");
        Objects.requireNonNull(postalCode, "postalCode");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(personalId, "personalId");
    }

    @Override
    public String toString() {
        return "CallRecord[row " + rowNumber + "]";
    }
}
