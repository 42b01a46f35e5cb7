package fi.callgate.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The counters and limits of one decryption, shared by the stream wrappers around BouncyCastle; remembers the
 * first limit hit, so the real reason is reported even when some stream code swallows the exception.
 */
final class DecryptMeter {
    final DecryptLimits limits;
    final long deadlineNanos;
    long ciphertext;
    long expanded;
    long plaintext;
    boolean rawEof;
    PgpDecryptException tripped;

    DecryptMeter(DecryptLimits limits) {
        this.limits = limits;
        this.deadlineNanos = System.nanoTime() + limits.maxDuration().toNanos();
    }

    void checkTime() throws LimitIOException {
        if (System.nanoTime() - deadlineNanos > 0) {
            trip(DecryptFailure.TIMEOUT, "decryption took longer than " + limits.maxDuration());
        }
    }

    void addExpanded(long n) throws LimitIOException {
        expanded += n;
        if (expanded > limits.maxPlaintextBytes() + (1 << 20)) {
            trip(DecryptFailure.TOO_LARGE, "decompressed data exceeds " + limits.maxPlaintextBytes() + " bytes");
        }
        if (expanded > limits.ratioGraceBytes() && expanded > limits.maxCompressionRatio() * Math.max(ciphertext, 1)) {
            trip(DecryptFailure.COMPRESSION_RATIO, "decompressed " + expanded + " bytes from " + ciphertext
                    + " bytes of input, ratio over " + limits.maxCompressionRatio());
        }
    }

    void addPlaintext(long n) throws LimitIOException {
        plaintext += n;
        if (plaintext > limits.maxPlaintextBytes()) {
            trip(DecryptFailure.TOO_LARGE, "plaintext exceeds " + limits.maxPlaintextBytes() + " bytes");
        }
    }

    void trip(DecryptFailure f, String message) throws LimitIOException {
        if (tripped == null) {
            tripped = new PgpDecryptException(f, message);
        }
        throw new LimitIOException(tripped);
    }

    /** IOException raised inside streams when a limit trips or a packet is refused; carries the reason out of BC's reads. */
    static final class LimitIOException extends IOException {
        final PgpDecryptException exception;

        LimitIOException(PgpDecryptException e) {
            super(e.getMessage());
            this.exception = e;
        }
    }

    /** Counts ciphertext bytes (for the ratio) and notices the end of input (for TRUNCATED). */
    static final class CountingInput extends FilterInputStream {
        private final DecryptMeter meter;

        CountingInput(InputStream in, DecryptMeter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            meter.checkTime();
            int b = super.read();
            if (b < 0) {
                meter.rawEof = true;
            } else {
                meter.ciphertext++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            meter.checkTime();
            int n = super.read(b, off, len);
            if (n < 0) {
                meter.rawEof = true;
            } else {
                meter.ciphertext += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return Math.max(0, read(new byte[(int) Math.min(Math.max(n, 1), 8192)])); // never skip past the meter
        }

        @Override
        public boolean markSupported() {
            return false; // the decryptor buffers (and marks) above this stream itself
        }
    }

    /** Counts decompressed bytes: the size/ratio guard against zip bombs, before BC parses them. */
    static final class ExpandedInput extends FilterInputStream {
        private final DecryptMeter meter;

        ExpandedInput(InputStream in, DecryptMeter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                meter.addExpanded(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                meter.addExpanded(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return Math.max(0, read(new byte[(int) Math.min(Math.max(n, 1), 8192)])); // never skip past the meter
        }
    }
}
