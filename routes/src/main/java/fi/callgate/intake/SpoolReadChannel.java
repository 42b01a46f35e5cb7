package fi.callgate.intake;

import fi.callgate.files.ReadOnlyFileChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import javax.crypto.Cipher;

/**
 * A read-only, seekable view of a spooled upload's original bytes, decrypted at whatever position is read.
 * Archive readers need random access (7z keeps its header at the end, zip its central directory), and the
 * spool is AES-CTR, whose keystream can start anywhere. What this yields is the uploaded archive, itself
 * ciphertext: nothing decrypted here is the archive's plaintext, and nothing is written anywhere.
 * Position, refusal to write and the closed state are {@link ReadOnlyFileChannel}'s.
 */
final class SpoolReadChannel extends ReadOnlyFileChannel {
    /** Ciphertext read per step; bounds the buffer. */
    private static final int CHUNK = 64 * 1024;

    /** A CTR cipher whose keystream starts at a file position. */
    @FunctionalInterface
    interface CipherAt {
        Cipher at(long position) throws IOException;
    }

    private final CipherAt ciphers;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private Cipher cipher;
    /** Where {@link #cipher}'s keystream is; -1 when it must be positioned again. */
    private long cipherAt = -1;

    SpoolReadChannel(FileChannel file, CipherAt ciphers) {
        super(file);
        this.ciphers = ciphers;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long position = position();
        if (position >= file.size()) {
            return -1;
        }
        if (cipherAt != position) {
            cipher = ciphers.at(position);
            cipherAt = position;
        }
        buffer.clear().limit(Math.min(CHUNK, dst.remaining()));
        int n = file.read(buffer, position);
        if (n <= 0) {
            return n;
        }
        buffer.flip();
        try {
            int done = cipher.update(buffer, dst);
            advance(done);
            cipherAt = position + done;
            return done;
        } catch (java.security.GeneralSecurityException e) {
            cipherAt = -1;
            throw new IOException("spool decryption failed", e);
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return file.size();
    }
}
