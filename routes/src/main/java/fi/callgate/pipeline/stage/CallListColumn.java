package fi.callgate.pipeline.stage;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The columns a call list may have (CONTRACT §4), with their Finnish and English names. */
public enum CallListColumn {
    FIRST_NAME(true, "first_name", "etunimi"),
    LAST_NAME(true, "last_name", "sukunimi"),
    PHONE(true, "phone", "puhelin", "puhelinnumero"),
    EMAIL(false, "email", "sähköposti", "sahkoposti"),
    STREET(false, "street", "katuosoite", "lähiosoite", "osoite"),
    POSTAL_CODE(false, "postal_code", "postinumero"),
    CITY(false, "city", "postitoimipaikka", "kaupunki"),
    SOURCE(true, "source", "lähde", "lahde"),
    PERSONAL_ID(false, "personal_id", "henkilötunnus", "hetu");

    private static final Map<String, CallListColumn> BY_NAME = new HashMap<>();

    static {
        for (CallListColumn c : values()) {
            for (String alias : c.aliases) {
                BY_NAME.put(alias, c);
            }
        }
    }

    private final boolean required;
    private final List<String> aliases;

    CallListColumn(boolean required, String... aliases) {
        this.required = required;
        this.aliases = List.of(aliases);
    }

    public boolean required() {
        return required;
    }

    /** The English name used in reports, e.g. {@code first_name}. */
    public String columnName() {
        return aliases.get(0);
    }

    /**
     * The column a header names. Case, surrounding blanks and the Unicode form (macOS writes "ä" as
     * two code points) do not matter, and a space or hyphen counts as an underscore ("First Name").
     */
    public static Optional<CallListColumn> byHeader(String header) {
        String key = Normalizer.normalize(header.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                .replace(' ', '_').replace('-', '_');
        return Optional.ofNullable(BY_NAME.get(key));
    }
}
