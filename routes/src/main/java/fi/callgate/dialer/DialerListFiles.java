package fi.callgate.dialer;

import fi.callgate.domain.Area;
import fi.callgate.retention.DatasetFiles;
import fi.callgate.store.CampaignFolders;
import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.util.List;

/**
 * The dialer list published from a dataset, destroyed with it by the shredder. The row is kept (marked
 * removed) so that a run resumed after a kill names the same file in its receipt; a push target's copy
 * is the dialer's to delete (the receipt says the list was pushed).
 */
public final class DialerListFiles implements DatasetFiles {
    private final DialerListStore store;
    private final CampaignFolders folders;

    public DialerListFiles(DialerListStore store, CampaignFolders folders) {
        this.store = store;
        this.folders = folders;
    }

    @Override
    public List<String> destroy(Ref dataset) throws IOException {
        var row = store.byUpload(dataset.uploadId());
        if (row.isEmpty()) {
            return List.of();
        }
        FileShredder.shred(folders.area(dataset.campaign(), Area.LISTS).resolve(row.get().fileName()));
        store.removed(dataset.uploadId());
        return List.of("dialer list " + row.get().fileName());
    }
}
