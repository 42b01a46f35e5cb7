package fi.callgate.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.AesVersion;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * Writes one file as an AES-256 {@code .zip} (WinZip AE-2, what 7-Zip and WinZip write and Windows' own
 * tools and {@code 7z x -p…} open), streaming through zip4j: the caller writes the plaintext, the target
 * receives only ciphertext. AE-2 authenticates each entry with HMAC-SHA1 and stores no CRC of the plaintext.
 */
public final class AesZipWriter {
    private AesZipWriter() {
    }

    /**
     * @param target     where the archive goes (closed with the returned stream)
     * @param passphrase the agreed passphrase; zip4j keeps its own copy only while the stream is open
     * @param entryName  the single entry's name, e.g. {@code list.csv.report.csv}
     */
    public static OutputStream open(OutputStream target, char[] passphrase, String entryName) throws IOException {
        ZipParameters p = new ZipParameters();
        p.setFileNameInZip(entryName);
        p.setCompressionMethod(CompressionMethod.DEFLATE);
        p.setEncryptFiles(true);
        p.setEncryptionMethod(EncryptionMethod.AES);
        p.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
        p.setAesVersion(AesVersion.TWO);
        ZipOutputStream zip = new ZipOutputStream(target, passphrase);
        zip.putNextEntry(p);
        return new FilterOutputStream(zip) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                zip.closeEntry();
                zip.close();
            }
        };
    }
}
