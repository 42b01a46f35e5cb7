package fi.callgate.pipeline.stage;

import fi.callgate.domain.Area;
import fi.callgate.files.AtomicFiles;
import fi.callgate.intake.Upload;
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
    private PlainReport() {
    }

    /** Publishes {@code csv} as {@code upload}'s report; returns the file name. */
    public static String publish(IntakeContext ctx, Upload upload, String csv) throws IOException {
        Path reports = ctx.folders().area(upload.campaign(), Area.REPORTS);
        Files.createDirectories(reports);
        String name = ctx.reports().reportFile(upload.id()).orElseGet(() -> {
            String base = upload.originalName() + ".report.csv";
            String chosen = Files.exists(reports.resolve(base))
                    ? upload.originalName() + "." + upload.id().substring(0, 8) + ".report.csv" : base;
            ctx.reports().setReportFile(upload.id(), chosen);
            return chosen;
        });
        Path target = reports.resolve(name);
        Path tmp = reports.resolve(".tmp-" + upload.id() + ".report");
        ctx.storage().checkWrite(target);
        Files.write(tmp, csv.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.publish(tmp, target);
        return name;
    }
}
