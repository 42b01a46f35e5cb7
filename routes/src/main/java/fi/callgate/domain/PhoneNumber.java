package fi.callgate.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form ({@code +358401234567}). Only {@link PhoneNumberNormaliser} should
 * create one from user input; the constructor merely refuses anything that is not E.164-shaped, so a
 * value of this type can be written to a CSV cell unchanged (its leading {@code +} is not a formula
 * because the rest is digits only).
 */
public record PhoneNumber(String e164) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    public PhoneNumber {
        Objects.requireNonNull(e164, "e164");
        if (!E164.matcher(e164).matches()) {
            // The value itself stays out of the message: it is personal data.
            throw new IllegalArgumentException("not an E.164 number");
        }
    }

    /** Masks all but the last two digits, for the rare diagnostic that must point at a number. */
    @Override
    public String toString() {
        return "PhoneNumber[+…" + e164.substring(e164.length() - 2) + "]";
    }
}
