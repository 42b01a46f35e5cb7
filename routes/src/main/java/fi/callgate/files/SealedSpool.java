package fi.callgate.files;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plaintext between pipeline stages, sealed under the campaign's data key so that it never rests on disk
 * unencrypted and dies with the key. The stream is cut into 64 KiB segments, each sealed with AES-GCM and
 * bound (as associated data) to the file's context, its index and whether it is the last: a segment
 * cannot be moved, dropped, repeated or the file truncated without the read failing. Neither side ever
 * holds more than one segment.
 */
public final class SealedSpool {
    static final int SEGMENT = 64 * 1024;

    private SealedSpool() {
    }

    public static OutputStream writer(Path file, SealingKey key, String context) throws IOException {
        return new Writer(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 17)),
                key, context);
    }

    public static InputStream reader(Path file, SealingKey key, String context) throws IOException {
        return new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 17)),
                key, context);
    }

    static byte[] aad(String context, long index, boolean last) {
        byte[] ctx = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(ctx.length + 9).put(ctx).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    private static final class Writer extends OutputStream {
        private final DataOutputStream out;
        private final SealingKey key;
        private final String context;
        private final byte[] buffer = new byte[SEGMENT];
        private int filled;
        private long index;
        private boolean closed;

        Writer(DataOutputStream out, SealingKey key, String context) {
            this.out = out;
            this.key = key;
            this.context = context;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    flushSegment(false);
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void flushSegment(boolean last) throws IOException {
            byte[] plain = java.util.Arrays.copyOf(buffer, filled);
            byte[] sealed = key.seal(plain, aad(context, index++, last));
            java.util.Arrays.fill(plain, (byte) 0);
            out.writeInt(sealed.length);
            out.write(sealed);
            filled = 0;
        }

        /** Seals the last segment (possibly empty) and syncs the file. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            flushSegment(true);
            java.util.Arrays.fill(buffer, (byte) 0);
            out.close();
        }
    }

    private static final class Reader extends InputStream {
        private final DataInputStream in;
        private final SealingKey key;
        private final String context;
        private byte[] segment = new byte[0];
        private int pos;
        private long index;
        private boolean sawLast;

        Reader(DataInputStream in, SealingKey key, String context) {
            this.in = in;
            this.key = key;
            this.context = context;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == segment.length) {
                if (sawLast) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, segment.length - pos);
            System.arraycopy(segment, pos, b, off, n);
            pos += n;
            return n;
        }

        private void next() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("sealed spool file is truncated");
            }
            if (length < 0 || length > SEGMENT + 64) {
                throw new IOException("sealed spool file is corrupt");
            }
            byte[] sealed = in.readNBytes(length);
            if (sealed.length != length) {
                throw new IOException("sealed spool file is truncated");
            }
            try {
                segment = key.open(sealed, aad(context, index, false));
            } catch (RuntimeException notMiddle) {
                try {
                    segment = key.open(sealed, aad(context, index, true));
                    sawLast = true;
                } catch (RuntimeException e) {
                    throw new IOException("sealed spool file failed authentication", e);
                }
            }
            index++;
            pos = 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
