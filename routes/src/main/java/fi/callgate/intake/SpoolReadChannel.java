package fi.callgate.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import javax.crypto.Cipher;

/**
 * A read-only, seekable view of a spooled upload's original bytes, decrypted at whatever position is read.
 * Archive readers need random access (7z keeps its header at the end, zip its central directory), and the
 * spool is AES-CTR, whose keystream can start anywhere. What this yields is the uploaded archive, itself
 * ciphertext: nothing decrypted here is the archive's plaintext, and nothing is written anywhere.
 */
final class SpoolReadChannel implements SeekableByteChannel {
    /** Ciphertext read per step; bounds the buffer. */
    private static final int CHUNK = 64 * 1024;

    /** A CTR cipher whose keystream starts at a file position. */
    @FunctionalInterface
    interface CipherAt {
        Cipher at(long position) throws IOException;
    }

    private final FileChannel file;
    private final CipherAt ciphers;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private Cipher cipher;
    /** Where {@link #cipher}'s keystream is; -1 when it must be positioned again. */
    private long cipherAt = -1;
    private long position;

    SpoolReadChannel(FileChannel file, CipherAt ciphers) {
        this.file = file;
        this.ciphers = ciphers;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
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
            position += done;
            cipherAt = position;
            return done;
        } catch (java.security.GeneralSecurityException e) {
            cipherAt = -1;
            throw new IOException("spool decryption failed", e);
        }
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
