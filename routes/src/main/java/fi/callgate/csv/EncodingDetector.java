package fi.callgate.csv;

import fi.callgate.domain.RejectReason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Decides between UTF-8 and Windows-1252 from the first {@value #PREFIX_BYTES} bytes, and finds the
 * delimiter in the header line of the same prefix.
 *
 * <p>Rule, in order: a UTF-8 BOM means UTF-8; a UTF-16 BOM or a NUL byte is refused; a prefix that is
 * valid UTF-8 means UTF-8; otherwise the prefix is taken as Windows-1252 if it has no C0 control byte
 * other than TAB/CR/LF, none of the five bytes Windows-1252 leaves undefined, and at most a quarter of
 * its bytes above 0x7F (text in a Latin script is mostly ASCII; binary or another multibyte encoding
 * is not). Anything else is refused. Bytes past the prefix are decoded strictly, so a UTF-8 file that
 * breaks after the prefix is refused when the bad byte is reached.
 */
final class EncodingDetector {

    static final int PREFIX_BYTES = 64 * 1024;
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** What the prefix says. */
    record Detected(Charset charset, int bomLength, char delimiter) {
    }

    private EncodingDetector() {
    }

    /** Reads the prefix and resets {@code in} to its start; {@code in} must support mark. */
    static Detected detect(BufferedInputStream in) throws IOException {
        in.mark(PREFIX_BYTES + 1);
        byte[] prefix = new byte[PREFIX_BYTES];
        int n = 0;
        while (n < prefix.length) {
            int r = in.read(prefix, n, prefix.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        boolean truncated = n == prefix.length && in.read() >= 0;
        in.reset();

        int bom = 0;
        if (n >= 3 && (prefix[0] & 0xff) == 0xEF && (prefix[1] & 0xff) == 0xBB && (prefix[2] & 0xff) == 0xBF) {
            bom = 3;
        } else if (n >= 2 && (((prefix[0] & 0xff) == 0xFF && (prefix[1] & 0xff) == 0xFE)
                || ((prefix[0] & 0xff) == 0xFE && (prefix[1] & 0xff) == 0xFF))) {
            throw new CallListRejectedException(RejectReason.ENCODING,
                    "the file is UTF-16; save it as UTF-8 (or Windows-1252)");
        }
        for (int i = bom; i < n; i++) {
            if (prefix[i] == 0) {
                throw new CallListRejectedException(RejectReason.ENCODING,
                        "the file contains NUL bytes: not a text file in UTF-8 or Windows-1252");
            }
        }
        Charset charset;
        if (bom == 3 || isUtf8(prefix, bom, n, truncated)) {
            charset = StandardCharsets.UTF_8;
        } else if (isPlausibleWindows1252(prefix, n)) {
            charset = WINDOWS_1252;
        } else {
            throw new CallListRejectedException(RejectReason.ENCODING,
                    "the file is neither valid UTF-8 nor plausible Windows-1252 text");
        }
        return new Detected(charset, bom, delimiter(prefix, bom, n));
    }

    /** Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
    static boolean isUtf8(byte[] b, int from, int to, boolean truncated) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + len > to) {
                // A sequence cut by the end of the prefix is fine; one cut by the end of the file is not.
                return truncated;
            }
            int cp = c & (0xFF >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += len;
        }
        return true;
    }

    static boolean isPlausibleWindows1252(byte[] b, int n) {
        int high = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
            if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D || c == 0x7F) {
                return false;
            }
            if (c >= 0x80) {
                high++;
            }
        }
        return high * 4 <= n;
    }

    /**
     * The most frequent of {@code ;}, tab and {@code ,} outside quotes in the first record; ties go in
     * that order, and {@code ;} when there is none (a one-column header then fails on missing columns).
     * The delimiters and the quote are ASCII, the same bytes in both encodings.
     */
    static char delimiter(byte[] b, int from, int n) {
        int semicolons = 0;
        int tabs = 0;
        int commas = 0;
        boolean quoted = false;
        for (int i = from; i < n; i++) {
            byte c = b[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == '\n' || c == '\r') {
                    break;
                } else if (c == ';') {
                    semicolons++;
                } else if (c == '\t') {
                    tabs++;
                } else if (c == ',') {
                    commas++;
                }
            }
        }
        if (semicolons >= tabs && semicolons >= commas) {
            return ';';
        }
        return tabs >= commas ? '\t' : ',';
    }
}
