package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Agreements;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.nio.file.Path;
import java.time.Clock;

/** What the intake stages share; built once by the composition root. */
public record IntakeContext(UploadStore uploads, UploadIntake intake, CampaignStore campaigns,
                            CampaignKeyStore campaignKeys, RecordStore records, UploadReportStore reports,
                            CampaignFolders folders, GatewayKey gatewayKey, StorageGuard storage, AuditLog audit,
                            CallgateMetrics metrics, Checkpoints checkpoints, Path spoolDir, Clock clock,
                            Agreements agreements) {

    /** Where the decrypt stage leaves the (sealed) plaintext for the validate stage. */
    public Path plaintextFile(String uploadId) {
        return spoolDir.resolve(uploadId + ".plain");
    }
}
