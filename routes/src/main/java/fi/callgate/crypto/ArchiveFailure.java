package fi.callgate.crypto;

/**
 * Why {@link ArchiveDecryptor} refused an aes-zip upload; each a reason the sender can act on. None comes
 * with plaintext that may be kept.
 */
public enum ArchiveFailure {
    /** Zip's original "ZipCrypto" (PKWARE traditional encryption): broken in minutes with a known plaintext. */
    LEGACY_ZIP_ENCRYPTION("legacy zip encryption (ZipCrypto) is trivially broken; encrypt with AES-256"),
    /** An archive whose entry is not encrypted at all. */
    NOT_ENCRYPTED("the archive is not encrypted; encrypt it with AES-256 and the agreed passphrase"),
    /** Encrypted, but not with AES-256 (AES-128/192, PKWARE strong encryption). */
    UNSUPPORTED_ENCRYPTION("the archive is encrypted with something other than AES-256; use AES-256"),
    /** The agreed passphrase does not open it (7z without a MAC cannot tell this from damage). */
    WRONG_PASSPHRASE("the agreed passphrase does not open the archive (or the archive is damaged)"),
    /** More than one entry. */
    SEVERAL_ENTRIES("the archive holds more than one file; put exactly one CSV file in it"),
    /** No entry at all. */
    EMPTY("the archive holds no file; put exactly one CSV file in it"),
    /** A folder, or a name with a path. */
    ENTRY_PATH("the archive must hold one plain file, without folders or paths in its name"),
    /** An archive or compressed file inside. */
    NESTED_ARCHIVE("the archive holds another archive or compressed file; put the CSV file itself in it"),
    /** Over {@link DecryptLimits#maxPlaintextBytes()}. */
    TOO_LARGE("the file in the archive is too large"),
    /** Over {@link DecryptLimits#maxCompressionRatio()}: an archive bomb. */
    COMPRESSION_RATIO("the file in the archive expands far more than any call list does (archive bomb)"),
    /** Took longer than {@link DecryptLimits#maxDuration()}. */
    TIMEOUT("reading the archive took too long"),
    /** Not readable as the archive its first bytes claim. */
    CORRUPT("the archive is damaged or not a 7z/zip archive");

    private final String text;

    ArchiveFailure(String text) {
        this.text = text;
    }

    /** The reason as the sender reads it in its report. */
    public String text() {
        return text;
    }
}
