package fi.callgate.retention;

import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The spool part of a dataset: the encrypted upload ({@code spool/<spool name>}) and the sealed plaintext
 * intermediates ({@code <upload>.plain}, {@code .plain.tmp}). The pipeline normally destroys them as the
 * upload finishes; the shredder makes sure, so that neither a crash nor a rejected file leaves anything.
 */
public final class SpoolFiles implements DatasetFiles {
    private final Path spoolDir;

    public SpoolFiles(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    @Override
    public List<String> destroy(Ref d) throws IOException {
        FileShredder.shred(spoolDir.resolve(d.spoolName()));
        FileShredder.shred(spoolDir.resolve(d.uploadId() + ".plain"));
        FileShredder.shred(spoolDir.resolve(d.uploadId() + ".plain.tmp"));
        return List.of("spool:" + d.uploadId() + " (encrypted upload and sealed intermediates)");
    }
}
