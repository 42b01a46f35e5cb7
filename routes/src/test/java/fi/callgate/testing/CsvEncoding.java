package fi.callgate.testing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The encodings CONTRACT §4 accepts for every CSV file, as a client would save them. */
public enum CsvEncoding {
    UTF8, UTF8_BOM, WINDOWS_1252;

    public byte[] bytes(String text) {
        return switch (this) {
            case UTF8 -> text.getBytes(StandardCharsets.UTF_8);
            case UTF8_BOM -> ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
            case WINDOWS_1252 -> text.getBytes(Charset.forName("windows-1252"));
        };
    }

    /** The charset name the detector reports for it. */
    public String detectedAs() {
        return this == WINDOWS_1252 ? "windows-1252" : "UTF-8";
    }
}
