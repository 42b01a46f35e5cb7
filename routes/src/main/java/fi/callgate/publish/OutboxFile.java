package fi.callgate.publish;

import fi.callgate.agreement.Envelope;
import fi.callgate.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts one sealed file into an outbox: storage location checked, written under a dot-name no client sees,
 * forced and renamed into place (a re-run replaces the same name). The envelope is the recipient's method.
 */
public final class OutboxFile {
    private OutboxFile() {
    }

    public static void publish(StorageGuard storage, Path outbox, String name, String tmpName, Envelope envelope,
                               byte[] plaintext) throws IOException {
        publish(storage, outbox, name, tmpName, envelope, out -> out.write(plaintext));
    }

    /** Streams the plaintext from {@code source} into the envelope; never more than a buffer in memory. */
    public static void publish(StorageGuard storage, Path outbox, String name, String tmpName, Envelope envelope,
                               InputStream source) throws IOException {
        publish(storage, outbox, name, tmpName, envelope, source::transferTo);
    }

    /** What writes the plaintext into the open envelope. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream sealed) throws IOException;
    }

    public static void publish(StorageGuard storage, Path outbox, String name, String tmpName, Envelope envelope,
                               Content content) throws IOException {
        Path target = outbox.resolve(name);
        Path tmp = outbox.resolve(tmpName);
        storage.checkWrite(target);
        String inner = name.endsWith(envelope.suffix()) ? name.substring(0, name.length() - envelope.suffix().length())
                : name;
        try (OutputStream file = Files.newOutputStream(tmp);
             OutputStream sealed = envelope.open(file, inner)) {
            content.writeTo(sealed);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        AtomicFiles.publish(tmp, target);
    }
}
