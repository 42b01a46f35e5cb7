package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumber;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes ("blind indexes") that let the block list and data-subject requests find records by phone,
 * email or name + postal code without decrypting every record.
 *
 * <p>Each value is {@code HMAC-SHA256(masterKey.derive("blind-index"), kind || 0x00 || normalised value)}
 * truncated to 16 bytes. The kind label keeps an email from matching a name that happens to be the same
 * text; 128 bits make accidental collisions negligible even over billions of rows. The key is global, not
 * per campaign, so one lookup spans every campaign (a DSAR must find a person everywhere).
 *
 * <p>What this leaks, deliberately: the hashes are deterministic, so whoever can read the table sees which
 * records share a phone, email or name (equality, across campaigns) and how often a value occurs. It does
 * not reveal the values: without the master key nobody can compute a hash to test a guess, which is what
 * would otherwise make hashing a phone number (a small space) useless. Someone holding the master key
 * <em>and</em> a copy of the database can test guesses — also in a copy taken before a campaign was
 * crypto-shredded, where the index columns survive although the payloads are unreadable; so the shredder
 * deletes the rows too, and backups should expire with the data.
 *
 * <p>Speed at ingest (three or four hashes per stored record): each thread keeps one initialised
 * {@link Mac} per {@code BlindIndex}, which {@code doFinal} leaves ready for the next value under the
 * same key (≈ 1.5–5.8 µs with {@code getInstance} + {@code init} per value → ≈ 0.6 µs here). The cache
 * belongs to this object and so to its one derived key: a {@code BlindIndex} for another master key
 * (a test, a restored backup) has its own {@code Mac}s and can never hash with the wrong key. Thread-safe.
 */
public final class BlindIndex {
    static final int BYTES = 16;
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final byte[] PHONE = label("phone");
    private static final byte[] EMAIL = label("email");
    private static final byte[] NAME_POSTAL = label("name-postal");
    private static final byte[] NAME = label("name");
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public BlindIndex(MasterKey masterKey) {
        byte[] raw = masterKey.derive("blind-index");
        this.key = new SecretKeySpec(raw, "HmacSHA256");
        Arrays.fill(raw, (byte) 0);
    }

    /** The phone as E.164: every Finnish notation was already normalised to it by {@code PhoneNumberNormaliser}. */
    public byte[] phone(PhoneNumber phone) {
        return hash(PHONE, phone.e164());
    }

    /** Email trimmed and lower-cased (the whole address: the local part is in practice case-insensitive). */
    public byte[] email(String email) {
        return hash(EMAIL, normaliseEmail(email));
    }

    /** "first last|postal": the DSAR "name with address" key. */
    public byte[] namePostal(String firstName, String lastName, String postalCode) {
        return namePostal(normaliseName(firstName, lastName), postalCode);
    }

    /** "first last" alone: never enough to identify a person, only to check a name matches. */
    public byte[] name(String firstName, String lastName) {
        return hash(NAME, normaliseName(firstName, lastName));
    }

    private byte[] namePostal(String normalisedName, String postalCode) {
        return hash(NAME_POSTAL, normalisedName + "|" + normaliseText(postalCode));
    }

    /** The indexes of one record; email and name+postal only when those fields are present. */
    public Entries of(CallRecord r) {
        String name = normaliseName(r.firstName(), r.lastName());
        return new Entries(phone(r.phone()),
                r.email().filter(e -> !e.isBlank()).map(this::email),
                r.postalCode().filter(p -> !p.isBlank()).map(p -> namePostal(name, p)),
                hash(NAME, name));
    }

    public record Entries(byte[] phone, Optional<byte[]> email, Optional<byte[]> namePostal, byte[] name) {
    }

    static String normaliseEmail(String email) {
        if (isSettled(email, false)) {
            return email.toLowerCase(Locale.ROOT);
        }
        return Normalizer.normalize(email.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    static String normaliseName(String first, String last) {
        return normaliseText(first + " " + last);
    }

    /** NFC (so "ä" typed as a + combining diaeresis matches), lower case, runs of white space as one space. */
    static String normaliseText(String s) {
        if (isSettled(s, true)) {
            return s.toLowerCase(Locale.ROOT);
        }
        String nfc = Normalizer.normalize(s, Normalizer.Form.NFC);
        return SPACES.matcher(nfc.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    /**
     * True when NFC, strip and the space rule would leave {@code s} as it is, so that only lower-casing
     * remains (the usual name, postal code and address; the full path costs several µs a record).
     * Every character below U+0300 is its own NFC form, and no combining mark can follow since none is
     * below U+0300; U+0021–U+007E and U+00A1–U+02FF hold no white space in the sense of either
     * {@code strip} or {@code \s}; a single inner space (if allowed) is already what the rule makes.
     */
    private static boolean isSettled(String s, boolean singleInnerSpaces) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ' ' && singleInnerSpaces && i > 0 && i < n - 1 && s.charAt(i + 1) != ' ') {
                continue;
            }
            if (c < 0x21 || c > 0x7e && c < 0xa1 || c >= 0x300) {
                return false;
            }
        }
        return true;
    }

    /** {@code HMAC(key, label || 0x00 || UTF-8 value)}, the first 16 bytes. */
    private byte[] hash(byte[] labelAndSeparator, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8); // before touching the Mac: nothing half-fed
        Mac mac = macs.get();
        mac.update(labelAndSeparator);
        return Arrays.copyOf(mac.doFinal(utf8), BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] label(String kind) {
        byte[] ascii = kind.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(ascii, ascii.length + 1);
    }
}
