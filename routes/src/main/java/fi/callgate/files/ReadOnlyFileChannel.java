package fi.callgate.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The part every decrypting view of a file shares: a seekable, read-only channel over one open
 * {@link FileChannel}, whose position is the plaintext position. Subclasses say how plaintext is read at
 * the position ({@link #read}) and how large it is ({@link #size}); writing is refused, and a closed view
 * refuses everything. Two views use it: the sealed spool's segments ({@link SealedSpoolChannel}) and the
 * upload spool's counter-mode stream (in intake); before, each carried its own copy of this.
 *
 * <p>Reads go through the file descriptor the view opened: if the file is atomically replaced while it is
 * open, the view keeps seeing the version it opened, never a mix.
 */
public abstract class ReadOnlyFileChannel implements SeekableByteChannel {
    /** The underlying (encrypted) file; subclasses read it with positional reads only. */
    protected final FileChannel file;
    private long position;

    protected ReadOnlyFileChannel(FileChannel file) {
        this.file = file;
    }

    @Override
    public final int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public final SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public final long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public final SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    /** Moves the position on by what a read delivered. */
    protected final void advance(long n) {
        position += n;
    }

    @Override
    public final boolean isOpen() {
        return file.isOpen();
    }

    /** Closes the file; subclasses that hold plaintext wipe it first and then call this. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    protected final void ensureOpen() throws IOException {
        if (!file.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
