package fi.callgate.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * The folders every campaign has on the drop point. Who may do what in each is decided by the
 * gateway's view rules; here only the names and the direction of the data.
 */
public enum Area {
    /** Controller uploads call lists (write-only). */
    INBOX(true),
    /** Reports, exports and receipts for the controller (read, delete). */
    OUTBOX(false),
    /** Dialer lists published by Callgate (read). */
    LISTS(false),
    /** Call results uploaded by the dialer or a supervisor (write-only). */
    RESULTS(true),
    /** Reports on results files (read). */
    REPORTS(false),
    /**
     * Call recordings a supervisor delivers to the controller under a recordings agreement (write-only;
     * issue #16): sealed on arrival, encrypted for the controller into the outbox.
     */
    RECORDINGS(true);

    private final boolean writeArea;

    Area(boolean writeArea) {
        this.writeArea = writeArea;
    }

    /** Write areas accept uploads, which are handed to the pipeline once closed. */
    public boolean isWriteArea() {
        return writeArea;
    }

    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Area> ofFolder(String name) {
        for (Area a : values()) {
            if (a.folderName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
