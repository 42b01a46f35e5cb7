package fi.callgate.crypto;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the plaintext while it is being decrypted.
 *
 * <p><b>Everything read from {@code plaintext} is provisional.</b> OpenPGP's integrity check (MDC)
 * and the signature sit at the end of the message, so bytes reach the sink before the message
 * is known to be authentic. The sink may parse and stage what it reads (encrypted, uncommitted),
 * but must publish or commit nothing until {@link PgpDecryptor#decrypt} returns normally; if it
 * throws, everything the sink received must be discarded.
 *
 * <p>The stream may throw an {@link IOException} when a limit is hit or the data is corrupt; the
 * sink should let it propagate (the decryptor reports the real reason even if the sink swallows it).
 * The sink need not read to the end: the decryptor drains the rest to check integrity and signature.
 * Closing the stream is harmless.
 */
@FunctionalInterface
public interface PlaintextSink {
    /**
     * @param plaintext       the literal data, decrypted and decompressed on the fly
     * @param literalFileName the file name stored in the literal packet (untrusted input, may be empty)
     */
    void consume(InputStream plaintext, String literalFileName) throws IOException;
}
