package fi.callgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fi.callgate.domain.PersonalIdCode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/** The personal-id detector agrees with a plain reference written from the definition, on any text. */
class PersonalIdCodeFuzzTest {
    private static final Pattern SHAPE = Pattern.compile("\\d{6}[-+YXWVUABCDEF]\\d{3}[0-9A-Z]");
    private static final String CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    @FuzzTest(maxDuration = "60s")
    void detectorAgreesWithReference(byte[] data) {
        // raw bytes as seeds (committed inputs stay readable text); Latin-1 reaches every byte value as a char,
        // UTF-8 the multi-byte ones (Unicode case mappings)
        check(new String(data, StandardCharsets.UTF_8));
        check(new String(data, StandardCharsets.ISO_8859_1));
    }

    private static void check(String cell) {
        boolean expected = reference(cell);
        assertThat(PersonalIdCode.containsValidCode(cell)).as("containsValidCode").isEqualTo(expected);
        if (cell.length() == 11) {
            assertThat(PersonalIdCode.isValid(cell)).isEqualTo(valid(cell));
        }
        FuzzCounts.hit("PersonalIdCode", expected ? "contains" : "none");
    }

    /** Any 11-character window that, upper-cased character by character, is a valid code. */
    static boolean reference(String s) {
        for (int i = 0; i + 11 <= s.length(); i++) {
            StringBuilder w = new StringBuilder(11);
            for (int j = i; j < i + 11; j++) {
                w.append(Character.toUpperCase(s.charAt(j)));
            }
            if (valid(w.toString())) {
                return true;
            }
        }
        return false;
    }

    static boolean valid(String w) {
        if (!SHAPE.matcher(w).matches()) {
            return false;
        }
        int day = Integer.parseInt(w.substring(0, 2));
        int month = Integer.parseInt(w.substring(2, 4));
        int yy = Integer.parseInt(w.substring(4, 6));
        char sign = w.charAt(6);
        int century = sign == '+' ? 1800 : "-YXWVU".indexOf(sign) >= 0 ? 1900 : 2000;
        int individual = Integer.parseInt(w.substring(7, 10));
        if (individual < 2) {
            return false;
        }
        try {
            LocalDate.of(century + yy, month, day);
        } catch (DateTimeException e) {
            return false;
        }
        long number = Long.parseLong(w.substring(0, 6) + w.substring(7, 10));
        return CHECK.charAt((int) (number % 31)) == w.charAt(10);
    }

    @AfterAll
    static void counts() {
        FuzzCounts.print("PersonalIdCode");
    }
}
