package fi.callgate.audit;

/**
 * Makes text taken from clients (user names, file names, command arguments) inert before it is stored
 * or logged: control characters (CR/LF log forging), bidi overrides and other invisible format
 * characters are shown as {@code \\uXXXX}, and length is bounded. {@code ${jndi:…}} needs nothing:
 * logback does not interpret message arguments.
 */
public final class SafeText {
    private SafeText() {
    }

    public static String of(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength) + 8);
        for (int i = 0; i < text.length() && out.length() < maxLength; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                out.append("\\\\");
            } else if (needsEscape(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (out.length() >= maxLength) {
            out.setLength(maxLength);
            out.append('…');
        }
        return out.toString();
    }

    public static boolean needsEscape(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp)
                || type == Character.FORMAT            // Cf: bidi overrides, zero-width joiners
                || type == Character.LINE_SEPARATOR     // Zl
                || type == Character.PARAGRAPH_SEPARATOR // Zp
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED;
    }
}
