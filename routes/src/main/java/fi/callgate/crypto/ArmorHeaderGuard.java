package fi.callgate.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds what BouncyCastle's {@code ArmoredInputStream} holds in memory: it collects the armor header lines
 * (from a line starting with {@code -} up to the first blank line) whole, so a header line that never ends, or
 * endless header lines, would be buffered without limit. This stream watches the same region and refuses the
 * upload once it exceeds {@link #MAX_HEADER_BYTES}. It counts conservatively (from every line starting with
 * {@code -} outside the header, the armor's end line included), never less than the armor reader holds. Base64
 * body lines are decoded as they stream and are not limited here.
 */
final class ArmorHeaderGuard extends FilterInputStream {
    /** Armor headers are a begin line and a few {@code Key: value} lines; 64 KiB is far beyond any real one. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final DecryptMeter meter;
    private boolean inHeader;
    private boolean lineStart = true;
    private boolean lineBlank = true;
    private boolean headerFirstLine;
    private int previous = -1;
    private long headerBytes;

    ArmorHeaderGuard(InputStream in, DecryptMeter meter) {
        super(in);
        this.meter = meter;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            see(c);
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        for (int i = 0; i < n; i++) {
            see(b[off + i] & 0xff);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return Math.max(0, read(new byte[(int) Math.min(Math.max(n, 1), 8192)])); // every byte is seen
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would show bytes twice; BouncyCastle buffers its look-ahead above this stream
    }

    private void see(int c) throws IOException {
        if (inHeader && ++headerBytes > MAX_HEADER_BYTES) {
            meter.trip(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message: armor header lines longer than "
                    + MAX_HEADER_BYTES + " bytes");
        }
        boolean lineBreak = c == '\r' || c == '\n';
        if (c == '\n' && previous == '\r') {
            previous = c; // the second half of CRLF ends nothing
            return;
        }
        previous = c;
        if (lineBreak) {
            if (inHeader && lineBlank && !headerFirstLine) {
                inHeader = false; // the blank line after the headers: base64 follows
            }
            headerFirstLine = false;
            lineStart = true;
            lineBlank = true;
            return;
        }
        if (lineStart && c == '-' && !inHeader) {
            inHeader = true;
            headerFirstLine = true;
            headerBytes = 1;
        }
        lineStart = false;
        if (c != ' ' && c != '\t') {
            lineBlank = false;
        }
    }
}
