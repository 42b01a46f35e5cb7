package fi.callgate.intake;

import fi.callgate.store.MasterKey;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts uploads from their first byte on disk, so that even a plaintext CSV uploaded by mistake, or
 * a half-written upload, never rests in plaintext under {@code data-dir}. AES-CTR is used because SFTP
 * writes may arrive at any offset: the keystream for any position can be computed directly, and the
 * file keeps exactly the client's size (the IV lives in memory and then in the upload row, not in the
 * file). Confidentiality only: integrity comes from the OpenPGP layer inside.
 */
public final class SpoolCipher {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Writes an upload's bytes out to the disk while the client is still sending (see
     * {@link EncryptingChannel#force()}). One daemon thread for all uploads: a flush is only ever a head start.
     */
    private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-flush");
        t.setDaemon(true);
        return t;
    });
    private final SecretKeySpec key;

    public SpoolCipher(MasterKey masterKey) {
        this.key = new SecretKeySpec(masterKey.derive("spool-cipher"), "AES");
    }

    public static byte[] newIv() {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /** A channel that encrypts what is written at whatever position, and hashes sequential writes. */
    public EncryptingChannel openForWrite(Path file, byte[] iv, StandardOpenOption... options) throws IOException {
        return new EncryptingChannel(FileChannel.open(file, options), iv);
    }

    /** The upload's original bytes, decrypted as they are read. */
    public InputStream openForRead(Path file, byte[] iv) throws IOException {
        // Buffered underneath: CipherInputStream pulls 512 bytes at a time, which unbuffered meant one read(2)
        // per 512 bytes of a list the decrypt stage streams through.
        InputStream raw = new BufferedInputStream(Channels.newInputStream(FileChannel.open(file,
                StandardOpenOption.READ)), 1 << 16);
        return new CipherInputStream(raw, cipherAt(iv, 0));
    }

    /** The upload's original bytes as a read-only seekable channel (archive readers need random access). */
    public SeekableByteChannel openSeekable(Path file, byte[] iv) throws IOException {
        byte[] copy = iv.clone();
        return new SpoolReadChannel(FileChannel.open(file, StandardOpenOption.READ), position -> cipherAt(copy, position));
    }

    private Cipher cipherAt(byte[] iv, long position) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            seek(cipher, iv, position, new byte[16]);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-CTR unavailable", e);
        }
    }

    /** Sets the cipher's keystream to the file position: counter IV + position/16, then the bytes into that block. */
    private void seek(Cipher cipher, byte[] iv, long position, byte[] scratch) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock(iv, position)));
        int skip = (int) (position & 15);
        if (skip > 0) {
            cipher.update(scratch, 0, skip, scratch, 0);
        }
    }

    /** The CTR counter block for a file position: the IV plus position/16 as a 128-bit big-endian sum, wrapping. */
    static byte[] counterBlock(byte[] iv, long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position");
        }
        byte[] block = iv.clone();
        long add = position >>> 4;
        int carry = 0;
        for (int i = 15; i >= 0; i--) {
            int sum = (block[i] & 0xff) + (int) (add & 0xff) + carry;
            block[i] = (byte) sum;
            carry = sum >>> 8;
            add >>>= 8;
        }
        return block;
    }

    /**
     * The write side. Also computes the SHA-256 of the original bytes while the client writes them in
     * order (as every common client does), so that the hash is ready when the upload closes.
     *
     * <p>Per write it does no more than the crypto itself: one cipher for the channel's life, whose
     * keystream simply runs on while writes follow each other and is re-initialised at the write's position
     * only when a write lands elsewhere (parallel or retried requests); one reused buffer for the ciphertext,
     * at most {@link #CHUNK} bytes whatever size the client writes. MINA runs one handle's requests on one
     * thread, so the channel needs no locking.
     */
    public final class EncryptingChannel implements SeekableByteChannel {
        /** The largest piece encrypted at once; bounds the buffer each open upload holds. */
        static final int CHUNK = 64 * 1024;
        /** How many bytes written since the last flush start the next one in the background. */
        static final long FLUSH_EVERY = 32L * 1024 * 1024;
        private final FileChannel file;
        private final byte[] iv;
        private final Cipher cipher;
        private final MessageDigest digest;
        private final byte[] skip = new byte[16];
        private byte[] out = new byte[0];
        private ByteBuffer outBuffer = ByteBuffer.wrap(out);
        private byte[] copy; // only for a source buffer without an accessible array
        /** The file position the cipher's keystream is at; -1 when it must be re-initialised. */
        private long cipherAt = -1;
        private long position;
        private long hashedUpTo;
        private long extent;
        private boolean inOrder = true;
        private long flushedAt;
        private Future<?> flushing;

        private EncryptingChannel(FileChannel file, byte[] iv) throws IOException {
            this.file = file;
            this.iv = iv.clone();
            try {
                this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int length = src.remaining();
            boolean hash = inOrder && position == hashedUpTo;
            if (!hash) {
                inOrder = false; // once out of order, the hash is computed from the spool later
            }
            try {
                while (src.hasRemaining()) {
                    int n = Math.min(src.remaining(), CHUNK);
                    byte[] plain;
                    int offset;
                    if (src.hasArray()) {
                        plain = src.array();
                        offset = src.arrayOffset() + src.position();
                    } else {
                        if (copy == null) {
                            copy = new byte[CHUNK];
                        }
                        src.duplicate().get(copy, 0, n);
                        plain = copy;
                        offset = 0;
                    }
                    if (hash) {
                        digest.update(plain, offset, n);
                    }
                    encrypt(plain, offset, n);
                    while (outBuffer.hasRemaining()) {
                        position += file.write(outBuffer, position);
                    }
                    extent = Math.max(extent, position);
                    if (hash) {
                        hashedUpTo += n;
                    }
                    src.position(src.position() + n);
                }
            } catch (IOException | RuntimeException e) {
                inOrder = false; // the hash may hold bytes the file does not
                throw e;
            }
            if (extent - flushedAt >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
                flushedAt = extent;
                flushing = FLUSHER.submit(() -> {
                    file.force(false);
                    return null;
                });
            }
            return length;
        }

        /** Encrypts into {@link #outBuffer} the bytes for the file at {@link #position}. */
        private void encrypt(byte[] plain, int offset, int n) throws IOException {
            if (out.length < n) {
                out = new byte[Math.min(CHUNK, Math.max(n, 2 * out.length))];
                outBuffer = ByteBuffer.wrap(out);
            }
            try {
                long at = cipherAt;
                cipherAt = -1; // known again only once the update has gone through
                if (at != position) {
                    seek(cipher, iv, position, skip);
                }
                int done = cipher.update(plain, offset, n, out, 0);
                if (done != n) {
                    throw new IOException("spool encryption returned " + done + " of " + n + " bytes");
                }
                cipherAt = position + n;
            } catch (GeneralSecurityException e) {
                throw new IOException("spool encryption failed", e);
            }
            outBuffer.clear().limit(n);
        }
        /** SHA-256 of the whole upload, if it was written in order from the start to the end. */
        public Optional<String> sha256() {
            if (!inOrder || hashedUpTo != extent) {
                return Optional.empty();
            }
            try {
                return Optional.of(HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest()));
            } catch (CloneNotSupportedException e) {
                return Optional.empty();
            }
        }

        public byte[] iv() {
            return iv.clone();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            throw new java.nio.channels.NonReadableChannelException();
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
            this.position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            file.truncate(size);
            extent = Math.min(extent, size);
            if (size < hashedUpTo) {
                inOrder = false;
            }
            return this;
        }

        /**
         * Forces data to disk: an upload is announced only once its bytes are durable. The page cache would
         * otherwise hold the whole upload until this call (a 1 GiB upload is far below the kernel's own
         * write-back threshold), and the client would wait for all of it to reach the disk after its last
         * write. So every {@link #FLUSH_EVERY} bytes a flush starts in the background, and this call finds
         * only the tail still to write. Durability is this call's alone: a background flush that failed
         * or has not finished changes nothing about what it guarantees.
         */
        public void force() throws IOException {
            awaitFlush();
            file.force(true);
        }

        /**
         * Before the file is forced or closed: a flush still queued (behind other uploads') is dropped, as the
         * caller's own fsync covers it; one running is let finish. Its outcome does not matter.
         */
        private void awaitFlush() {
            Future<?> f = flushing;
            if (f == null || f.cancel(false)) {
                return;
            }
            try {
                f.get();
            } catch (CancellationException | ExecutionException e) {
                // force() or the hand-off's own fsync reports a disk that cannot write
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            if (copy != null) {
                Arrays.fill(copy, (byte) 0);
            }
            awaitFlush();
            file.close();
        }
    }
}
