package fi.callgate.domain;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises the plain notations of the default region's own numbers ({@code 0401234567},
 * {@code 040 123 4567}, {@code 040-1234567}, {@code +358401234567}, {@code 00358…}, {@code 358…}, Åland
 * {@code +358 18…}) without {@link PhoneNumberUtil#parse}, which costs ≈ 8 µs a number, most of it in
 * regular expressions built for every notation of every country.
 *
 * <p>It only ever says "valid, and this is the number"; everything else — any other character
 * (parentheses, dots, slashes), another country, a number these steps cannot prove valid — returns
 * {@code null} and goes through libphonenumber as before, so invalid numbers keep libphonenumber's exact
 * failure. The steps are libphonenumber's own for this narrow case (IDD and country-code stripping,
 * national prefix, region by leading digits, number type), and every pattern, length list and prefix
 * comes from libphonenumber's metadata, read here at start: no number range is written in this class.
 * When the metadata holds something these steps do not model (a national-prefix transform rule, a
 * region that is not the main one of its calling code, a calling code whose prefix is another code)
 * the fast path switches itself off.
 *
 * <p>{@code PlainNumberFastPathTest} compares it with libphonenumber on ≥ 100 000 generated inputs and
 * {@code PhoneNumberNormaliserFuzzTest} on fuzzed ones: <b>rerun both on every libphonenumber
 * upgrade</b> (they run in every build; {@code bench/fuzz.sh} for the long fuzzing run).
 */
final class PlainNumberFastPath {
    /** Longest digit string considered: 00 + 3-digit code + 17-digit NSN. */
    private static final int MAX_DIGITS = 22;
    private static final int MIN_LENGTH_FOR_NSN = 2;   // PhoneNumberUtil.MIN_LENGTH_FOR_NSN
    private static final int MAX_LENGTH_FOR_NSN = 17;  // PhoneNumberUtil.MAX_LENGTH_FOR_NSN

    /** What the fast path decided: the number, its region and the type libphonenumber would give it. */
    record Decision(PhoneNumber number, String region, PhoneNumberType type) {
    }

    private final String countryCode;
    private final Pattern internationalPrefix;
    private final Pattern nationalPrefix;
    private final Region defaultRegion;
    private final List<Region> regions = new ArrayList<>();
    private final boolean enabled;

    /** @param allowedRegions regions a decided number may belong to; a number of any other region is left alone */
    PlainNumberFastPath(String defaultRegionCode, Set<String> allowedRegions) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        var source = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
        PhoneMetadata def = util.getSupportedRegions().contains(defaultRegionCode)
                ? source.getMetadataForRegion(defaultRegionCode) : null;
        boolean ok = def != null;
        int cc = ok ? def.getCountryCode() : 0;
        this.countryCode = String.valueOf(cc);
        for (int i = 1; ok && i < countryCode.length(); i++) {
            // libphonenumber takes the shortest known code: a shorter one would be read instead of ours
            ok = !util.getSupportedCallingCodes().contains(Integer.parseInt(countryCode.substring(0, i)));
        }
        ok = ok && def.getMainCountryForCode() || ok && util.getRegionCodesForCountryCode(cc).size() == 1;
        ok = ok && def.getNationalPrefixTransformRule().isEmpty();
        this.internationalPrefix = ok ? Pattern.compile(def.getInternationalPrefix()) : null;
        this.nationalPrefix = ok && !def.getNationalPrefixForParsing().isEmpty()
                ? Pattern.compile(def.getNationalPrefixForParsing()) : null;
        this.defaultRegion = ok ? new Region(defaultRegionCode, def, allowedRegions.contains(defaultRegionCode)) : null;
        if (ok) {
            for (String code : util.getRegionCodesForCountryCode(cc)) {
                regions.add(code.equals(defaultRegionCode) ? defaultRegion
                        : new Region(code, source.getMetadataForRegion(code), allowedRegions.contains(code)));
            }
        }
        this.enabled = ok;
    }

    /** The number if {@code input} is a plain notation of a valid number of an allowed region, else null. */
    Decision decide(CharSequence input) {
        if (!enabled) {
            return null;
        }
        char[] digits = new char[MAX_DIGITS];
        int n = 0;
        int i = 0;
        int length = input.length();
        while (i < length && input.charAt(i) == ' ') {
            i++;
        }
        boolean plus = i < length && input.charAt(i) == '+';
        if (plus) {
            i++;
        }
        if (i >= length || !isDigit(input.charAt(i))) {
            return null;
        }
        int end = length;
        while (end > i && input.charAt(end - 1) == ' ') {
            end--;
        }
        for (; i < end; i++) {
            char c = input.charAt(i);
            if (isDigit(c)) {
                if (n == MAX_DIGITS) {
                    return null;
                }
                digits[n++] = c;
            } else if (c != ' ' && c != '-') {
                return null;
            }
        }
        return decideDigits(new String(digits, 0, n), plus);
    }

    private Decision decideDigits(String d, boolean plus) {
        String national;
        if (plus) {
            national = afterCountryCode(d);
        } else {
            var idd = internationalPrefix.matcher(d);
            if (idd.lookingAt()) {
                // libphonenumber keeps the IDD when a 0 (or nothing) follows: leave those to it
                if (idd.end() >= d.length() || d.charAt(idd.end()) == '0') {
                    return null;
                }
                String rest = d.substring(idd.end());
                national = rest.length() <= MIN_LENGTH_FOR_NSN ? null : afterCountryCode(rest);
            } else {
                national = d;
                if (d.startsWith(countryCode)) {
                    // "358…" without a plus: the code counts only if that makes a better number (libphonenumber's rule)
                    String stripped = stripNationalPrefix(d.substring(countryCode.length()));
                    if (!defaultRegion.generalPattern(d) && defaultRegion.generalPattern(stripped)
                            || defaultRegion.tooLong(d)) {
                        national = stripped;
                    }
                }
            }
        }
        if (national == null || national.length() < MIN_LENGTH_FOR_NSN) {
            return null;
        }
        String withoutPrefix = stripNationalPrefix(national);
        if (defaultRegion.lengthAllowsPrefixStripping(withoutPrefix)) {
            national = withoutPrefix;
        }
        if (national.length() < MIN_LENGTH_FOR_NSN || national.length() > MAX_LENGTH_FOR_NSN
                || national.charAt(0) == '0') {
            return null; // errors, and "Italian" leading zeros, are libphonenumber's to report
        }
        Region region = regionOf(national);
        if (region == null || !region.allowed) {
            return null;
        }
        PhoneNumberType type = region.type(national);
        return type == PhoneNumberType.UNKNOWN ? null
                : new Decision(new PhoneNumber("+" + countryCode + national), region.code, type);
    }

    /** Only our own country code is handled; any other goes to libphonenumber. */
    private String afterCountryCode(String d) {
        return d.startsWith(countryCode) ? d.substring(countryCode.length()) : null;
    }

    /** libphonenumber's maybeStripNationalPrefixAndCarrierCode, for metadata without a transform rule. */
    private String stripNationalPrefix(String number) {
        if (nationalPrefix == null || number.isEmpty()) {
            return number;
        }
        var m = nationalPrefix.matcher(number);
        if (!m.lookingAt()) {
            return number;
        }
        String rest = number.substring(m.end());
        if (defaultRegion.generalPattern(number) && !defaultRegion.generalPattern(rest)) {
            return number;
        }
        return rest;
    }

    /** libphonenumber's getRegionCodeForNumberFromRegionList: leading digits if the region has them, else a type. */
    private Region regionOf(String national) {
        if (regions.size() == 1) {
            return regions.get(0);
        }
        for (Region r : regions) {
            if (r.leadingDigits != null) {
                if (r.leadingDigits.matcher(national).lookingAt()) {
                    return r;
                }
            } else if (r.type(national) != PhoneNumberType.UNKNOWN) {
                return r;
            }
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** One region's metadata with its patterns compiled once. */
    private static final class Region {
        final String code;
        final PhoneMetadata metadata;
        final boolean allowed;
        final Pattern leadingDigits;
        private final Desc general;
        private final Desc[] ordered;      // in getNumberTypeHelper's order, before fixed line and mobile
        private final PhoneNumberType[] orderedTypes;
        private final Desc fixedLine;
        private final Desc mobile;
        private final List<Integer> possibleLengths;

        Region(String code, PhoneMetadata m, boolean allowed) {
            this.code = code;
            this.metadata = m;
            this.allowed = allowed;
            this.leadingDigits = m.hasLeadingDigits() ? Pattern.compile(m.getLeadingDigits()) : null;
            this.general = new Desc(m.getGeneralDesc());
            this.ordered = new Desc[] {new Desc(m.getPremiumRate()), new Desc(m.getTollFree()),
                new Desc(m.getSharedCost()), new Desc(m.getVoip()), new Desc(m.getPersonalNumber()),
                new Desc(m.getPager()), new Desc(m.getUan()), new Desc(m.getVoicemail())};
            this.orderedTypes = new PhoneNumberType[] {PhoneNumberType.PREMIUM_RATE, PhoneNumberType.TOLL_FREE,
                PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER,
                PhoneNumberType.PAGER, PhoneNumberType.UAN, PhoneNumberType.VOICEMAIL};
            this.fixedLine = new Desc(m.getFixedLine());
            this.mobile = new Desc(m.getMobile());
            this.possibleLengths = m.getGeneralDesc().getPossibleLengthList();
        }

        /** libphonenumber's matchNationalNumber against the general description: the pattern alone, no lengths. */
        boolean generalPattern(String number) {
            return general.pattern != null && general.pattern.matcher(number).matches();
        }

        /** libphonenumber's getNumberTypeHelper. */
        PhoneNumberType type(String national) {
            if (!general.matches(national)) {
                return PhoneNumberType.UNKNOWN;
            }
            for (int i = 0; i < ordered.length; i++) {
                if (ordered[i].matches(national)) {
                    return orderedTypes[i];
                }
            }
            boolean same = metadata.getSameMobileAndFixedLinePattern();
            if (fixedLine.matches(national)) {
                return same || mobile.matches(national) ? PhoneNumberType.FIXED_LINE_OR_MOBILE
                        : PhoneNumberType.FIXED_LINE;
            }
            return !same && mobile.matches(national) ? PhoneNumberType.MOBILE : PhoneNumberType.UNKNOWN;
        }

        /** testNumberLength(…) == TOO_LONG for the general description. */
        boolean tooLong(String number) {
            return possibleLengths.get(0) != -1 && number.length() > possibleLengths.get(possibleLengths.size() - 1)
                    && !metadata.getGeneralDesc().getPossibleLengthLocalOnlyList().contains(number.length())
                    && possibleLengths.get(0) != number.length();
        }

        /** parse keeps the national prefix stripped unless the rest is TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY or INVALID_LENGTH. */
        boolean lengthAllowsPrefixStripping(String number) {
            int len = number.length();
            if (possibleLengths.get(0) == -1
                    || metadata.getGeneralDesc().getPossibleLengthLocalOnlyList().contains(len)) {
                return false;
            }
            int min = possibleLengths.get(0);
            if (len == min) {
                return true;
            }
            if (len < min) {
                return false;
            }
            if (len > possibleLengths.get(possibleLengths.size() - 1)) {
                return true; // TOO_LONG still strips
            }
            return possibleLengths.subList(1, possibleLengths.size()).contains(len);
        }
    }

    /** A number description: libphonenumber's isNumberMatchingDesc (possible lengths first, then the pattern). */
    private static final class Desc {
        private final List<Integer> lengths;
        private final Pattern pattern;

        Desc(PhoneNumberDesc d) {
            this.lengths = d.getPossibleLengthList();
            this.pattern = d.getNationalNumberPattern().isEmpty() ? null : Pattern.compile(d.getNationalNumberPattern());
        }

        boolean matches(String national) {
            if (!lengths.isEmpty() && !lengths.contains(national.length())) {
                return false;
            }
            return pattern != null && pattern.matcher(national).matches();
        }
    }
}
