package fi.callgate.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Publishing a file so that no reader ever sees half of it: written under a hidden temporary name in the
 * same folder (hidden names are invisible to SFTP clients), forced to disk, renamed over the final name,
 * and the folder synced so the rename survives a power cut.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void publish(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
