package fi.callgate.domain;

import java.util.Set;

/**
 * Decides whether personal data may be written to a location: only inside the European Economic Area.
 *
 * <p>Adequacy decisions (United Kingdom, Switzerland) are deliberately not enough: the contract says
 * the data stays in the EEA, so GB and CH and their cloud regions are refused.
 */
public final class EeaPolicy {

    /** The 27 EU member states plus Iceland, Liechtenstein and Norway. */
    static final Set<String> EEA = Set.of(
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
            "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
            "IS", "LI", "NO",
            // ISO gives these parts of EU states their own codes, yet EU law applies there in full:
            // Åland (FI) and the French outermost regions.
            "AX", "GF", "GP", "MQ", "RE", "YT", "MF");

    private EeaPolicy() {
    }

    /** The verdict with a sentence a human can act on. */
    public record Decision(boolean allowed, String reason) {
    }

    public static Decision check(Location location) {
        String where = location.kind() == Location.Kind.COUNTRY
                ? location.country() + " (" + location.countryName() + ")"
                : location.code() + " is in " + location.country() + " (" + location.countryName() + ")";
        if (EEA.contains(location.country())) {
            return new Decision(true, where + (location.kind() == Location.Kind.COUNTRY ? " is" : ",")
                    + " inside the EEA");
        }
        return new Decision(false, where + (location.kind() == Location.Kind.COUNTRY ? " is" : ",")
                + " outside the EEA");
    }

    /** Parses and checks a configured value; an unknown code is refused, never guessed. */
    public static Decision check(String configured) {
        try {
            return check(Location.parse(configured));
        } catch (IllegalArgumentException e) {
            return new Decision(false, e.getMessage());
        }
    }
}
