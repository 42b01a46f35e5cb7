package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumber;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write("callgate:record:v1".getBytes(StandardCharsets.US_ASCII));
            writeString(out, campaign);
            writeString(out, recordId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    static byte[] serialise(CallRecord r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(FORMAT);
            int presence = (r.email().isPresent() ? 1 : 0)
                    | (r.street().isPresent() ? 2 : 0)
                    | (r.postalCode().isPresent() ? 4 : 0)
                    | (r.city().isPresent() ? 8 : 0)
                    | (r.personalId().isPresent() ? 16 : 0);
            out.writeByte(presence);
            writeString(out, r.firstName());
            writeString(out, r.lastName());
            writeString(out, r.phone().e164());
            writeString(out, r.source());
            if (r.email().isPresent()) {
                writeString(out, r.email().get());
            }
            if (r.street().isPresent()) {
                writeString(out, r.street().get());
            }
            if (r.postalCode().isPresent()) {
                writeString(out, r.postalCode().get());
            }
            if (r.city().isPresent()) {
                writeString(out, r.city().get());
            }
            if (r.personalId().isPresent()) {
                writeString(out, r.personalId().get().value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
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

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
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
