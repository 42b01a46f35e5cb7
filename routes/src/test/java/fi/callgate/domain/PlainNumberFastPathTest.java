package fi.callgate.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test of the phone fast path against libphonenumber alone, on a generated corpus of
 * structured notations (every prefix family of FI and AX in every way of writing the country, with
 * separators, leading zeros, wrong lengths) and random strings. Both must give the same result on every
 * input — valid or not, the failure kind, the E.164 — and where the fast path decides, the region and
 * number type it claims must be libphonenumber's. Rerun on every libphonenumber upgrade (it runs in
 * every build): a changed metadata file is exactly what it is for.
 */
class PlainNumberFastPathTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String[] SEPARATORS = {" ", "-", "  ", " - ", "--"};

    @Test
    void agreesWithLibphonenumberOnFinnishAndAlandCorpus() {
        List<String> corpus = corpus(new Random(20261203), 130_000);
        Outcome o = compare("FI", Set.of("FI", "AX"), corpus);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100_000);
        assertThat(o.mismatches).as("inputs where the fast path and libphonenumber disagree").isEmpty();
        System.out.printf("[phone-diff] FI/AX: %d inputs, %d valid, %d decided by the fast path (%d mobile, %d fixed,"
                + " %d Åland), 0 disagreements%n", corpus.size(), o.valid, o.decided, o.mobileDecided, o.fixedDecided,
                o.alandDecided);
        // the fast path must really carry the load, not just decline everything
        assertThat(o.decided).as("inputs decided by the fast path").isGreaterThan(o.valid / 2);
        assertThat(o.alandDecided).isGreaterThan(500);
        assertThat(o.fixedDecided).isGreaterThan(1000);
        assertThat(o.mobileDecided).isGreaterThan(1000);
    }

    /** Åland not allowed: its numbers must come out REGION_NOT_ALLOWED exactly as before. */
    @Test
    void agreesWhenAlandIsNotAllowed() {
        Outcome o = compare("FI", Set.of("FI"), corpus(new Random(7), 20_000));
        assertThat(o.mismatches).isEmpty();
        assertThat(o.alandDecided).isZero();
    }

    /** Nothing in the fast path is Finnish: another default region runs on its own metadata. */
    @Test
    void agreesForAnotherDefaultRegion() {
        List<String> corpus = new ArrayList<>();
        Random rnd = new Random(46);
        for (int i = 0; i < 20_000; i++) {
            String nsn = (rnd.nextBoolean() ? "7" + rnd.nextInt(10) : String.valueOf(1 + rnd.nextInt(9)))
                    + digits(rnd, 5 + rnd.nextInt(5));
            corpus.add(notation(rnd, "46", nsn));
        }
        Outcome o = compare("SE", Set.of("SE"), corpus);
        assertThat(o.mismatches).isEmpty();
        assertThat(o.decided).isGreaterThan(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0401234567", "040 123 4567", "040-1234567", "+358401234567", "+358 40 1234567",
        "00358401234567", "358401234567", "+358 18 12345", "018 12345", "09 123 4567", "0457 1234567",
        " 040 123 4567 "})
    void commonNotationsTakeTheFastPath(String input) {
        PlainNumberFastPath fast = new PlainNumberFastPath("FI", Set.of("FI", "AX"));
        assertThat(fast.decide(input)).as(input).isNotNull();
        assertThat(fast.decide(input).number()).isEqualTo(new PhoneNumberNormaliser("FI", Set.of("FI", "AX"), false)
                .normalise(input).number());
    }

    @ParameterizedTest
    @ValueSource(strings = {"(040) 123 4567", "+358 (0)40 123 4567", "040.123.4567", "040/1234567", "+46701234567",
        "0123", "040 123", "++358401234567", "0040 123"})
    void unusualNotationsAreLeftToLibphonenumber(String input) {
        assertThat(new PlainNumberFastPath("FI", Set.of("FI", "AX")).decide(input)).as(input).isNull();
    }

    private static final class Outcome {
        final List<String> mismatches = new ArrayList<>();
        int valid;
        int decided;
        int mobileDecided;
        int fixedDecided;
        int alandDecided;
    }

    private static Outcome compare(String region, Set<String> allowed, List<String> corpus) {
        PhoneNumberNormaliser withFastPath = new PhoneNumberNormaliser(region, allowed);
        PhoneNumberNormaliser reference = new PhoneNumberNormaliser(region, allowed, false);
        PlainNumberFastPath fast = new PlainNumberFastPath(region, allowed);
        Outcome o = new Outcome();
        for (String input : corpus) {
            PhoneNumberNormaliser.Result expected = reference.normalise(input);
            PhoneNumberNormaliser.Result actual = withFastPath.normalise(input);
            if (!expected.equals(actual)) {
                mismatch(o, input, show(expected) + " expected, fast path gave " + show(actual));
                continue;
            }
            o.valid += expected.isValid() ? 1 : 0;
            PlainNumberFastPath.Decision d = fast.decide(input);
            if (d == null) {
                continue;
            }
            o.decided++;
            Phonenumber.PhoneNumber parsed;
            try {
                parsed = UTIL.parse(input, region);
            } catch (NumberParseException e) {
                mismatch(o, input, "fast path decided, libphonenumber cannot parse");
                continue;
            }
            String lpnRegion = UTIL.getRegionCodeForNumber(parsed);
            PhoneNumberUtil.PhoneNumberType lpnType = UTIL.getNumberType(parsed);
            if (!d.region().equals(lpnRegion) || d.type() != lpnType || !expected.isValid()
                    || !d.number().equals(expected.number())) {
                mismatch(o, input, "fast " + d + " vs libphonenumber " + lpnRegion + "/" + lpnType + "/" + show(expected));
                continue;
            }
            switch (d.type()) {
                case MOBILE -> o.mobileDecided++;
                case FIXED_LINE, FIXED_LINE_OR_MOBILE -> o.fixedDecided++;
                default -> { }
            }
            o.alandDecided += "AX".equals(d.region()) ? 1 : 0;
        }
        return o;
    }

    /** Synthetic numbers: shown whole (PhoneNumber.toString masks them). */
    private static String show(PhoneNumberNormaliser.Result r) {
        return r.isValid() ? r.number().e164() : r.failure().name();
    }

    private static void mismatch(Outcome o, String input, String what) {
        if (o.mismatches.size() < 20) {
            o.mismatches.add("'" + input + "': " + what);
        } else if (o.mismatches.size() == 20) {
            o.mismatches.add("…");
        }
    }

    /** Structured notations of plausible and implausible national numbers, then random strings. */
    static List<String> corpus(Random rnd, int size) {
        String[] families = {"40", "41", "42", "43", "44", "45", "46", "457", "449", "50", "49", "48", "4",
            "18", "181", "17", "13", "14", "15", "16", "19", "2", "3", "5", "6", "8", "9", "100", "20", "29", "30",
            "600", "700", "71", "73", "75", "7099", "800", "10", "11", "12", "0", "1", "7", "35", "358", "3580"};
        List<String> out = new ArrayList<>(size);
        while (out.size() < size * 3 / 4) {
            String family = families[rnd.nextInt(families.length)];
            String nsn = family + digits(rnd, rnd.nextInt(13));
            out.add(notation(rnd, "358", nsn));
        }
        String alphabet = "0123456789012345678901234567890123456789 +-()./\u00a0";
        while (out.size() < size) {
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                StringBuilder sb = new StringBuilder();
                int len = rnd.nextInt(25);
                for (int i = 0; i < len; i++) {
                    sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                out.add(sb.toString());
            } else if (kind == 1) {
                out.add((rnd.nextBoolean() ? "+" : "") + digits(rnd, 1 + rnd.nextInt(22)));
            } else {
                String[] prefixes = {"", "0", "00", "000", "+", "+0", "358", "+358", "00358", "0358", "990358",
                    "994358", "999358", "9950358", "+3580", "+35800", "3580", "35800", "+46", "0046", "+3", "+35"};
                out.add(prefixes[rnd.nextInt(prefixes.length)] + digits(rnd, 1 + rnd.nextInt(16)));
            }
        }
        return out;
    }

    /** One way of writing {@code nsn} of country {@code cc}, with random grouping and spacing. */
    static String notation(Random rnd, String cc, String nsn) {
        String head = switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> "0";
            case 3 -> "";
            case 4, 5 -> "+" + cc;
            case 6 -> "+" + cc + "0";
            case 7 -> cc;
            case 8 -> "00" + cc;
            case 9 -> "99" + (4 + rnd.nextInt(6)) + cc;
            case 10 -> cc + "0";
            default -> "00";
        };
        String number = group(rnd, head, nsn);
        switch (rnd.nextInt(16)) {
            case 0 -> number = " " + number;
            case 1 -> number = number + " ";
            case 2 -> number = "(" + number.substring(0, Math.min(3, number.length())) + ") "
                    + number.substring(Math.min(3, number.length()));
            case 3 -> number = number.replace(' ', '.');
            case 4 -> number = number.replace(' ', '\u00a0');
            case 5 -> number = "-" + number;
            case 6 -> number = number + "-";
            case 7 -> number = "+" + cc + " (0)" + nsn;
            default -> { }
        }
        return number;
    }

    private static String group(Random rnd, String head, String nsn) {
        String all = head + nsn;
        if (rnd.nextInt(3) == 0 || all.isEmpty()) {
            return all;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < all.length(); i++) {
            char c = all.charAt(i);
            if (i > 0 && (i == head.length() || rnd.nextInt(4) == 0) && !(i == 1 && all.charAt(0) == '+')) {
                sb.append(SEPARATORS[rnd.nextInt(SEPARATORS.length)]);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String digits(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        return sb.toString();
    }
}
