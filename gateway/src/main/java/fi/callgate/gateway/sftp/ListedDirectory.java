package fi.callgate.gateway.sftp;

import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** A directory listing computed from the view rather than read from disk. */
final class ListedDirectory implements DirectoryStream<Path> {
    private final List<Path> entries;

    ListedDirectory(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    public Iterator<Path> iterator() {
        return entries.iterator();
    }

    @Override
    public void close() {
    }
}
