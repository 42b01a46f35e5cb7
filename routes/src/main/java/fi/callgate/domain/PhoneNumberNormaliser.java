package fi.callgate.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Objects;
import java.util.Set;

/**
 * Turns the usual Finnish notations ({@code 040 123 4567}, {@code +358-40-123 4567},
 * {@code 00358401234567}, Åland {@code +358 18 …}) into {@link PhoneNumber}s.
 *
 * <p>Thread-safe and stateless apart from configuration ({@link PhoneNumberUtil} is thread-safe), so
 * ingest can validate on several threads. Nothing is cached: the input is personal data.
 *
 * <p>Plain notations of the default region's numbers take {@link PlainNumberFastPath} (≈ 10× faster than
 * {@code parse} + {@code isValidNumber}, same answer); whatever it does not decide goes through
 * libphonenumber.
 */
public final class PhoneNumberNormaliser {

    /** Why a value was refused; messages never contain the value. */
    public enum Failure {
        EMPTY("is empty"),
        NOT_A_NUMBER("is not a phone number"),
        INVALID("is not a valid phone number"),
        REGION_NOT_ALLOWED("is not a number of an accepted country");

        private final String message;

        Failure(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** Either a number or a failure, never both. */
    public record Result(PhoneNumber number, Failure failure) {
        public boolean isValid() {
            return number != null;
        }
    }

    // Shared failure results: a bad row costs no allocation.
    private static final Result[] FAILURES = new Result[Failure.values().length];

    static {
        for (Failure f : Failure.values()) {
            FAILURES[f.ordinal()] = new Result(null, f);
        }
    }

    /** Longer than any real notation of a 15-digit number with separators: refuse before parsing. */
    private static final int MAX_INPUT = 40;

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final String defaultRegion;
    private final Set<String> allowedRegions;
    private final PlainNumberFastPath fastPath;

    /** Default region FI; accepts Finland and Åland. */
    public PhoneNumberNormaliser() {
        this("FI", Set.of("FI", "AX"));
    }

    public PhoneNumberNormaliser(String defaultRegion, Set<String> allowedRegions) {
        this(defaultRegion, allowedRegions, true);
    }

    /** {@code fastPath} false: libphonenumber for every input, the reference the fast path is tested against. */
    PhoneNumberNormaliser(String defaultRegion, Set<String> allowedRegions, boolean fastPath) {
        this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
        this.allowedRegions = Set.copyOf(allowedRegions);
        this.fastPath = fastPath ? new PlainNumberFastPath(defaultRegion, this.allowedRegions) : null;
    }

    public Result normalise(CharSequence input) {
        if (input == null) {
            return FAILURES[Failure.EMPTY.ordinal()];
        }
        int length = input.length();
        if (length > MAX_INPUT) {
            return FAILURES[Failure.NOT_A_NUMBER.ordinal()];
        }
        boolean blank = true;
        for (int i = 0; i < length; i++) {
            char c = input.charAt(i);
            // libphonenumber would turn letters into digits (vanity numbers) and read "ext." suffixes;
            // a call list needs neither, and strictness keeps formula-like junk out.
            if (!isAllowedChar(c)) {
                return FAILURES[Failure.NOT_A_NUMBER.ordinal()];
            }
            if (c >= '0' && c <= '9') {
                blank = false;
            }
        }
        if (blank) {
            return FAILURES[(isBlank(input) ? Failure.EMPTY : Failure.NOT_A_NUMBER).ordinal()];
        }
        PlainNumberFastPath.Decision fast = fastPath == null ? null : fastPath.decide(input);
        if (fast != null) {
            return new Result(fast.number(), null);
        }
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(input, defaultRegion);
        } catch (NumberParseException e) {
            return FAILURES[Failure.NOT_A_NUMBER.ordinal()];
        }
        if (!util.isValidNumber(parsed)) {
            return FAILURES[Failure.INVALID.ordinal()];
        }
        String region = util.getRegionCodeForNumber(parsed);
        if (region == null || !allowedRegions.contains(region)) {
            return FAILURES[Failure.REGION_NOT_ALLOWED.ordinal()];
        }
        return new Result(new PhoneNumber(util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164)), null);
    }

    private static boolean isAllowedChar(char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')'
                || c == '.' || c == '/' || c == '\u00a0';
    }

    private static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '\u00a0') {
                return false;
            }
        }
        return true;
    }
}
