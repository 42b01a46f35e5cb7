package fi.callgate.gateway.accounts;

import java.util.regex.Pattern;

/**
 * What names of accounts, organisations and campaigns may look like. Deliberately narrow ASCII: these
 * names become folder names and log fields, so {@code ..}, slashes, backslashes, NUL, control, format
 * and line-separator characters can never appear in them.
 */
public final class Names {
    private static final Pattern ACCOUNT = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Names() {
    }

    public static String account(String name) {
        return check(ACCOUNT, name, "account name", "1-32 of a-z 0-9 . _ - starting with a letter");
    }

    public static String campaign(String id) {
        return check(CAMPAIGN, id, "campaign id", "1-40 of A-Z a-z 0-9 _ - starting with a letter or digit");
    }

    public static String org(String org) {
        return check(ORG, org, "organisation", "1-64 of A-Z a-z 0-9 _ - starting with a letter or digit");
    }

    public static boolean isAccount(String name) {
        return name != null && ACCOUNT.matcher(name).matches() && !name.contains("..");
    }

    private static String check(Pattern p, String value, String what, String rule) {
        if (value == null || !p.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException("invalid " + what + ": must be " + rule);
        }
        return value;
    }
}
