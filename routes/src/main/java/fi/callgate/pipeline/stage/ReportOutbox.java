package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Party;
import fi.callgate.domain.Area;
import fi.callgate.intake.Upload;
import fi.callgate.publish.OutboxFile;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An upload's sealed report in the campaign's outbox, and the controller's {@link SupplierNotice}: what the
 * report stage writes for every finished upload and the give-up stage for an upload it finishes unprocessed.
 * The envelope is the one agreed with the party concerned; the report's name is chosen once and remembered.
 */
public final class ReportOutbox {
    private final Agreements agreements;
    private final Envelopes envelopes;
    private final UploadReportStore reports;
    private final CampaignFolders folders;
    private final StorageGuard storage;

    public ReportOutbox(Agreements agreements, Envelopes envelopes, UploadReportStore reports, CampaignFolders folders,
                        StorageGuard storage) {
        this.agreements = agreements;
        this.envelopes = envelopes;
        this.reports = reports;
        this.folders = folders;
        this.storage = storage;
    }

    /** Whoever sent {@code upload}: the campaign's controller or a supplier delivering on its behalf. */
    Party senderOf(Upload upload) {
        return agreements.partyOf(upload.campaign(), upload.account());
    }

    /** The envelope agreed with {@code party}: empty when that party has no usable key or passphrase. */
    Optional<Envelope> envelopeFor(Party party) {
        return envelopes.forParty(party);
    }

    /** The envelope agreed with whoever sent {@code upload}: empty when that party has no usable key or passphrase. */
    Optional<Envelope> envelopeOf(Upload upload) {
        return envelopeFor(senderOf(upload));
    }

    /**
     * Publishes {@code csv} as the upload's report in the campaign outbox, sealed with {@code envelope}; its
     * name is chosen once and remembered. Also the way a given-up upload's report goes out.
     */
    String publish(Upload upload, String csv, Envelope envelope) throws IOException {
        Path outbox = folders.area(upload.campaign(), Area.OUTBOX);
        String name = reports.reportFile(upload.id()).orElseGet(() -> {
            String base = upload.originalName() + ".report.csv" + envelope.suffix();
            String chosen = Files.exists(outbox.resolve(base))
                    ? upload.originalName() + "." + upload.id().substring(0, 8) + ".report.csv" + envelope.suffix() : base;
            // Named (and so, for a supplier's upload, owned by the supplier) before the file exists: the
            // controller's view hides it from its first byte.
            reports.setReportFile(upload.id(), chosen);
            return chosen;
        });
        OutboxFile.publish(storage, outbox, name, ".tmp-" + upload.id() + ".report", envelope,
                csv.getBytes(StandardCharsets.UTF_8));
        return name;
    }

    /** Tells the controller about a supplier's upload ({@link SupplierNotice}). */
    void publishSupplierNotice(Upload upload, UploadReportStore.Outcome outcome) throws IOException {
        SupplierNotice.publish(agreements, envelopes, storage, folders, upload, outcome);
    }
}
