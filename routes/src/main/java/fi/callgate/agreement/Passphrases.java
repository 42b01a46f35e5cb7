package fi.callgate.agreement;

import fi.callgate.store.MasterKey;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The aes-zip passphrases agreed with each party: generated or given, sealed (AES-256-GCM under a key
 * derived from the master key, bound to the campaign and party so a sealed value cannot be moved to another
 * party), and opened only for the moment an archive is read or written. Never logged, never printed again.
 */
public final class Passphrases {
    /** Below this a human-chosen passphrase is refused: 7-Zip's AES key derivation cannot save a short one. */
    public static final int MIN_LENGTH = 20;
    /** 32 symbols without look-alikes (no 0/O, 1/I/L): 5 bits each. */
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789a".toCharArray();
    /** 28 symbols x 5 bits = 140 bits of entropy, shown in groups of four. */
    private static final int GENERATED_SYMBOLS = 28;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AgreementStore store;
    private final SecretKeySpec key;

    public Passphrases(AgreementStore store, MasterKey masterKey) {
        this.store = store;
        this.key = new SecretKeySpec(masterKey.derive("party-passphrase"), "AES");
    }

    /** A fresh passphrase of 140 random bits, e.g. {@code Kx7m-…}, set for the party; returned to print once. */
    public char[] generate(Party party) {
        char[] out = new char[GENERATED_SYMBOLS + GENERATED_SYMBOLS / 4 - 1];
        int o = 0;
        for (int i = 0; i < GENERATED_SYMBOLS; i++) {
            if (i > 0 && i % 4 == 0) {
                out[o++] = '-';
            }
            out[o++] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        set(party, out);
        return out;
    }

    /** Sets a passphrase chosen by the parties; refused when shorter than {@link #MIN_LENGTH} characters. */
    public void set(Party party, char[] passphrase) {
        if (passphrase.length < MIN_LENGTH) {
            throw new IllegalArgumentException("a passphrase needs at least " + MIN_LENGTH + " characters");
        }
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] plain = new byte[utf8.remaining()];
        utf8.get(plain);
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(party));
            byte[] sealed = c.doFinal(plain);
            store.setPassphraseSealed(party, ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (utf8.hasArray()) {
                Arrays.fill(utf8.array(), (byte) 0);
            }
        }
    }

    /** The party's passphrase; the caller wipes the array after use. */
    public Optional<char[]> of(Party party) {
        return store.passphraseSealed(party).map(sealed -> {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
                c.updateAAD(aad(party));
                byte[] plain = c.doFinal(sealed, 12, sealed.length - 12);
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
                Arrays.fill(plain, (byte) 0);
                char[] out = new char[chars.remaining()];
                chars.get(out);
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the passphrase of " + party + " cannot be opened with this master key", e);
            }
        });
    }

    private static byte[] aad(Party party) {
        return ("passphrase:" + party.campaign() + ":" + party.key()).getBytes(StandardCharsets.UTF_8);
    }
}
