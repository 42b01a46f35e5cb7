package fi.callgate.domain;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The special categories of personal data of GDPR Art. 9, recognised from a column header in Finnish
 * or English ("Terveydentila", "ethnic_origin", "Poliittinen mielipide", "sexualOrientation").
 *
 * <p>Matching is on a normalised header: lower case, diacritics removed (ä → a), everything that is
 * not a letter or digit as a word break. Two kinds of keywords: <em>stems</em> long enough to be safe
 * as a substring of the header with the breaks removed (catching Finnish compounds such as
 * "terveystiedot" and camelCase), and short <em>words</em> that must be a whole word ("race" must not
 * hit "trace", "dna" must not hit "dnamber"). Gender ("sex", "sukupuoli") is not Art. 9 data and is
 * not flagged; "sex life" is.
 */
public enum SpecialCategory {
    RACIAL_OR_ETHNIC_ORIGIN("racial or ethnic origin",
            List.of("ethnic", "etninen", "etnisyy", "etnisen"),
            List.of("race", "racial", "rotu", "roturyhma")),
    POLITICAL_OPINION("political opinion",
            List.of("politic", "poliitti", "puolue", "partyaffiliation", "partymember"),
            List.of()),
    RELIGIOUS_OR_PHILOSOPHICAL_BELIEF("religious or philosophical belief",
            List.of("religio", "uskonto", "uskonno", "uskontokunta", "vakaumu", "philosophicalbelief",
                    "kirkkoon", "seurakunt", "denomination"),
            List.of("faith", "belief", "beliefs", "church", "kirkko")),
    TRADE_UNION_MEMBERSHIP("trade-union membership",
            List.of("tradeunion", "labourunion", "laborunion", "unionmember", "ammattiliit", "ammattiyhdist"),
            List.of("union", "liitto")),
    HEALTH("health",
            List.of("health", "tervey", "diagnos", "diagnoos", "sairau", "sairas", "medical", "medicat",
                    "disease", "illness", "disabilit", "laakitys", "laaket", "vamma", "potilas", "patient",
                    "allergi", "raskaus", "pregnan", "mielenterv", "hoitojakso"),
            List.of("hiv", "icd10", "icd", "sick")),
    SEX_LIFE_OR_SEXUAL_ORIENTATION("sex life or sexual orientation",
            List.of("sexlife", "sexual", "seksuaal", "seksielam", "suuntautum", "orientation"),
            List.of("lgbt", "lgbtq", "lgbtqi", "homo", "gay", "lesbian")),
    GENETIC("genetic data",
            List.of("genetic", "geneett", "genomi", "genome", "perimatieto"),
            List.of("dna", "perima")),
    BIOMETRIC("biometric data",
            List.of("biometr", "fingerprint", "sormenjal", "kasvontunnist", "facialrecogn", "faceprint",
                    "irisscan", "voiceprint"),
            List.of());

    private final String description;
    private final List<String> stems;
    private final List<String> words;

    SpecialCategory(String description, List<String> stems, List<String> words) {
        this.description = description;
        this.stems = stems;
        this.words = words;
    }

    /** Human wording for reports, e.g. "health". */
    public String description() {
        return description;
    }

    /** The category a column header names, if any. */
    public static Optional<SpecialCategory> detect(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String spaced = normalise(header);
        String compact = spaced.replace(" ", "");
        String padded = " " + spaced + " ";
        for (SpecialCategory c : values()) {
            for (String stem : c.stems) {
                if (compact.contains(stem)) {
                    return Optional.of(c);
                }
            }
            for (String word : c.words) {
                if (padded.contains(" " + word + " ")) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** Lower case, no diacritics, camelCase split, every run of non-alphanumerics one space. */
    static String normalise(String header) {
        String decomposed = Normalizer.normalize(header.strip(), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length() + 8);
        char prev = ' ';
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (Character.isLetterOrDigit(c)) {
                // "sexualOrientation" -> "sexual orientation" so that whole words are found.
                if (Character.isUpperCase(c) && Character.isLowerCase(prev)) {
                    out.append(' ');
                }
                out.append(Character.toLowerCase(c));
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
            prev = c;
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
