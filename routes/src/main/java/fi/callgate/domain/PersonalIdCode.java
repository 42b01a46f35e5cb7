package fi.callgate.domain;

import java.util.Objects;

/**
 * A Finnish personal identity code (henkilötunnus): {@code DDMMYY} + century sign + {@code NNN} +
 * check character, e.g. {@code 131052-308T}.
 *
 * <p>Rules applied: the century signs of the 2023 reform ({@code +}; {@code - Y X W V U};
 * {@code A B C D E F}), a real calendar date, individual number 002–999 and the mod-31 check
 * character. Individual numbers 900–999 are temporary codes; they still identify a person, so they are
 * accepted here (and, above all, detected in free text) and flagged by {@link #isTemporary()}.
 * 000 and 001 are never issued and are refused.
 *
 * <p>The value is kept exactly as given (all 11 characters, century sign untouched): normalising it
 * would make a code that no longer matches the controller's records. {@link #isValid} is therefore
 * case-sensitive; only {@link #containsValidCode} is lenient about case, because there the cost of a
 * miss (an identity code slipping into a campaign not allowed to hold one) is the bigger risk.
 */
public final class PersonalIdCode {

    private static final String CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    private static final int LENGTH = 11;

    private final String value;

    private PersonalIdCode(String value) {
        this.value = value;
    }

    /**
     * @throws IllegalArgumentException if {@code text} is not a valid code (the message never
     *                                  repeats the text)
     */
    public static PersonalIdCode parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!isValid(text)) {
            throw new IllegalArgumentException("not a valid Finnish personal identity code");
        }
        return new PersonalIdCode(text);
    }

    /** Exactly 11 characters forming a valid code, upper case as issued. */
    public static boolean isValid(CharSequence s) {
        return s != null && s.length() == LENGTH && validAt(s, 0, false);
    }

    /**
     * True if a valid code occurs anywhere in {@code cell}, in upper or lower case, with or without
     * surrounding text ("notes: 131052-308T ok"). Linear in the cell length and allocation-free.
     */
    public static boolean containsValidCode(CharSequence cell) {
        if (cell == null) {
            return false;
        }
        int n = cell.length();
        // Anchor on the century sign at offset 6: it is rarer than digits, so most positions are
        // skipped after one comparison.
        for (int sign = 6; sign + 4 < n; sign++) {
            if (centuryOf(cell.charAt(sign), true) != 0 && validAt(cell, sign - 6, true)) {
                return true;
            }
        }
        return false;
    }

    public String value() {
        return value;
    }

    /** Individual number 900–999: a temporary code. */
    public boolean isTemporary() {
        return value.charAt(7) == '9';
    }

    private static boolean validAt(CharSequence s, int start, boolean ignoreCase) {
        int day = twoDigits(s, start);
        int month = twoDigits(s, start + 2);
        int yy = twoDigits(s, start + 4);
        int century = centuryOf(s.charAt(start + 6), ignoreCase);
        int individual = threeDigits(s, start + 7);
        if (day < 0 || month < 0 || yy < 0 || century == 0 || individual < 2) {
            return false;
        }
        if (!isRealDate(century + yy, month, day)) {
            return false;
        }
        int number = ((day * 100 + month) * 100 + yy) * 1000 + individual;
        char expected = CHECK_CHARS.charAt(number % 31);
        char actual = s.charAt(start + 10);
        if (ignoreCase) {
            actual = Character.toUpperCase(actual);
        }
        return actual == expected;
    }

    /** Base year of the century sign, or 0 if the character is not one. */
    private static int centuryOf(char c, boolean ignoreCase) {
        char u = ignoreCase ? Character.toUpperCase(c) : c;
        switch (u) {
            case '+':
                return 1800;
            case '-': case 'Y': case 'X': case 'W': case 'V': case 'U':
                return 1900;
            case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':
                return 2000;
            default:
                return 0;
        }
    }

    private static boolean isRealDate(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        int max;
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                max = leap ? 29 : 28;
                break;
            case 4: case 6: case 9: case 11:
                max = 30;
                break;
            default:
                max = 31;
        }
        return day <= max;
    }

    private static int twoDigits(CharSequence s, int i) {
        int a = digit(s.charAt(i));
        int b = digit(s.charAt(i + 1));
        return a < 0 || b < 0 ? -1 : a * 10 + b;
    }

    private static int threeDigits(CharSequence s, int i) {
        int a = twoDigits(s, i);
        int c = digit(s.charAt(i + 2));
        return a < 0 || c < 0 ? -1 : a * 10 + c;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonalIdCode && ((PersonalIdCode) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Never the code itself: objects end up in log lines by accident. */
    @Override
    public String toString() {
        return "PersonalIdCode[***]";
    }
}
