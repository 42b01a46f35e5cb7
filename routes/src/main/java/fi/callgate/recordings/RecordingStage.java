package fi.callgate.recordings;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Envelope;
import fi.callgate.agreement.Envelopes;
import fi.callgate.agreement.Party;
import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.csv.CsvCell;
import fi.callgate.domain.Area;
import fi.callgate.domain.Campaign;
import fi.callgate.files.AtomicFiles;
import fi.callgate.files.FileShredder;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.metrics.CallgateMetrics;
import fi.callgate.publish.OutboxFile;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.RecordStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage "recording": a recording a supervisor uploaded to {@code /<campaign>/recordings}. It arrived sealed
 * in the spool (as every upload does); here it is checked — a recordings agreement, a name
 * {@code <record_id>[-suffix].<ext>} of a record of the campaign, audio content of that type — and streamed
 * from the spool straight into the controller's envelope in its outbox, so the audio never rests
 * unencrypted. A refusal is answered with {@code /<campaign>/reports/<name>.report.csv} (no personal data).
 */
public final class RecordingStage {
    private static final Logger log = LoggerFactory.getLogger(RecordingStage.class);
    /** Record ids are 26 base32 characters; the suffix tells several recordings of one call apart. */
    private static final Pattern NAME = Pattern.compile("([a-z2-7]{26})(-[A-Za-z0-9_]{1,40})?\\.([A-Za-z0-9]{2,4})");
    private final Agreements agreements;
    private final CampaignStore campaigns;
    private final GatewayKey gatewayKey;
    private final Clock clock;
    private final UploadStore uploads;
    private final AuditLog audit;
    private final CallgateMetrics metrics;
    private final UploadIntake intake;
    private final RecordStore records;
    private final CampaignFolders folders;
    private final StorageGuard storage;
    private final RecordingStore store;
    private final Envelopes envelopes;

    public RecordingStage(Agreements agreements, CampaignStore campaigns, GatewayKey gatewayKey, Clock clock,
                          UploadStore uploads, AuditLog audit, CallgateMetrics metrics, UploadIntake intake,
                          RecordStore records, CampaignFolders folders, StorageGuard storage, RecordingStore store) {
        this.agreements = agreements;
        this.campaigns = campaigns;
        this.gatewayKey = gatewayKey;
        this.clock = clock;
        this.uploads = uploads;
        this.audit = audit;
        this.metrics = metrics;
        this.intake = intake;
        this.records = records;
        this.folders = folders;
        this.storage = storage;
        this.store = store;
        this.envelopes = new Envelopes(agreements, campaigns, gatewayKey, clock);
    }

    /** Why a recording is not delivered; the supervisor reads it in the report. */
    private static final class Refused extends Exception {
        final String code;

        Refused(String code, String why) {
            super(why);
            this.code = code;
        }
    }

    public void run(String uploadId) throws IOException {
        Upload upload = uploads.find(uploadId).orElseThrow();
        if (upload.state().isFinal()) {
            return;
        }
        String target = "/" + upload.campaign() + "/recordings/" + upload.originalName();
        try {
            String file = deliver(upload);
            audit.record(AuditEvent.ok(upload.account(), null, "recording.delivered", target,
                    "id=" + uploadId + " outbox=" + file + " size=" + upload.sizeBytes()));
            metrics.recordingsDelivered().increment();
            FileShredder.shred(intake.spoolFile(upload));
            uploads.updateState(uploadId, Upload.State.ACCEPTED, null, clock.instant());
        } catch (Refused r) {
            report(upload, r);
            FileShredder.shred(intake.spoolFile(upload));
            audit.record(AuditEvent.denied(upload.account(), null, "recording.refused", target,
                    "id=" + uploadId + " reason=" + r.code));
            uploads.updateState(uploadId, Upload.State.REJECTED, r.code, clock.instant());
        }
    }

    private String deliver(Upload upload) throws Refused, IOException {
        Optional<RecordingStore.Delivered> earlier = store.ofUpload(upload.id());
        Campaign campaign = campaigns.find(upload.campaign()).filter(Campaign::isActive)
                .orElseThrow(() -> new Refused("CAMPAIGN_NOT_ACTIVE", "the campaign is not active"));
        if (campaigns.recordingsAgreement(campaign.id()).isEmpty()) {
            throw new Refused("NO_RECORDINGS_AGREEMENT", "the campaign has no recordings agreement");
        }
        Matcher m = NAME.matcher(upload.originalName());
        if (!m.matches() || !AudioFormat.isKnownExtension(m.group(3))) {
            throw new Refused("BAD_NAME", "name a recording <record_id>[-suffix].wav|mp3|ogg|opus|flac");
        }
        String recordId = m.group(1);
        if (records.findInCampaign(recordId, campaign.id()).isEmpty()) {
            throw new Refused("UNKNOWN_RECORD", "no record " + recordId + " in this campaign");
        }
        byte[] head;
        try (InputStream in = intake.open(upload)) {
            head = in.readNBytes(AudioFormat.HEAD);
        }
        AudioFormat format = AudioFormat.sniff(head).filter(f -> f.hasExtension(m.group(3)))
                .orElseThrow(() -> new Refused("NOT_AUDIO", "the content is not " + m.group(3).toLowerCase(java.util.Locale.ROOT)
                        + " audio (WAV, MP3, Ogg/Opus and FLAC are accepted, recognised by their content)"));
        Envelope envelope = envelopes.forParty(Party.controller(campaign.id()))
                .orElseThrow(() -> new Refused("NO_CONTROLLER_KEY", "the controller has no usable key or passphrase"));
        String name = earlier.map(RecordingStore.Delivered::fileName).orElseGet(() -> {
            String plain = upload.originalName() + envelope.suffix();
            String chosen = store.fileNameTaken(campaign.id(), plain)
                    || Files.exists(folders.area(campaign.id(), Area.OUTBOX).resolve(plain))
                    ? upload.id().substring(0, 8) + "-" + plain : plain;
            store.insert(upload.id(), campaign.id(), recordId, chosen, format, upload.sizeBytes());
            return chosen;
        });
        try (InputStream audio = intake.open(upload)) {
            OutboxFile.publish(storage, folders.area(campaign.id(), Area.OUTBOX), name, ".tmp-" + upload.id()
                    + ".recording", envelope, audio);
        }
        log.info("recording {} delivered to the outbox of {} as {}", upload.id(), campaign.id(), name);
        return name;
    }

    private void report(Upload upload, Refused r) throws IOException {
        Path reports = folders.area(upload.campaign(), Area.REPORTS);
        Files.createDirectories(reports);
        Path target = reports.resolve(upload.originalName() + ".report.csv");
        Path tmp = reports.resolve(".tmp-" + upload.id() + ".report");
        storage.checkWrite(target);
        String csv = "field;value\nrecording;" + CsvCell.quote(upload.originalName()) + "\noutcome;refused\nreason;"
                + r.code + "\nexplanation;" + CsvCell.quote(r.getMessage())
                + "\nnote;nothing was delivered; the upload has been destroyed\n";
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        AtomicFiles.publish(tmp, target);
    }
}
