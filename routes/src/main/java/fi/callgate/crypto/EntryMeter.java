package fi.callgate.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The {@link DecryptLimits} applied to an archive entry as it streams: plaintext size, expansion against
 * the archive's own size (an archive bomb expands thousands of times; CSV 5-15), and time. It also tells
 * a limit hit or a read error of the archive apart from the sink's own failures, whatever the sink does
 * with the exception on its way out.
 */
final class EntryMeter {
    private final DecryptLimits limits;
    private final long archiveBytes;
    private final long deadlineNanos;
    long count;

    EntryMeter(DecryptLimits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = Math.max(archiveBytes, 1);
        this.deadlineNanos = System.nanoTime() + limits.maxDuration().toNanos();
    }

    /** A limit hit; carries the reason out of the sink's reads. */
    static final class Tripped extends IOException {
        final ArchiveFailure failure;

        Tripped(ArchiveFailure failure, String detail) {
            super(detail);
            this.failure = failure;
        }
    }

    /** The size the archive declares, refused before reading when it is already over a limit. */
    void declared(long size) throws ArchiveDecryptException {
        try {
            check(size);
        } catch (Tripped t) {
            throw new ArchiveDecryptException(t.failure, t.getMessage());
        }
    }

    private void check(long expanded) throws Tripped {
        if (expanded > limits.maxPlaintextBytes()) {
            throw new Tripped(ArchiveFailure.TOO_LARGE, "over " + limits.maxPlaintextBytes() + " bytes");
        }
        if (expanded > limits.ratioGraceBytes() && expanded > limits.maxCompressionRatio() * archiveBytes) {
            throw new Tripped(ArchiveFailure.COMPRESSION_RATIO, expanded + " bytes from a " + archiveBytes
                    + "-byte archive, ratio over " + limits.maxCompressionRatio());
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new Tripped(ArchiveFailure.TIMEOUT, "over " + limits.maxDuration());
        }
    }

    Metered wrap(InputStream in) {
        return new Metered(in);
    }

    /** Counts what the entry yields; remembers the first limit hit and the first read error of the archive. */
    final class Metered extends FilterInputStream {
        ArchiveDecryptException tripped;
        IOException readError;

        Metered(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (tripped != null) {
                throw new Tripped(tripped.failure(), tripped.getMessage());
            }
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                if (readError == null) {
                    readError = e instanceof IOException io ? io : new IOException(e);
                }
                throw readError;
            }
            if (n > 0) {
                count += n;
                try {
                    check(count);
                } catch (Tripped t) {
                    tripped = new ArchiveDecryptException(t.failure, t.getMessage());
                    throw t;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
        }
    }
}
