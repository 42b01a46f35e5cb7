package fi.callgate.agreement;

import java.util.Locale;
import java.util.Optional;

/** The encryption methods a party may agree to. */
public enum Method {
    /** OpenPGP: lists encrypted to the gateway key; everything returned encrypted to the party's key. */
    OPENPGP,
    /** 7-Zip compatible: AES-256 .7z or AES-256 .zip in, AES-256 .zip out, with an agreed passphrase. */
    AES_ZIP;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Method> of(String code) {
        for (Method m : values()) {
            if (m.code().equals(code)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
