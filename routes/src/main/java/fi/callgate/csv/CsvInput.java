package fi.callgate.csv;

import fi.callgate.domain.RejectReason;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The one way Callgate reads a CSV file someone gave it — call lists and results files alike (CONTRACT §4):
 * encoding detected (UTF-8, a UTF-8 BOM skipped, Windows-1252 when the bytes are not UTF-8 and look like
 * text; anything else refused), delimiter {@code ;}, {@code ,} or tab detected from the header line, and the
 * {@link CsvLimits} enforced on the bytes and on the characters before the parser buffers them. Streams:
 * one record at a time, never the file.
 *
 * <p>A refused file surfaces as an {@link IOException} for which {@link #refusal(IOException)} gives the
 * {@link FileRejection}; any other {@link IOException} is the underlying stream's own failure (a decryption
 * that broke, a disk error), passed on unchanged so it is never mistaken for bad content.
 */
public final class CsvInput implements Closeable {
    private final Charset charset;
    private final char delimiter;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;

    private CsvInput(Charset charset, char delimiter, CSVParser parser) {
        this.charset = charset;
        this.delimiter = delimiter;
        this.parser = parser;
        this.records = parser.iterator();
    }

    /** Detects the encoding and delimiter from the first 64 KiB; the stream is read on from there. */
    public static CsvInput open(InputStream raw, CsvLimits limits) throws IOException {
        try {
            BufferedInputStream in = new BufferedInputStream(new GuardedStream(raw, limits.maxFileBytes()),
                    EncodingDetector.PREFIX_BYTES + 1);
            EncodingDetector.Detected detected = EncodingDetector.detect(in);
            long skipped = in.skip(detected.bomLength());
            assert skipped == detected.bomLength();
            var decoder = detected.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            var reader = new BoundedCsvReader(new InputStreamReader(in, decoder), detected.delimiter(), limits);
            CSVFormat format = CSVFormat.Builder.create().setDelimiter(detected.delimiter()).setQuote('"')
                    .setIgnoreEmptyLines(true).setRecordSeparator("\r\n").get();
            return new CsvInput(detected.charset(), detected.delimiter(), CSVParser.parse(reader, format));
        } catch (SourceFailure e) {
            throw e.source();
        }
    }

    public Charset charset() {
        return charset;
    }

    public char delimiter() {
        return delimiter;
    }

    /**
     * The next record (numbered as commons-csv numbers them: the header is 1, empty lines do not count), or
     * empty at the end of the file.
     */
    public Optional<CSVRecord> next() throws IOException {
        try {
            return records.hasNext() ? Optional.of(records.next()) : Optional.empty();
        } catch (UncheckedIOException e) {
            // commons-csv wraps reader failures: unwrap ours, classify the rest.
            IOException cause = e.getCause();
            if (cause instanceof SourceFailure source) {
                throw source.source();
            }
            if (cause instanceof CallListRejectedException) {
                throw cause;
            }
            if (cause instanceof CharacterCodingException) {
                throw new CallListRejectedException(RejectReason.ENCODING,
                        "the file is not valid text in its detected encoding past its first 64 KiB");
            }
            throw new CallListRejectedException(RejectReason.MALFORMED_CSV,
                    "malformed CSV (unbalanced quotes or text after a closing quote)");
        } catch (IllegalStateException e) {
            throw new CallListRejectedException(RejectReason.MALFORMED_CSV,
                    "malformed CSV (unbalanced quotes or text after a closing quote)");
        }
    }

    /** The refusal an exception of this class stands for; empty for a failure of the stream itself. */
    public static Optional<FileRejection> refusal(IOException e) {
        return e instanceof CallListRejectedException r ? Optional.of(r.rejection()) : Optional.empty();
    }

    /** A refusal's reason as a short lower-case code, for reports and the upload row. */
    public static String code(FileRejection rejection) {
        return rejection.reason().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * Counts bytes against the size cap and marks failures of the underlying stream, so that they are
     * rethrown to the caller instead of being mistaken for malformed content.
     */
    private static final class GuardedStream extends FilterInputStream {
        private final long max;
        private long count;

        GuardedStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(buf, off, len);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws CallListRejectedException {
            count += n;
            if (count > max) {
                throw new CallListRejectedException(RejectReason.FILE_TOO_LARGE,
                        "the file is larger than " + max + " bytes");
            }
        }
    }

    private static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException source() {
            return (IOException) getCause();
        }
    }
}
