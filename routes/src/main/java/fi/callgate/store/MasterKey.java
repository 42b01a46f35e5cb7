package fi.callgate.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The root secret of an installation. Every other key (database encryption, audit chain, wrapping of
 * campaign data keys) is derived from it, so that it is the one thing to keep away from {@code data-dir}:
 * a copy of the data directory without it reveals nothing.
 */
public final class MasterKey {
    private static final int KEY_BYTES = 32;
    private final byte[] key;

    private MasterKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("master key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    /** From base64 text, as given in {@code CALLGATE_MASTER_KEY}. */
    public static MasterKey fromBase64(String text) {
        try {
            return new MasterKey(Base64.getDecoder().decode(text.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master key is not valid base64 of 32 bytes", e);
        }
    }

    /**
     * Loads the key file, creating it (permissions 600, written atomically) on first start. Refuses a
     * key file that others can read, since that would defeat keeping it apart.
     */
    public static MasterKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("master key file " + file + " is readable by others ("
                        + PosixFilePermissions.toString(perms) + "); chmod 600 it");
            }
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        }
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        SecretFiles.writeAtomically(file, (Base64.getEncoder().encodeToString(fresh) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        return new MasterKey(fresh);
    }

    /** A key for one purpose, independent of the keys for every other purpose (HMAC-SHA256 KDF). */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("callgate:" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The HSQLDB {@code crypt_key}: 128-bit AES as hex, derived, never stored. */
    String databaseKeyHex() {
        return HexFormat.of().formatHex(Arrays.copyOf(derive("hsqldb-crypt-key"), 16));
    }

    /** Creates files that hold secrets: permissions 600 from the first byte, then an atomic rename. */
    public static final class SecretFiles {
        private SecretFiles() {
        }

        public static void writeAtomically(Path file, byte[] content) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
