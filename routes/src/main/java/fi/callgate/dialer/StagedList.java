package fi.callgate.dialer;

import fi.callgate.blocklist.BlockList;
import fi.callgate.domain.CallRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The dialer list of an upload, written by the validate pass while it stores the records (issue #13), so
 * that the dialer-load stage only has to rename it into place instead of reading every record back. Each
 * record arrives with its id and the phone's blind index the store has just computed: the block-list check
 * is one lookup, no second HMAC. The file is sealed under the campaign key, bound to the upload (its list
 * number, and so its name, is only assigned at publication), under a hidden name in the lists folder.
 *
 * <p>Order of the validate stage's commits: the record parts forced, then this file ({@link #force}), then
 * the Lucene index, then in HSQLDB this list's figures ({@link #record}) and the record count. A crash
 * anywhere before leaves a STAGED record set: the re-run discards the set and this file
 * ({@link DialerLists#discardStaged}) and writes both again. Not thread-safe: the storing thread alone adds.
 */
public final class StagedList implements AutoCloseable {
    private final String uploadId;
    private final Path file;
    private final BlockList blockList;
    private final DialerListStore store;
    private final ListRenderer renderer;
    private final long blockListSize;
    private final String layout;
    private ListRenderer.Result result;
    private boolean closed;

    StagedList(String uploadId, Path file, ListRenderer renderer, BlockList blockList, DialerListStore store,
               String layout) {
        this.uploadId = uploadId;
        this.file = file;
        this.renderer = renderer;
        this.blockList = blockList;
        this.store = store;
        this.layout = layout;
        // Read before the first row is checked: the block list only grows, so the same size at publication
        // means no number was blocked that this list could have missed.
        this.blockListSize = blockList.size();
    }

    /** One stored record: listed unless its phone is blocked (or VICIdial withholds it). */
    public void add(String recordId, CallRecord r, byte[] phoneIndex) {
        try {
            renderer.add(recordId, r, blockList.containsIndex(phoneIndex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dialer list of upload " + uploadId, e);
        }
    }

    /** Seals the last segment and forces the file (and its folder) to disk. */
    public void force() throws IOException {
        result = renderer.finish();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Records the list's figures in HSQLDB (just before the record count, the last commit of the staging).
     *
     * @return the report's section on rows VICIdial withheld, or empty if none was
     */
    public String record() {
        if (result == null) {
            throw new IllegalStateException("dialer list of upload " + uploadId + " not forced yet");
        }
        store.staged(new DialerListStore.Staged(uploadId, result.listed(), result.blocked(), result.withheldRows(),
                result.bytes(), result.sha256(), blockListSize, layout));
        return result.withheldRows() > 0 ? result.withheldSection() : "";
    }

    /** Closes the file; one not forced (a failed pass) is deleted. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (result == null) {
            try {
                renderer.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
