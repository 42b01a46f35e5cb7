package fi.callgate.results;

import java.util.Locale;
import java.util.Optional;

/**
 * The outcomes of CONTRACT §4. "Final" means the record needs no further call: every outcome but
 * {@code callback} and {@code no_answer}. A list whose every callable record has a final outcome is called
 * through. The export kind says which file carries the result to the controller, if any.
 */
public enum Outcome {
    ORDER("order", true, ExportKind.ORDERS),
    ADDRESS_CHANGE("address_change", true, ExportKind.ORDERS),
    CALL_BAN("call_ban", true, ExportKind.CALLBANS),
    NO_ANSWER("no_answer", false, null),
    NOT_INTERESTED("not_interested", true, null),
    WRONG_NUMBER("wrong_number", true, null),
    CALLBACK("callback", false, null),
    DONE("done", true, null);

    private final String code;
    private final boolean fin;
    private final ExportKind kind;

    Outcome(String code, boolean fin, ExportKind kind) {
        this.code = code;
        this.fin = fin;
        this.kind = kind;
    }

    public String code() {
        return code;
    }

    public boolean isFinal() {
        return fin;
    }

    public Optional<ExportKind> exportKind() {
        return Optional.ofNullable(kind);
    }

    public static Optional<Outcome> of(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Outcome o : values()) {
            if (o.code.equals(t)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The two export files. */
    public enum ExportKind {
        ORDERS("orders"), CALLBANS("callbans");

        private final String code;

        ExportKind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static ExportKind ofCode(String code) {
            for (ExportKind k : values()) {
                if (k.code.equals(code)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("export kind " + code);
        }
    }
}
