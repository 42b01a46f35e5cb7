package fi.callgate.retention;

import java.io.IOException;
import java.util.List;

/**
 * The files of a dataset, destroyed by the shredder after the dataset's records.
 *
 * <h2>Extension point</h2>
 * Each kind of file Callgate derives from an upload registers one implementation, and the composition
 * root combines them with {@link #all}. Today that is the spool ({@link SpoolFiles}: the encrypted upload
 * and the sealed plaintext intermediates, normally already gone once the upload is final). The dialer
 * work adds one for the lists it publishes under {@code /<campaign>/lists/}: it should look the upload's
 * files up in its {@code dialer_list} table (upload id → file names), shred each file that still exists,
 * and keep the rows (marked withdrawn) so that a re-run after a kill still names them. The upload's
 * report in the outbox is not part of the dataset: it holds no personal data and outbox housekeeping
 * belongs to the results/export work.
 *
 * <p>Contract for implementations: idempotent (a kill may make the shredder call it again for the same
 * dataset); return the same descriptions whether or not the files were still there, so a resumed run
 * writes the same receipt; never put personal data into a description (file ids and kinds only).
 */
@FunctionalInterface
public interface DatasetFiles {

    /** What the shredder knows about the dataset whose files are to be destroyed. */
    record Ref(String uploadId, String campaign, String spoolName) {
    }

    /** Destroys the dataset's files; returns descriptions of every file it made sure is gone. */
    List<String> destroy(Ref dataset) throws IOException;

    /** All the given kinds, in order. */
    static DatasetFiles all(List<DatasetFiles> kinds) {
        return ref -> {
            List<String> out = new java.util.ArrayList<>();
            for (DatasetFiles k : kinds) {
                out.addAll(k.destroy(ref));
            }
            return out;
        };
    }
}
