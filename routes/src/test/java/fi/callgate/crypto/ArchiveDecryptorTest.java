package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives made by Debian's 7z binary, opened by {@link ArchiveDecryptor}: the accepted shapes stream
 * their CSV; every refused shape names its reason and hands the sink nothing it may keep.
 */
class ArchiveDecryptorTest {
    static final String PASS = "correct horse battery staple 2026";
    static final String CSV = "etunimi;sukunimi;puhelin;lähde\nMatti;Meikäläinen;0401234567;Messut\n";
    @TempDir
    Path dir;

    private Path csv(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private Path list() throws IOException {
        return csv("list.csv", CSV.getBytes(StandardCharsets.UTF_8));
    }

    private ArchiveDecryptor.Result open(Path archive, String passphrase, DecryptLimits limits, ByteArrayOutputStream out)
            throws Exception {
        return new ArchiveDecryptor().decrypt(() -> Files.newByteChannel(archive), Files.size(archive),
                passphrase.toCharArray(), limits, (in, name) -> in.transferTo(out));
    }

    private String accepted(Path archive) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveDecryptor.Result r = open(archive, PASS, DecryptLimits.defaults(), out);
        assertThat(r.entryName()).isEqualTo("list.csv");
        return out.toString(StandardCharsets.UTF_8);
    }

    private ArchiveFailure refused(Path archive, String passphrase, DecryptLimits limits) {
        ArchiveDecryptException e = (ArchiveDecryptException) org.assertj.core.api.Assertions.catchThrowable(
                () -> open(archive, passphrase, limits, new ByteArrayOutputStream()));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        return e.failure();
    }

    private ArchiveFailure refused(Path archive) {
        return refused(archive, PASS, DecryptLimits.defaults());
    }

    @Test
    void sevenZWithEncryptedHeadersOpens() throws Exception {
        list();
        Path a = SevenZip.archive(dir, "he.7z", SevenZip.sevenZAes(PASS, true), "list.csv");
        assertThat(accepted(a)).isEqualTo(CSV);
    }

    @Test
    void sevenZWithPlainHeadersOpens() throws Exception {
        list();
        Path a = SevenZip.archive(dir, "ph.7z", SevenZip.sevenZAes(PASS, false), "list.csv");
        assertThat(accepted(a)).isEqualTo(CSV);
    }

    @Test
    void aesZipOpens() throws Exception {
        list();
        Path a = SevenZip.archive(dir, "aes.zip", SevenZip.zip(PASS, "AES256"), "list.csv");
        assertThat(accepted(a)).isEqualTo(CSV);
    }

    @Test
    void zipCryptoIsRefusedAsLegacyEncryption() throws Exception {
        list();
        Path a = SevenZip.archive(dir, "zc.zip", SevenZip.zip(PASS, "ZipCrypto"), "list.csv");
        assertThat(refused(a)).isEqualTo(ArchiveFailure.LEGACY_ZIP_ENCRYPTION);
        assertThat(ArchiveFailure.LEGACY_ZIP_ENCRYPTION.text()).contains("legacy zip encryption");
    }

    @Test
    void aes128IsRefused() throws Exception {
        list();
        Path a = SevenZip.archive(dir, "a128.zip", SevenZip.zip(PASS, "AES128"), "list.csv");
        assertThat(refused(a)).isEqualTo(ArchiveFailure.UNSUPPORTED_ENCRYPTION);
    }

    @Test
    void unencryptedArchivesAreRefused() throws Exception {
        list();
        assertThat(refused(SevenZip.archive(dir, "plain.zip", List.of("-tzip"), "list.csv")))
                .isEqualTo(ArchiveFailure.NOT_ENCRYPTED);
        assertThat(refused(SevenZip.archive(dir, "plain.7z", List.of("-t7z"), "list.csv")))
                .isEqualTo(ArchiveFailure.NOT_ENCRYPTED);
    }

    @Test
    void aWrongPassphraseIsRefusedInEveryShape() throws Exception {
        list();
        String wrong = "not the agreed passphrase at all";
        assertThat(refused(SevenZip.archive(dir, "he.7z", SevenZip.sevenZAes(PASS, true), "list.csv"), wrong,
                DecryptLimits.defaults())).isEqualTo(ArchiveFailure.WRONG_PASSPHRASE);
        assertThat(refused(SevenZip.archive(dir, "ph.7z", SevenZip.sevenZAes(PASS, false), "list.csv"), wrong,
                DecryptLimits.defaults())).isEqualTo(ArchiveFailure.WRONG_PASSPHRASE);
        assertThat(refused(SevenZip.archive(dir, "aes.zip", SevenZip.zip(PASS, "AES256"), "list.csv"), wrong,
                DecryptLimits.defaults())).isEqualTo(ArchiveFailure.WRONG_PASSPHRASE);
    }

    @Test
    void twoEntriesAreRefused() throws Exception {
        list();
        csv("other.csv", "a;b\n".getBytes(StandardCharsets.UTF_8));
        assertThat(refused(SevenZip.archive(dir, "two.7z", SevenZip.sevenZAes(PASS, true), "list.csv", "other.csv")))
                .isEqualTo(ArchiveFailure.SEVERAL_ENTRIES);
        assertThat(refused(SevenZip.archive(dir, "two.zip", SevenZip.zip(PASS, "AES256"), "list.csv", "other.csv")))
                .isEqualTo(ArchiveFailure.SEVERAL_ENTRIES);
    }

    @Test
    void pathsAndFoldersInEntryNamesAreRefused() throws Exception {
        csv("sub/list.csv", CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(refused(SevenZip.archive(dir, "path.7z", SevenZip.sevenZAes(PASS, false), "sub/list.csv")))
                .isEqualTo(ArchiveFailure.ENTRY_PATH);
        assertThat(refused(SevenZip.archive(dir, "path.zip", SevenZip.zip(PASS, "AES256"), "sub/list.csv")))
                .isEqualTo(ArchiveFailure.ENTRY_PATH);
        Files.createDirectories(dir.resolve("empty"));
        assertThat(refused(SevenZip.archive(dir, "dir.zip", SevenZip.zip(PASS, "AES256"), "empty")))
                .isEqualTo(ArchiveFailure.ENTRY_PATH);
    }

    @Test
    void anArchiveBombIsRefusedByRatioAndSize() throws Exception {
        Path zeros = dir.resolve("list.csv");
        try (OutputStream out = Files.newOutputStream(zeros)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(block);
            }
        }
        Path z = SevenZip.archive(dir, "bomb.zip", SevenZip.zip(PASS, "AES256"), "list.csv");
        Path s = SevenZip.archive(dir, "bomb.7z", SevenZip.sevenZAes(PASS, true), "list.csv");
        assertThat(Files.size(z)).isLessThan(1 << 20);
        assertThat(refused(z)).isEqualTo(ArchiveFailure.COMPRESSION_RATIO);
        assertThat(refused(s)).isEqualTo(ArchiveFailure.COMPRESSION_RATIO);
        DecryptLimits small = DecryptLimits.defaults().withMaxPlaintextBytes(1 << 20).withMaxCompressionRatio(1e9);
        assertThat(refused(z, PASS, small)).isEqualTo(ArchiveFailure.TOO_LARGE);
        assertThat(refused(s, PASS, small)).isEqualTo(ArchiveFailure.TOO_LARGE);
    }

    @Test
    void nestedArchivesAreRefusedByNameAndByContent() throws Exception {
        list();
        SevenZip.archive(dir, "inner.zip", List.of("-tzip"), "list.csv");
        assertThat(refused(SevenZip.archive(dir, "outer.7z", SevenZip.sevenZAes(PASS, true), "inner.zip")))
                .isEqualTo(ArchiveFailure.NESTED_ARCHIVE);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(CSV.getBytes(StandardCharsets.UTF_8));
        }
        Files.delete(dir.resolve("list.csv"));
        csv("list.csv", gz.toByteArray());
        assertThat(refused(SevenZip.archive(dir, "gz.zip", SevenZip.zip(PASS, "AES256"), "list.csv")))
                .isEqualTo(ArchiveFailure.NESTED_ARCHIVE);
    }

    @Test
    void anOpenPgpMessageIsNotAnArchive() throws Exception {
        Path p = csv("x.gpg", new byte[] {(byte) 0x85, 0x01, 0x0c, 0x03});
        try (var ch = Files.newByteChannel(p)) {
            assertThat(ArchiveDecryptor.sniff(ch)).isEmpty();
        }
        assertThatThrownBy(() -> open(p, PASS, DecryptLimits.defaults(), new ByteArrayOutputStream()))
                .isInstanceOf(ArchiveDecryptException.class);
    }

    @Test
    void whatAesZipWriterWritesIsOpenedBy7zAndByTheDecryptor() throws Exception {
        Path out = dir.resolve("report.csv.zip");
        try (OutputStream file = Files.newOutputStream(out);
             OutputStream zip = AesZipWriter.open(file, PASS.toCharArray(), "report.csv")) {
            for (int i = 0; i < 20000; i++) {
                zip.write(CSV.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(SevenZip.list(out, PASS).requireOk().output()).contains("AES-256");
        Path x = dir.resolve("x");
        SevenZip.extract(out, PASS, x).requireOk();
        assertThat(Files.size(x.resolve("report.csv"))).isEqualTo(20000L * CSV.getBytes(StandardCharsets.UTF_8).length);
        assertThat(SevenZip.extract(out, "wrong passphrase, surely", dir.resolve("y")).exit()).isNotZero();
    }
}
