package fi.callgate.publish;

import fi.callgate.domain.Area;
import fi.callgate.files.AtomicFiles;
import fi.callgate.intake.Upload;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <upload name>.report.csv} in the campaign's reports area, for uploads whose senders read their
 * reports there (the dialer's and supervisors' results files). Plain CSV: such a report holds row numbers
 * and reasons, never personal data. The name is chosen once and remembered, so a re-run after a kill
 * replaces the same file instead of adding a second; published atomically.
 */
public final class PlainReport {
    private final CampaignFolders folders;
    private final UploadReportStore reportStore;
    private final StorageGuard storage;

    public PlainReport(CampaignFolders folders, UploadReportStore reportStore, StorageGuard storage) {
        this.folders = folders;
        this.reportStore = reportStore;
        this.storage = storage;
    }

    /** Publishes {@code csv} as {@code upload}'s report; returns the file name. */
    public String publish(Upload upload, String csv) throws IOException {
        Path reports = folders.area(upload.campaign(), Area.REPORTS);
        Files.createDirectories(reports);
        String name = reportStore.reportFile(upload.id()).orElseGet(() -> {
            String base = upload.originalName() + ".report.csv";
            String chosen = Files.exists(reports.resolve(base))
                    ? upload.originalName() + "." + upload.id().substring(0, 8) + ".report.csv" : base;
            reportStore.setReportFile(upload.id(), chosen);
            return chosen;
        });
        Path target = reports.resolve(name);
        Path tmp = reports.resolve(".tmp-" + upload.id() + ".report");
        storage.checkWrite(target);
        Files.write(tmp, csv.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.publish(tmp, target);
        return name;
    }
}
