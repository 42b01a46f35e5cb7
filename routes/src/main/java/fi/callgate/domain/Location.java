package fi.callgate.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where data physically lives: an ISO 3166-1 alpha-2 country or a cloud region mapped to its country.
 *
 * <p>Only regions whose country is certain are listed: an unlisted region must fail to parse, because
 * a storage place of unknown jurisdiction has to be refused rather than guessed.
 *
 * @param code    the code as configured, normalised (countries upper case, regions lower case)
 * @param country ISO 3166-1 alpha-2 code of the country the data is in
 * @param kind    whether {@code code} was a country or a cloud region
 */
public record Location(String code, String country, Kind kind) {

    /** What the configured code named. */
    public enum Kind { COUNTRY, AWS_REGION, AZURE_REGION, GCP_REGION }

    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    // Region -> country. Kept as literal tables so a reviewer can check every line against the
    // provider's public region list; the unit test asserts each one.
    private static final Map<String, String> AWS = Map.of(
            "eu-north-1", "SE", "eu-west-1", "IE", "eu-west-2", "GB", "eu-west-3", "FR",
            "eu-central-1", "DE", "eu-central-2", "CH", "eu-south-1", "IT", "eu-south-2", "ES");

    private static final Map<String, String> AZURE = Map.ofEntries(
            Map.entry("northeurope", "IE"), Map.entry("westeurope", "NL"),
            Map.entry("francecentral", "FR"), Map.entry("francesouth", "FR"),
            Map.entry("germanywestcentral", "DE"), Map.entry("germanynorth", "DE"),
            Map.entry("norwayeast", "NO"), Map.entry("norwaywest", "NO"),
            Map.entry("swedencentral", "SE"), Map.entry("swedensouth", "SE"),
            Map.entry("polandcentral", "PL"), Map.entry("italynorth", "IT"),
            Map.entry("spaincentral", "ES"),
            Map.entry("switzerlandnorth", "CH"), Map.entry("switzerlandwest", "CH"),
            Map.entry("uksouth", "GB"), Map.entry("ukwest", "GB"));

    private static final Map<String, String> GCP = Map.ofEntries(
            Map.entry("europe-north1", "FI"), Map.entry("europe-north2", "SE"),
            Map.entry("europe-west1", "BE"), Map.entry("europe-west2", "GB"),
            Map.entry("europe-west3", "DE"), Map.entry("europe-west4", "NL"),
            Map.entry("europe-west6", "CH"), Map.entry("europe-west8", "IT"),
            Map.entry("europe-west9", "FR"), Map.entry("europe-west10", "DE"),
            Map.entry("europe-west12", "IT"), Map.entry("europe-central2", "PL"),
            Map.entry("europe-southwest1", "ES"));

    public Location {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Parses a configured location, case-insensitively.
     *
     * @throws IllegalArgumentException with a message naming the code when it is not a known
     *                                  country or region
     */
    public static Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("storage location is empty: give an ISO 3166 country code "
                    + "(e.g. FI) or a cloud region code (e.g. eu-north-1)");
        }
        String trimmed = text.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        String upper = trimmed.toUpperCase(Locale.ROOT);
        if (upper.length() == 2 && ISO_COUNTRIES.contains(upper)) {
            return new Location(upper, upper, Kind.COUNTRY);
        }
        if (AWS.containsKey(lower)) {
            return new Location(lower, AWS.get(lower), Kind.AWS_REGION);
        }
        if (AZURE.containsKey(lower)) {
            return new Location(lower, AZURE.get(lower), Kind.AZURE_REGION);
        }
        if (GCP.containsKey(lower)) {
            return new Location(lower, GCP.get(lower), Kind.GCP_REGION);
        }
        throw new IllegalArgumentException("unknown storage location '" + printable(trimmed)
                + "': not an ISO 3166-1 alpha-2 country code nor a known European AWS, Azure or Google Cloud region");
    }

    /** Like {@link #parse} but empty instead of throwing. */
    public static Optional<Location> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** English name of the country, e.g. "United Kingdom". */
    public String countryName() {
        return new Locale("", country).getDisplayCountry(Locale.ENGLISH);
    }

    /** Every region code this class knows, for tests and for help texts. */
    static Map<String, String> knownRegions() {
        var all = new java.util.TreeMap<String, String>();
        all.putAll(AWS);
        all.putAll(AZURE);
        all.putAll(GCP);
        return all;
    }

    // A config value ends up in a log line: keep it short and free of control characters.
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return kind == Kind.COUNTRY ? country : code + " (" + country + ")";
    }
}
