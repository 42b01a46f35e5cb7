package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Party;
import fi.callgate.agreement.SupplierGrant;
import fi.callgate.crypto.ControllerKey;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpDecryptException;
import fi.callgate.crypto.PgpDecryptor;
import fi.callgate.domain.Campaign;
import fi.callgate.files.AtomicFiles;
import fi.callgate.files.SealedSpool;
import fi.callgate.intake.StageMdc;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.files.FileShredder;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage "decrypt": the upload's OpenPGP message is decrypted with the gateway key, streaming, straight
 * into a file sealed under the campaign's data key (never plaintext on disk, never whole in memory). The
 * signature is checked against the campaign's controller key when the campaign requires it. Only a
 * complete, verified decryption is kept (temporary name, then rename); any refusal decides the upload's
 * outcome at once: rejected, with the reason for the controller.
 */
public final class DecryptStage {
    private static final Logger log = LoggerFactory.getLogger(DecryptStage.class);
    private final UploadStore uploads;
    private final UploadIntake intake;
    private final CampaignStore campaigns;
    private final CampaignKeyStore campaignKeys;
    private final Agreements agreements;
    private final GatewayKey gatewayKey;
    private final UploadReportStore reports;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final PgpDecryptor decryptor;
    private final ArchiveIntake archives;
    private final DecryptLimits limits;

    public DecryptStage(UploadStore uploads, UploadIntake intake, CampaignStore campaigns, CampaignKeyStore campaignKeys,
                        Agreements agreements, GatewayKey gatewayKey, UploadReportStore reports, StorageGuard storage,
                        Path spoolDir, Checkpoints checkpoints, Clock clock, DecryptLimits limits) {
        this.uploads = uploads;
        this.intake = intake;
        this.campaigns = campaigns;
        this.campaignKeys = campaignKeys;
        this.agreements = agreements;
        this.gatewayKey = gatewayKey;
        this.reports = reports;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.decryptor = new PgpDecryptor(clock);
        this.archives = new ArchiveIntake(intake, agreements, campaignKeys);
        this.limits = limits;
    }

    /** Where the decrypt stage leaves the (sealed) plaintext of an upload for the validate stage. */
    static Path plaintextFile(Path spoolDir, String uploadId) {
        return spoolDir.resolve(uploadId + ".plain");
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("decrypt", uploadId)) {
            process(uploadId);
        }
    }

    private void process(String uploadId) throws IOException {
        Upload upload = uploads.find(uploadId).orElseThrow();
        StageMdc.describe(upload);
        if (upload.state() != Upload.State.RECEIVED) {
            return;
        }
        Path done = plaintextFile(spoolDir, uploadId);
        Path tmp = done.resolveSibling(uploadId + ".plain.tmp");
        storage.checkWrite(tmp); // before the first write of this stage, the upload's hash row included
        // Receipts name each upload by its SHA-256; a client that wrote out of order left it to compute here.
        String sha256 = intake.sha256(upload);
        // A client's retry or re-check sends the same bytes again: decided here, before anything is stored.
        Optional<Upload> original = uploads.claimContent(upload, sha256);
        checkpoints.reached("content-claimed", uploadId);
        if (original.isPresent()) {
            decide(upload, RepeatedUpload.report(upload, original.get()));
            return;
        }
        Optional<Campaign> campaign = campaigns.find(upload.campaign());
        if (campaign.isEmpty() || !campaign.get().isActive()) {
            decide(upload, UploadReport.rejected(upload.originalName(), "CAMPAIGN_NOT_ACTIVE",
                    "the campaign is not active; uploads are no longer accepted"));
            return;
        }
        Party sender = agreements.partyOf(upload.campaign(), upload.account());
        if (!sender.isController()) {
            // A supplier's list is accepted only while its agreement stands; its provenance is fixed now.
            Optional<SupplierGrant> grant = agreements.store().supplierGrant(upload.campaign(), upload.account());
            if (grant.isEmpty() || !grant.get().isActive()) {
                decide(upload, UploadReport.rejected(upload.originalName(), "SUPPLIER_AGREEMENT_ENDED",
                        "the supplier's agreement for this campaign has ended; lists are no longer accepted from it"));
                return;
            }
            agreements.store().recordProvenance(uploadId,
                    agreements.provenanceNow(upload.campaign(), upload.account()).orElseThrow());
        }
        // The dispatch point of the agreed method: a 7z/zip archive goes to the archive path (aes-zip
        // agreements); everything else is read as OpenPGP, which any party may send to the gateway key.
        if (archives.isArchive(upload)) {
            Optional<UploadReport> refused = archives.decrypt(upload, sender, tmp, "plaintext:" + uploadId, limits);
            if (refused.isPresent()) {
                decide(upload, refused.get());
            } else {
                published(uploadId, tmp, done);
            }
            return;
        }
        Optional<ControllerKey> signer = Optional.empty();
        if (campaign.get().requireSignature()) {
            signer = sender.isController() ? ControllerKeys.of(campaign.get(), clock.instant())
                    : ControllerKeys.ofSupplier(agreements, sender, clock.instant());
            if (signer.isEmpty()) {
                decide(upload, UploadReport.rejected(upload.originalName(), "NO_CONTROLLER_KEY",
                        "the campaign requires signed lists but has no usable controller key"));
                return;
            }
        }
        String context = "plaintext:" + uploadId;
        try (InputStream encrypted = intake.open(upload);
             OutputStream sealed = SealedSpool.writer(tmp, campaignKeys.forCampaign(upload.campaign()), context)) {
            var result = decryptor.decrypt(encrypted, gatewayKey, signer, limits,
                    (plaintext, name) -> plaintext.transferTo(sealed));
            log.info("upload {} decrypted: {} -> {} bytes, {} {}, signer {}", uploadId, result.ciphertextBytes(),
                    result.plaintextBytes(), result.symmetricAlgorithm(), result.compression(),
                    result.verifiedSignerFingerprint().orElse("not required"));
        } catch (PgpDecryptException e) {
            FileShredder.shred(tmp);
            decide(upload, UploadReport.rejected(upload.originalName(), e.failure().name(), e.getMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            FileShredder.shred(tmp);
            throw e;
        }
        published(uploadId, tmp, done);
    }

    /** Forced and renamed with the folder synced: the DECRYPTED state must never outlive its file. */
    private void published(String uploadId, Path tmp, Path done) throws IOException {
        AtomicFiles.publish(tmp, done);
        uploads.updateState(uploadId, Upload.State.DECRYPTED, null, clock.instant());
    }

    /** A refused file: its outcome is decided, nothing was stored; the report stage tells the controller. */
    private void decide(Upload upload, UploadReport report) {
        reports.save(upload.id(), new UploadReportStore.Outcome(false, report.reasonCode(), 0, 0, report.csv()));
        uploads.updateState(upload.id(), Upload.State.VALIDATED, report.reasonCode(), clock.instant());
    }
}
