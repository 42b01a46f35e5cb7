package fi.callgate.intake;

import fi.callgate.store.MasterKey;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
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
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
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
        InputStream raw = Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ));
        return new CipherInputStream(raw, cipherAt(iv, 0));
    }

    private Cipher cipherAt(byte[] iv, long position) throws IOException {
        try {
            BigInteger counter = new BigInteger(1, iv).add(BigInteger.valueOf(position / 16)).mod(TWO_128);
            byte[] raw = counter.toByteArray();
            byte[] block = new byte[16];
            int copy = Math.min(16, raw.length);
            System.arraycopy(raw, raw.length - copy, block, 16 - copy, copy);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(block));
            int skip = (int) (position % 16);
            if (skip > 0) {
                cipher.update(new byte[skip]);
            }
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-CTR unavailable", e);
        }
    }

    /**
     * The write side. Also computes the SHA-256 of the original bytes while the client writes them in
     * order (as every common client does), so that the hash is ready when the upload closes.
     */
    public final class EncryptingChannel implements SeekableByteChannel {
        private final FileChannel file;
        private final byte[] iv;
        private final MessageDigest digest;
        private long position;
        private long hashedUpTo;
        private long extent;
        private boolean inOrder = true;

        private EncryptingChannel(FileChannel file, byte[] iv) throws IOException {
            this.file = file;
            this.iv = iv.clone();
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int length = src.remaining();
            ByteBuffer plain = src.slice();
            if (inOrder && position == hashedUpTo) {
                digest.update(plain.duplicate());
                hashedUpTo += length;
            } else if (position < hashedUpTo || position > hashedUpTo) {
                inOrder = false;
            }
            ByteBuffer encrypted = ByteBuffer.allocate(length);
            try {
                cipherAt(iv, position).update(plain, encrypted);
            } catch (GeneralSecurityException e) {
                throw new IOException("spool encryption failed", e);
            }
            encrypted.flip();
            while (encrypted.hasRemaining()) {
                position += file.write(encrypted, position);
            }
            extent = Math.max(extent, position);
            src.position(src.position() + length);
            return length;
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

        /** Forces data to disk: an upload is announced only once its bytes are durable. */
        public void force() throws IOException {
            file.force(true);
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
}
