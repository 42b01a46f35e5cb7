package fi.callgate.crypto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;
import net.lingala.zip4j.exception.ZipException;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.sevenz.SevenZMethod;
import org.apache.commons.compress.archivers.sevenz.SevenZMethodConfiguration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Opens the 7-Zip compatible archives of an aes-zip agreement — {@code .7z} with AES-256 (headers encrypted
 * or not; Apache Commons Compress) or {@code .zip} with AES-256 entries (WinZip AE-2; zip4j) — holding
 * exactly one file, and streams that file's plaintext to a {@link PlaintextSink} under the same limits as
 * OpenPGP ({@link DecryptLimits}: size, expansion ratio against the archive's size, time).
 *
 * <p>Everything is decided from the archive's metadata before a byte of content is read — one entry, a
 * plain name, AES-256 and nothing weaker — and the content is then checked as it streams: limits, no
 * archive inside, and the format's own integrity at the end (7z's CRC, AE-2's HMAC). As with OpenPGP the
 * sink's input is provisional until {@link #decrypt} returns.
 */
public final class ArchiveDecryptor {
    /** Largest LZMA/LZMA2 dictionary (and so memory) a 7z may ask for: 7-Zip's -mx9 uses 64 MiB. */
    static final int MAX_MEMORY_KIB = 128 * 1024;

    /** The two formats, told apart by their first bytes. */
    public enum Format { SEVEN_Z, ZIP }

    /** Where the archive is: opened again for each pass (a library closes the channel it is given). */
    @FunctionalInterface
    public interface Source {
        SeekableByteChannel open() throws IOException;
    }

    /** What a successful {@link #decrypt} established. */
    public record Result(Format format, String entryName, long plaintextBytes, long archiveBytes) {
    }

    private static final byte[] SEVEN_Z = {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    /** Magic numbers of archives and compressed files that must not be inside: zip, 7z, gzip, bzip2, xz, zstd, rar. */
    private static final List<byte[]> NESTED = List.of(ZIP, new byte[] {'P', 'K', 5, 6}, SEVEN_Z,
            new byte[] {0x1F, (byte) 0x8B}, new byte[] {'B', 'Z', 'h'}, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0},
            new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, new byte[] {'R', 'a', 'r', '!'});
    private static final List<String> NESTED_NAMES = List.of(".zip", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".zst",
            ".rar", ".tar", ".gpg", ".pgp", ".asc");

    /** The archive format of a file, from its first bytes; empty for anything else (e.g. OpenPGP). */
    public static Optional<Format> sniff(SeekableByteChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(SEVEN_Z.length);
        channel.position(0);
        while (head.hasRemaining() && channel.read(head) > 0) {
            // read the few bytes there are
        }
        byte[] b = java.util.Arrays.copyOf(head.array(), head.position());
        return startsWith(b, SEVEN_Z) ? Optional.of(Format.SEVEN_Z)
                : startsWith(b, ZIP) ? Optional.of(Format.ZIP) : Optional.empty();
    }

    /**
     * @return only when the archive was opened with the passphrase, held one acceptable file, and that
     *         file streamed to the sink within the limits and passed the archive's integrity check
     */
    public Result decrypt(Source source, long archiveBytes, char[] passphrase, DecryptLimits limits, PlaintextSink sink)
            throws ArchiveDecryptException, IOException {
        Format format;
        try (SeekableByteChannel ch = source.open()) {
            format = sniff(ch).orElseThrow(() -> new ArchiveDecryptException(ArchiveFailure.CORRUPT));
        }
        EntryMeter meter = new EntryMeter(limits, archiveBytes);
        try {
            String name = format == Format.SEVEN_Z ? sevenZ(source, passphrase, meter, sink)
                    : zip(source, passphrase, meter, sink);
            return new Result(format, name, meter.count, archiveBytes);
        } catch (EntryMeter.Tripped t) {
            throw new ArchiveDecryptException(t.failure, t.getMessage());
        }
    }

    private String sevenZ(Source source, char[] passphrase, EntryMeter meter, PlaintextSink sink)
            throws ArchiveDecryptException, IOException {
        SevenZFile z;
        try {
            z = SevenZFile.builder().setSeekableByteChannel(source.open()).setPassword(passphrase)
                    .setMaxMemoryLimitKiB(MAX_MEMORY_KIB).setTryToRecoverBrokenArchives(false).get();
        } catch (MemoryLimitException e) {
            throw new ArchiveDecryptException(ArchiveFailure.TOO_LARGE, "unpacking needs more than "
                    + MAX_MEMORY_KIB / 1024 + " MiB of memory");
        } catch (IOException | RuntimeException e) {
            // Encrypted headers decrypt to garbage with a wrong passphrase; 7z has no check value to tell.
            throw new ArchiveDecryptException(ArchiveFailure.WRONG_PASSPHRASE);
        }
        try (z) {
            List<SevenZArchiveEntry> entries = new ArrayList<>();
            z.getEntries().forEach(entries::add);
            SevenZArchiveEntry entry = single(entries.stream().map(e -> new Named(e.getName(), e.isDirectory())).toList(),
                    entries);
            meter.declared(entry.getSize());
            SevenZArchiveEntry next = z.getNextEntry();
            if (next == null) {
                throw new ArchiveDecryptException(ArchiveFailure.CORRUPT);
            }
            // The coders of an entry's folder are known once the entry is selected; nothing is decoded yet.
            boolean aes = StreamSupport.stream(iterable(next.getContentMethods()).spliterator(), false)
                    .map(SevenZMethodConfiguration::getMethod).anyMatch(m -> m == SevenZMethod.AES256SHA256);
            if (!aes) {
                throw new ArchiveDecryptException(ArchiveFailure.NOT_ENCRYPTED);
            }
            stream(z.getInputStream(next), entry.getName(), meter, sink, ArchiveFailure.WRONG_PASSPHRASE);
            return entry.getName();
        } catch (MemoryLimitException e) {
            throw new ArchiveDecryptException(ArchiveFailure.TOO_LARGE, "unpacking needs more than "
                    + MAX_MEMORY_KIB / 1024 + " MiB of memory");
        }
    }

    private String zip(Source source, char[] passphrase, EntryMeter meter, PlaintextSink sink)
            throws ArchiveDecryptException, IOException {
        // Pass 1, the central directory (Commons Compress): entry count, names and encryption, before any content.
        ZipArchiveEntry entry;
        try (ZipFile central = ZipFile.builder().setSeekableByteChannel(source.open()).get()) {
            List<ZipArchiveEntry> entries = Collections.list(central.getEntries());
            entry = single(entries.stream().map(e -> new Named(e.getName(), e.isDirectory())).toList(), entries);
        } catch (IOException e) {
            throw new ArchiveDecryptException(ArchiveFailure.CORRUPT);
        }
        if (!entry.getGeneralPurposeBit().usesEncryption()) {
            throw new ArchiveDecryptException(ArchiveFailure.NOT_ENCRYPTED);
        }
        if (entry.getGeneralPurposeBit().usesStrongEncryption()) {
            throw new ArchiveDecryptException(ArchiveFailure.UNSUPPORTED_ENCRYPTION, "PKWARE strong encryption");
        }
        if (entry.getMethod() != 99) { // 99: the WinZip AES marker; any other encrypted entry is ZipCrypto
            throw new ArchiveDecryptException(ArchiveFailure.LEGACY_ZIP_ENCRYPTION);
        }
        meter.declared(entry.getSize());
        // Pass 2, the content (zip4j, streaming): the local header must say the same, and be the only one.
        try (SeekableByteChannel ch = source.open();
             ZipInputStream zin = new ZipInputStream(Channels.newInputStream(ch.position(0)), passphrase)) {
            LocalFileHeader h;
            try {
                h = zin.getNextEntry();
            } catch (ZipException e) {
                throw new ArchiveDecryptException(e.getType() == ZipException.Type.WRONG_PASSWORD
                        ? ArchiveFailure.WRONG_PASSPHRASE : ArchiveFailure.CORRUPT);
            }
            if (h == null || !h.getFileName().equals(entry.getName()) || h.isDirectory()) {
                throw new ArchiveDecryptException(ArchiveFailure.CORRUPT, "local and central headers differ");
            }
            if (!h.isEncrypted() || h.getEncryptionMethod() != EncryptionMethod.AES) {
                throw new ArchiveDecryptException(h.isEncrypted() ? ArchiveFailure.LEGACY_ZIP_ENCRYPTION
                        : ArchiveFailure.NOT_ENCRYPTED);
            }
            if (h.getAesExtraDataRecord() == null
                    || h.getAesExtraDataRecord().getAesKeyStrength() != AesKeyStrength.KEY_STRENGTH_256) {
                throw new ArchiveDecryptException(ArchiveFailure.UNSUPPORTED_ENCRYPTION, "AES-128 or AES-192");
            }
            stream(zin, h.getFileName(), meter, sink, ArchiveFailure.CORRUPT);
            LocalFileHeader more;
            try {
                more = zin.getNextEntry();
            } catch (IOException e) {
                more = h; // unreadable trailing data where a second entry would start: not one clean entry
            }
            if (more != null) {
                throw new ArchiveDecryptException(ArchiveFailure.SEVERAL_ENTRIES);
            }
            return h.getFileName();
        }
    }

    /** Streams the entry through the meter and the nesting check to the sink, then reads it to its end. */
    private static void stream(InputStream content, String name, EntryMeter meter, PlaintextSink sink,
                               ArchiveFailure onReadError) throws ArchiveDecryptException, IOException {
        EntryMeter.Metered metered = meter.wrap(content);
        BufferedInputStream in = new BufferedInputStream(metered, 1 << 16);
        try {
            in.mark(16);
            byte[] head = in.readNBytes(8);
            in.reset();
            if (NESTED.stream().anyMatch(m -> startsWith(head, m))) {
                throw new ArchiveDecryptException(ArchiveFailure.NESTED_ARCHIVE);
            }
            sink.consume(in, name);
            // The integrity check (7z CRC, AE-2 HMAC) runs when the entry is read to its end.
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            if (metered.tripped != null) {
                throw metered.tripped;
            }
            if (metered.readError != null) {
                throw new ArchiveDecryptException(onReadError == ArchiveFailure.CORRUPT
                        && metered.readError instanceof ZipException z && z.getType() == ZipException.Type.WRONG_PASSWORD
                        ? ArchiveFailure.WRONG_PASSPHRASE : onReadError);
            }
            throw e;
        }
    }

    /** A name and whether it is a folder, whatever the format. */
    private record Named(String name, boolean directory) {
    }

    /** The one acceptable entry: exactly one, not a folder, a plain name, not itself an archive by name. */
    private static <E> E single(List<Named> names, List<E> entries) throws ArchiveDecryptException {
        if (names.stream().anyMatch(Named::directory)) {
            throw new ArchiveDecryptException(ArchiveFailure.ENTRY_PATH, "a folder");
        }
        if (names.isEmpty()) {
            throw new ArchiveDecryptException(ArchiveFailure.EMPTY);
        }
        if (names.size() > 1) {
            throw new ArchiveDecryptException(ArchiveFailure.SEVERAL_ENTRIES, names.size() + " entries");
        }
        String name = names.get(0).name();
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains(":")
                || name.equals("..") || name.chars().anyMatch(c -> c < 0x20)) {
            throw new ArchiveDecryptException(ArchiveFailure.ENTRY_PATH);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (NESTED_NAMES.stream().anyMatch(lower::endsWith)) {
            throw new ArchiveDecryptException(ArchiveFailure.NESTED_ARCHIVE);
        }
        return entries.get(0);
    }

    private static <T> Iterable<T> iterable(Iterable<T> maybeNull) {
        return maybeNull == null ? List.of() : maybeNull;
    }

    private static boolean startsWith(byte[] data, byte[] magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
