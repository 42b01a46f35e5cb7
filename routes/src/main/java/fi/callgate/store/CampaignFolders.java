package fi.callgate.store;

import fi.callgate.domain.Area;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The on-disk folders of each campaign under {@code data-dir/sftp}: one per {@link Area}. Clients never
 * see this layout directly; the gateway maps each account's view onto it.
 */
public final class CampaignFolders {
    private final Path root;

    public CampaignFolders(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Creates the campaign's folders (owner-only permissions); idempotent. */
    public void create(String campaign) throws IOException {
        for (Area a : Area.values()) {
            Path dir = area(campaign, a);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    public Path area(String campaign, Area area) {
        return root.resolve(campaign).resolve(area.folderName());
    }
}
