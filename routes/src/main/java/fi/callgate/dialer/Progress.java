package fi.callgate.dialer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes a transfer has taken from the file: its progress, as the push watchdog reads it. */
final class Progress extends FilterInputStream {
    private final AtomicLong bytes = new AtomicLong();

    Progress(InputStream in) {
        super(in);
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bytes.incrementAndGet();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            bytes.addAndGet(n);
        }
        return n;
    }
}
