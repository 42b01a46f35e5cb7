package fi.callgate.gateway.boot;

import fi.callgate.dsar.DsarHooks;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadStore;
import fi.callgate.results.ResultDetails;
import fi.callgate.results.ResultStore;
import fi.callgate.store.CampaignKeyStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins data-subject requests to the results and their exports (neither package knows the other): {@code
 * dsar find} reports every result about the person's records and how far it is on its way to the
 * controller (with what a pending export will carry, decrypted for the requester); an erasure deletes
 * them, so a pending or half-written export goes out without them.
 */
final class DsarResults implements DsarHooks.PendingExports {
    private final ResultStore results;
    private final UploadStore uploads;
    private final CampaignKeyStore keys;

    DsarResults(ResultStore results, UploadStore uploads, CampaignKeyStore keys) {
        this.results = results;
        this.uploads = uploads;
        this.keys = keys;
    }

    @Override
    public List<Held> find(Collection<String> recordIds) {
        return results.ofRecords(recordIds).stream().map(this::held).toList();
    }

    @Override
    public int erase(Collection<String> recordIds) {
        return results.deleteByRecords(List.copyOf(recordIds));
    }

    private Held held(ResultStore.OfRecord r) {
        String stage = !r.exported() ? "not_exported" : r.batch().map(b -> switch (b.state()) {
            case OPEN -> "exporting";
            case PUBLISHED -> "exported";
            case SHREDDED -> "export_shredded";
        }).orElse("pending");
        Map<String, String> fields = r.payload() == null || keys.isDestroyed(r.campaign()) ? Map.of()
                : ResultDetails.open(keys.forCampaign(r.campaign()), r.campaign(), r.uploadId(), r.row(), r.payload())
                        .fields();
        String file = uploads.find(r.uploadId()).map(Upload::originalName).orElse(r.uploadId());
        return new Held(r.recordId(), r.campaign(), file, r.row(), r.outcome(), r.reportedAt(), stage,
                r.batch().map(ResultStore.Batch::fileName), r.batch().flatMap(ResultStore.Batch::downloadedAt),
                fields);
    }
}
