package fi.callgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * The packet framing of one layer of an OpenPGP message (the upload, the decrypted data, the decompressed
 * data), read here before BouncyCastle sees any of it.
 *
 * <p>Why: BouncyCastle reads the whole body of most packet types into memory (unknown and experimental tags,
 * user ids, trust, padding, through {@code BCPGInputStream.readAll}) and parses the rest from whatever follows
 * the bytes it consumed, so one header declaring a gibibyte made the decrypt stage buffer a gibibyte (issue
 * #14). Here each packet's header is read first; the caller decides from the tag alone whether the packet may
 * be there at all, and then takes it either as a small packet ({@link #small}: fixed length, at most
 * {@link #MAX_SMALL_PACKET} bytes, read whole) or as a data packet ({@link #stream}: literal, compressed or
 * encrypted data, whose body streams). BouncyCastle is then given exactly one packet (or one run of small
 * packets) at a time, so its idea of where a packet ends can never drift from ours: a packet it reads short
 * cannot smuggle a header past this reader.
 */
final class PacketReader {
    /** Larger than any session key, one-pass signature or signature packet a real tool writes (a few KiB at most). */
    static final int MAX_SMALL_PACKET = 64 * 1024;

    private final InputStream in;
    private Body open;

    PacketReader(InputStream in) {
        this.in = in;
    }

    /** How the header states the body's length. */
    enum Length { FIXED, PARTIAL, TO_THE_END }

    /** A packet header: the tag, the header's own bytes, and the (first chunk's) body length. */
    record Header(int tag, byte[] bytes, Length kind, long length) {
        String name() {
            return PacketReader.name(tag);
        }
    }

    /**
     * The next packet's header, or null at the end of the layer. Whatever is left of the previous packet's body
     * is read past first (never held).
     */
    Header next() throws IOException {
        if (open != null) {
            open.drain();
            open = null;
        }
        int first = in.read();
        if (first < 0) {
            return null;
        }
        if ((first & 0x80) == 0) {
            throw new IOException(String.format("invalid packet header 0x%02X", first));
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream(6);
        header.write(first);
        if ((first & 0x40) != 0) { // new format
            long[] length = new long[1];
            boolean partial = newFormatLength(in, header, length);
            return new Header(first & 0x3f, header.toByteArray(), partial ? Length.PARTIAL : Length.FIXED, length[0]);
        }
        int tag = (first >> 2) & 0x0f;
        int octets = switch (first & 3) {
            case 0 -> 1;
            case 1 -> 2;
            case 2 -> 4;
            default -> 0;
        };
        if (octets == 0) {
            return new Header(tag, header.toByteArray(), Length.TO_THE_END, -1);
        }
        long length = 0;
        for (int i = 0; i < octets; i++) {
            length = length << 8 | readHeaderByte(in, header);
        }
        return new Header(tag, header.toByteArray(), Length.FIXED, length);
    }

    /**
     * A small packet whole, header and body, for BouncyCastle to parse; refused unless its length is fixed and
     * at most {@link #MAX_SMALL_PACKET}, before any of its body is read.
     */
    byte[] small(Header h) throws IOException {
        if (h.kind() != Length.FIXED) {
            throw DecryptRefusal.of(DecryptFailure.MALFORMED, "a " + h.name() + " packet with a "
                    + (h.kind() == Length.PARTIAL ? "partial" : "open-ended")
                    + " length; only literal, compressed and encrypted data may have one");
        }
        if (h.length() > MAX_SMALL_PACKET) {
            throw DecryptRefusal.of(DecryptFailure.MALFORMED, "a " + h.name() + " packet declaring " + h.length()
                    + " bytes; such packets are never larger than " + MAX_SMALL_PACKET + " bytes");
        }
        byte[] packet = new byte[h.bytes().length + (int) h.length()];
        System.arraycopy(h.bytes(), 0, packet, 0, h.bytes().length);
        int off = h.bytes().length;
        while (off < packet.length) {
            int n = in.read(packet, off, packet.length - off);
            if (n < 0) {
                throw new EOFException("premature end of a " + h.name() + " packet");
            }
            off += n;
        }
        return packet;
    }

    /** A data packet, header and body, as a stream that ends exactly where the packet ends. */
    InputStream stream(Header h) {
        open = new Body(h);
        return new SequenceInputStream(new ByteArrayInputStream(h.bytes()), open);
    }

    /** The RFC 9580 name of a packet tag, for refusal messages. */
    static String name(int tag) {
        return switch (tag) {
            case 1 -> "public-key session key";
            case 2 -> "signature";
            case 3 -> "passphrase session key";
            case 4 -> "one-pass signature";
            case 5 -> "secret key";
            case 6 -> "public key";
            case 7 -> "secret subkey";
            case 8 -> "compressed data";
            case 9 -> "legacy encrypted data";
            case 10 -> "marker";
            case 11 -> "literal data";
            case 12 -> "trust";
            case 13 -> "user id";
            case 14 -> "public subkey";
            case 17 -> "user attribute";
            case 18 -> "encrypted data";
            case 19 -> "modification detection code";
            case 20 -> "AEAD encrypted data";
            case 21 -> "padding";
            default -> "type " + tag;
        };
    }

    /** Reads a new-format length (RFC 9580 4.2.1) into {@code length}, copying its octets to {@code out}; true if partial. */
    private static boolean newFormatLength(InputStream in, ByteArrayOutputStream out, long[] length) throws IOException {
        int o1 = readHeaderByte(in, out);
        if (o1 < 192) {
            length[0] = o1;
        } else if (o1 < 224) {
            length[0] = ((long) (o1 - 192) << 8) + readHeaderByte(in, out) + 192;
        } else if (o1 == 255) {
            long n = 0;
            for (int i = 0; i < 4; i++) {
                n = n << 8 | readHeaderByte(in, out);
            }
            length[0] = n;
        } else {
            length[0] = 1L << (o1 & 0x1f);
            return true;
        }
        return false;
    }

    private static int readHeaderByte(InputStream in, ByteArrayOutputStream out) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("premature end of a packet header");
        }
        out.write(b);
        return b;
    }

    /**
     * One packet's body as it is on the wire (partial-length octets included, since BouncyCastle reads the
     * framing again), ending where the packet ends.
     */
    private final class Body extends InputStream {
        private final boolean toTheEnd;
        private long chunkLeft;
        private boolean partial;
        private byte[] lengthOctets = new byte[0];
        private int lengthPos;
        private boolean done;

        Body(Header h) {
            this.toTheEnd = h.kind() == Length.TO_THE_END;
            this.partial = h.kind() == Length.PARTIAL;
            this.chunkLeft = Math.max(h.length(), 0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!done) {
                if (toTheEnd) {
                    int n = in.read(b, off, len);
                    done = n < 0;
                    return n;
                }
                if (lengthPos < lengthOctets.length) {
                    int n = Math.min(len, lengthOctets.length - lengthPos);
                    System.arraycopy(lengthOctets, lengthPos, b, off, n);
                    lengthPos += n;
                    return n;
                }
                if (chunkLeft > 0) {
                    int n = in.read(b, off, (int) Math.min(len, chunkLeft));
                    if (n < 0) {
                        throw new EOFException("premature end of a packet body");
                    }
                    chunkLeft -= n;
                    return n;
                }
                if (!partial) {
                    done = true;
                    break;
                }
                ByteArrayOutputStream octets = new ByteArrayOutputStream(5);
                long[] length = new long[1];
                partial = newFormatLength(in, octets, length);
                chunkLeft = length[0];
                lengthOctets = octets.toByteArray();
                lengthPos = 0;
            }
            return -1;
        }

        void drain() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // read past, never held
            }
        }
    }
}
