package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumber;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns a {@link CallRecord} into one sealed payload and back.
 *
 * <p>Plaintext format (explicit, never Java serialization, which would execute class logic on read):
 * <pre>
 *   version      byte   = 1
 *   presence     byte   bit 0 email, 1 street, 2 postal code, 3 city, 4 personal id
 *   first name, last name, phone (E.164), source, then each present optional field in bit order:
 *                int32 length + UTF-8 bytes
 * </pre>
 * The row number is not inside: it is a column (reports need it without decrypting) and is passed back in.
 *
 * <p>The AAD binds the ciphertext to its place: {@code "callgate:record:v1" || len(campaign) || campaign
 * || len(recordId) || recordId}. A payload copied into another row or another campaign fails to decrypt,
 * so nobody with write access to the table can make the dialer call a number under someone else's record id.
 */
public final class RecordCipher {
    private static final byte FORMAT = 1;
    private static final byte[] AAD_LABEL = "callgate:record:v1".getBytes(StandardCharsets.US_ASCII);
    /** Generous: a field is at most a few thousand characters (CallListPolicy); this only stops garbage. */
    private static final int MAX_FIELD_BYTES = 1 << 20;

    private RecordCipher() {
    }

    public static byte[] seal(DataKey key, String campaign, String recordId, CallRecord r) {
        byte[] plain = serialise(r);
        try {
            return key.seal(plain, aad(campaign, recordId));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @throws DataKey.UndecryptableException if the payload was not sealed for this campaign and record id */
    public static CallRecord open(DataKey key, String campaign, String recordId, long rowNumber, byte[] payload) {
        byte[] plain = key.open(payload, aad(campaign, recordId));
        try {
            return deserialise(rowNumber, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    static byte[] aad(String campaign, String recordId) {
        Fields f = new Fields(2);
        f.add(campaign);
        f.add(recordId);
        byte[] out = new byte[AAD_LABEL.length + f.bytes()];
        System.arraycopy(AAD_LABEL, 0, out, 0, AAD_LABEL.length);
        f.writeTo(out, AAD_LABEL.length);
        return out;
    }

    /** Builds the plaintext in one exact-size array (no stream wrappers: this runs once per stored row). */
    static byte[] serialise(CallRecord r) {
        int presence = (r.email().isPresent() ? 1 : 0)
                | (r.street().isPresent() ? 2 : 0)
                | (r.postalCode().isPresent() ? 4 : 0)
                | (r.city().isPresent() ? 8 : 0)
                | (r.personalId().isPresent() ? 16 : 0);
        Fields f = new Fields(9);
        f.add(r.firstName());
        f.add(r.lastName());
        f.add(r.phone().e164());
        f.add(r.source());
        r.email().ifPresent(f::add);
        r.street().ifPresent(f::add);
        r.postalCode().ifPresent(f::add);
        r.city().ifPresent(f::add);
        r.personalId().ifPresent(p -> f.add(p.value()));
        byte[] out = new byte[2 + f.bytes()];
        out[0] = FORMAT;
        out[1] = (byte) presence;
        f.writeTo(out, 2);
        f.wipe();
        return out;
    }

    /** Strings as {@code int32 length (big-endian) || UTF-8}, the layout {@code DataOutputStream} wrote. */
    private static final class Fields {
        private final byte[][] utf8;
        private int count;
        private int bytes;

        Fields(int max) {
            utf8 = new byte[max][];
        }

        void add(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            utf8[count++] = b;
            bytes += 4 + b.length;
        }

        int bytes() {
            return bytes;
        }

        void writeTo(byte[] out, int at) {
            for (int i = 0; i < count; i++) {
                byte[] b = utf8[i];
                out[at] = (byte) (b.length >>> 24);
                out[at + 1] = (byte) (b.length >>> 16);
                out[at + 2] = (byte) (b.length >>> 8);
                out[at + 3] = (byte) b.length;
                System.arraycopy(b, 0, out, at + 4, b.length);
                at += 4 + b.length;
            }
        }

        void wipe() {
            for (int i = 0; i < count; i++) {
                Arrays.fill(utf8[i], (byte) 0);
            }
        }
    }

    static CallRecord deserialise(long rowNumber, byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new StoreException("unknown record format " + format);
            }
            int presence = in.readUnsignedByte();
            if ((presence & ~31) != 0) {
                throw new StoreException("damaged record: unknown fields");
            }
            String first = readString(in);
            String last = readString(in);
            PhoneNumber phone = new PhoneNumber(readString(in));
            String source = readString(in);
            Optional<String> email = (presence & 1) != 0 ? Optional.of(readString(in)) : Optional.empty();
            Optional<String> street = (presence & 2) != 0 ? Optional.of(readString(in)) : Optional.empty();
            Optional<String> postal = (presence & 4) != 0 ? Optional.of(readString(in)) : Optional.empty();
            Optional<String> city = (presence & 8) != 0 ? Optional.of(readString(in)) : Optional.empty();
            Optional<PersonalIdCode> pid = (presence & 16) != 0
                    ? Optional.of(PersonalIdCode.parse(readString(in))) : Optional.empty();
            if (in.read() != -1) {
                throw new StoreException("damaged record: trailing bytes");
            }
            return new CallRecord(rowNumber, first, last, phone, email, street, postal, city, source, pid);
        } catch (EOFException e) {
            throw new StoreException("damaged record: truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("damaged record: " + e.getMessage(), e);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FIELD_BYTES || n > in.available()) {
            throw new StoreException("damaged record: bad field length");
        }
        byte[] b = in.readNBytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new StoreException("damaged record: invalid UTF-8", e);
        }
    }
}
