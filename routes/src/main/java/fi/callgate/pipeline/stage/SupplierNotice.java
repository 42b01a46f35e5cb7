package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Party;
import fi.callgate.agreement.Provenance;
import fi.callgate.csv.CsvCell;
import fi.callgate.domain.Area;
import fi.callgate.intake.Upload;
import fi.callgate.publish.OutboxFile;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller learns when a supplier delivered a list on its behalf: who, under which agreement,
 * when, and the counts — never the supplier's report itself and no personal data. Written to the
 * controller's outbox as {@code supplier-list-<supplier>-<upload>.csv} in the controller's envelope; the
 * name is fixed by the upload, so a re-run replaces the same file.
 */
final class SupplierNotice {
    private static final Logger log = LoggerFactory.getLogger(SupplierNotice.class);

    private SupplierNotice() {
    }

    static void publish(Agreements agreements, Envelopes envelopes, StorageGuard storage, CampaignFolders folders,
                        Upload upload, UploadReportStore.Outcome outcome)
            throws IOException {
        Optional<Envelope> envelope = envelopes.forParty(Party.controller(upload.campaign()));
        if (envelope.isEmpty()) {
            log.warn("upload {}: the controller of {} has no usable key or passphrase; no supplier notice sent",
                    upload.id(), upload.campaign());
            return;
        }
        Provenance p = agreements.store().provenance(upload.id())
                .or(() -> agreements.provenanceNow(upload.campaign(), upload.account()))
                .orElseThrow(() -> new IllegalStateException("upload " + upload.id() + " has no supplier"));
        StringBuilder csv = new StringBuilder("field;value\n");
        line(csv, "supplier", p.supplierOrg());
        line(csv, "supplier_account", p.supplier());
        line(csv, "agreement", p.agreement());
        line(csv, "received_at", upload.receivedAt().toString());
        line(csv, "outcome", outcome.accepted() ? "accepted" : "rejected");
        if (outcome.reasonCode() != null) {
            line(csv, "reason", outcome.reasonCode());
        }
        line(csv, "rows_accepted", Long.toString(outcome.rowsAccepted()));
        line(csv, "rows_rejected", Long.toString(outcome.rowsRejected()));
        String name = "supplier-list-" + p.supplier() + "-" + upload.id().substring(0, 8) + ".csv"
                + envelope.get().suffix();
        OutboxFile.publish(storage, folders.area(upload.campaign(), Area.OUTBOX), name,
                ".tmp-" + upload.id() + ".notice", envelope.get(), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder csv, String field, String value) {
        csv.append(field).append(';').append(CsvCell.quote(value)).append('\n');
    }
}
