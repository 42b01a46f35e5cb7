package fi.callgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * Packets that declare (and really carry) huge bodies, produced lazily so that a test can hand a decryptor
 * gigabytes of input without holding or even generating them unless the decryptor reads that far. Shared
 * by the bounded-packet tests and the fuzz target.
 */
public final class HugePackets {
    private HugePackets() {
    }

    /** How a packet states its length. Old-format headers exist only for tags 0 to 15. */
    public enum Encoding {
        NEW_FIVE_OCTET, NEW_PARTIAL, OLD_FOUR_OCTET, OLD_INDETERMINATE;

        public boolean fits(int tag) {
            return this == NEW_FIVE_OCTET || this == NEW_PARTIAL || tag < 16;
        }
    }

    /** Where in a message the packet sits. */
    public enum Layer {
        /** the first packet of the upload */
        FIRST,
        /** after a genuine session key packet for the gateway */
        AFTER_SESSION_KEY,
        /** after a complete, valid message */
        TRAILING,
        /** the first packet inside the encrypted data */
        INSIDE_ENCRYPTION,
        /** the first packet inside compressed data inside the encrypted data */
        INSIDE_COMPRESSION
    }

    /** The header of a packet with tag {@code tag} and {@code length} body bytes (partial: one chunk of 2^30, then the rest). */
    public static byte[] header(int tag, Encoding encoding, long length) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        switch (encoding) {
            case NEW_FIVE_OCTET -> {
                h.write(0xC0 | tag);
                h.write(0xFF);
                writeInt(h, length);
            }
            case NEW_PARTIAL -> {
                h.write(0xC0 | tag);
                h.write(0xE0 | 30); // a first chunk of 2^30 bytes
            }
            case OLD_FOUR_OCTET -> {
                h.write(0x80 | tag << 2 | 2);
                writeInt(h, length);
            }
            case OLD_INDETERMINATE -> h.write(0x80 | tag << 2 | 3);
        }
        return h.toByteArray();
    }

    /** Header and {@code length} body bytes (zeros), generated as read; partial bodies end with a final chunk. */
    public static InputStream packet(int tag, Encoding encoding, long length) {
        if (encoding == Encoding.NEW_PARTIAL) {
            long rest = Math.max(0, length - (1L << 30));
            byte[] last = rest < 192 ? new byte[] {(byte) rest} : fiveOctet(rest);
            return concat(new java.io.ByteArrayInputStream(header(tag, encoding, length)), zeros(1L << 30),
                    new java.io.ByteArrayInputStream(last), zeros(rest));
        }
        return concat(new java.io.ByteArrayInputStream(header(tag, encoding, length)), zeros(length));
    }

    /**
     * The whole upload: the huge packet placed in {@code layer} of a message to {@code gateway}. Inner layers are
     * encrypted (and compressed, stored) as they are read.
     */
    public static InputStream message(GatewayKey gateway, Layer layer, int tag, Encoding encoding, long length)
            throws Exception {
        return switch (layer) {
            case FIRST -> packet(tag, encoding, length);
            case AFTER_SESSION_KEY -> concat(new java.io.ByteArrayInputStream(sessionKeyPacket(gateway)),
                    packet(tag, encoding, length));
            case TRAILING -> concat(new java.io.ByteArrayInputStream(Crafted.encryptToGateway(gateway,
                    "a;b\n".getBytes(), true, 0)), packet(tag, encoding, length));
            case INSIDE_ENCRYPTION -> new LazilyEncrypted(gateway, packet(tag, encoding, length), false);
            case INSIDE_COMPRESSION -> new LazilyEncrypted(gateway, packet(tag, encoding, length), true);
        };
    }

    /** A genuine public-key session key packet for the gateway key, cut from a small message. */
    static byte[] sessionKeyPacket(GatewayKey gateway) throws IOException, PGPException {
        byte[] msg;
        try {
            msg = Crafted.encryptToGateway(gateway, new byte[] {1}, true, 0);
        } catch (Exception e) {
            throw new IOException(e);
        }
        int hdr = msg[0] & 0xff;
        int len;
        int start;
        if ((hdr & 0x40) != 0) { // BC writes new-format headers
            int o1 = msg[1] & 0xff;
            if (o1 < 192) {
                len = o1;
                start = 2;
            } else {
                len = ((o1 - 192) << 8) + (msg[2] & 0xff) + 192;
                start = 3;
            }
        } else {
            len = hdr % 4 == 0 ? msg[1] & 0xff : ((msg[1] & 0xff) << 8) | (msg[2] & 0xff);
            start = hdr % 4 == 0 ? 2 : 3;
        }
        return Arrays.copyOf(msg, start + len);
    }

    /**
     * One real decryption, so that the providers' one-time set-up (tens of MB of class loading and tables) is
     * not counted against whichever case happens to run first.
     */
    public static void warmUp(GatewayKey gateway) throws Exception {
        new PgpDecryptor().decrypt(new java.io.ByteArrayInputStream(Crafted.encryptToGateway(gateway,
                "a;b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), true, 1)), gateway,
                java.util.Optional.empty(), DecryptLimits.defaults(),
                (plaintext, name) -> plaintext.transferTo(OutputStream.nullOutputStream()));
    }

    /** Bytes allocated by the current thread so far (HotSpot's per-thread counter). */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** {@code n} bytes of seeded noise, generated as read. */
    public static InputStream random(long seed, long n) {
        Random rnd = new Random(seed);
        return new Generated(n) {
            @Override
            void fill(byte[] b, int off, int len) {
                byte[] tmp = len == scratch.length ? scratch : new byte[len];
                rnd.nextBytes(tmp);
                System.arraycopy(tmp, 0, b, off, len);
            }
        };
    }

    public static InputStream zeros(long n) {
        return new Generated(n) {
            @Override
            void fill(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 0);
            }
        };
    }

    static InputStream concat(InputStream... parts) {
        InputStream s = parts[0];
        for (int i = 1; i < parts.length; i++) {
            s = new SequenceInputStream(s, parts[i]);
        }
        return s;
    }

    private static byte[] fiveOctet(long n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xFF);
        writeInt(b, n);
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    /** A stream of a given length whose content is produced on demand. */
    private abstract static class Generated extends InputStream {
        final byte[] scratch = new byte[64 * 1024];
        private long left;

        Generated(long n) {
            this.left = n;
        }

        abstract void fill(byte[] b, int off, int len);

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            fill(b, off, n);
            left -= n;
            return n;
        }
    }

    /**
     * An OpenPGP message to the gateway whose literal content is {@code content}: encrypted (optionally after a
     * stored compression layer) chunk by chunk as the reader asks for more.
     */
    private static final class LazilyEncrypted extends InputStream {
        private final InputStream content;
        private final Buffer out = new Buffer();
        private final OutputStream encrypted;
        private final OutputStream compressed;
        private final byte[] chunk = new byte[64 * 1024];
        private boolean done;

        LazilyEncrypted(GatewayKey gateway, InputStream content, boolean compress) throws IOException, PGPException {
            this.content = content;
            PGPEncryptedDataGenerator enc = new PGPEncryptedDataGenerator(new BcPGPDataEncryptorBuilder(
                    SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(new SecureRandom()));
            enc.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(gateway.encryptionKey()));
            this.encrypted = enc.open(out, new byte[1 << 16]);
            this.compressed = compress
                    ? new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB, 0).open(encrypted, new byte[1 << 16])
                    : null;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (out.available() == 0 && !done) {
                OutputStream target = compressed != null ? compressed : encrypted;
                int n = content.read(chunk);
                if (n < 0) {
                    if (compressed != null) {
                        compressed.close();
                    }
                    encrypted.close();
                    done = true;
                } else {
                    target.write(chunk, 0, n);
                }
            }
            return out.take(b, off, len);
        }

        /** The ciphertext produced but not yet read. */
        private static final class Buffer extends ByteArrayOutputStream {
            private int pos;

            int available() {
                return count - pos;
            }

            int take(byte[] b, int off, int len) {
                if (available() == 0) {
                    return -1;
                }
                int n = Math.min(len, available());
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                if (pos == count) {
                    reset();
                    pos = 0;
                }
                return n;
            }
        }
    }
}
