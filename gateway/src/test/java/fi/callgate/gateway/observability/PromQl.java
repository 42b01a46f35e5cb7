package fi.callgate.gateway.observability;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which metric names a PromQL expression reads. Not a parser: it removes everything that can hold an
 * identifier that is not a metric (strings, label matchers, ranges, label lists of by/without/on/
 * ignoring/group_*, offsets and @ modifiers), then keeps the identifiers that are neither a function
 * call, a keyword nor part of a number or duration. Grafana variables ({@code $x}) are ignored.
 * Syntax is checked separately with promtool.
 */
final class PromQl {
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("(?i)\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern OFFSET = Pattern.compile("(?i)\\boffset\\s+-?[0-9a-z.$_]+");
    private static final Pattern AT = Pattern.compile("@\\s*(?:-?[0-9.e+]+|(?:start|end)\\s*\\(\\s*\\))");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan");

    private PromQl() {
    }

    static Set<String> metricNamesIn(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher byName = NAME_MATCHER.matcher(promql);
        while (byName.find()) {
            names.add(byName.group(1));
        }
        String s = STRING.matcher(promql).replaceAll(" ");
        s = BRACES.matcher(s).replaceAll(" ");
        s = BRACKETS.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        s = OFFSET.matcher(s).replaceAll(" ");
        s = AT.matcher(s).replaceAll(" ");
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (m.start() > 0) {
                char before = s.charAt(m.start() - 1);
                // part of a number (1e3, 0x1f), a duration (5m) or a Grafana variable ($instance)
                if (Character.isDigit(before) || before == '.' || before == '$') {
                    continue;
                }
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!call && !KEYWORDS.contains(m.group().toLowerCase(Locale.ROOT))) {
                names.add(m.group());
            }
        }
        return names;
    }
}
