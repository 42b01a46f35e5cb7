package fi.callgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import fi.callgate.domain.PhoneNumberNormaliser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * The phone normaliser (with its fast path for plain FI/AX notations) gives libphonenumber's answer on
 * any input: the reference below is the normaliser as it was before the fast path, written out against
 * libphonenumber directly. Rerun on every libphonenumber upgrade: plain {@code mvn test} replays the
 * committed inputs, {@code JAZZER_FUZZ=1} ({@code bench/fuzz.sh}) fuzzes for {@code maxDuration}.
 */
class PhoneNumberNormaliserFuzzTest {
    private static final PhoneNumberNormaliser NORMALISER = new PhoneNumberNormaliser();
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Bytes mapped onto the characters of phone notations, so that most inputs are near-numbers. */
    private static final String PHONE_CHARS = "0123456789012345678901234567890123456789  +-()./\u00a0";

    @FuzzTest(maxDuration = "60s")
    void agreesWithLibphonenumber(byte[] data) {
        check(new String(data, StandardCharsets.UTF_8));
        check(new String(data, StandardCharsets.ISO_8859_1));
        StringBuilder phoneLike = new StringBuilder(data.length);
        for (byte b : data) {
            phoneLike.append(PHONE_CHARS.charAt((b & 0xff) % PHONE_CHARS.length()));
        }
        check(phoneLike.toString());
    }

    private static void check(String input) {
        String expected = reference(input);
        PhoneNumberNormaliser.Result r = NORMALISER.normalise(input);
        assertThat(r.isValid() ? r.number().e164() : r.failure().name()).as("'%s'", input).isEqualTo(expected);
        FuzzCounts.hit("PhoneNumberNormaliser", expected.startsWith("+") ? "valid" : expected);
    }

    /** libphonenumber alone: E.164 of a valid FI/AX number, else the failure the normaliser reports. */
    static String reference(String s) {
        if (s.length() > 40) {
            return "NOT_A_NUMBER";
        }
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && " +-()./\u00a0".indexOf(c) < 0) {
                return "NOT_A_NUMBER";
            }
            digit |= c >= '0' && c <= '9';
        }
        if (!digit) {
            return s.chars().allMatch(c -> Character.isWhitespace(c) || c == '\u00a0') ? "EMPTY" : "NOT_A_NUMBER";
        }
        Phonenumber.PhoneNumber n;
        try {
            n = UTIL.parse(s, "FI");
        } catch (NumberParseException e) {
            return "NOT_A_NUMBER";
        }
        if (!UTIL.isValidNumber(n)) {
            return "INVALID";
        }
        String region = UTIL.getRegionCodeForNumber(n);
        if (!"FI".equals(region) && !"AX".equals(region)) {
            return "REGION_NOT_ALLOWED";
        }
        return UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    @AfterAll
    static void counts() {
        FuzzCounts.print("PhoneNumberNormaliser");
    }
}
