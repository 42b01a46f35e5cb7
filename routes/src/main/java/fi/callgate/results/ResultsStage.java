package fi.callgate.results;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.blocklist.BlockList;
import fi.callgate.domain.Area;
import fi.callgate.domain.PhoneNumber;
import fi.callgate.files.FileShredder;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import fi.callgate.intake.UploadStore;
import fi.callgate.publish.PlainReport;
import fi.callgate.intake.StageMdc;
import fi.callgate.publish.StorageGuard;
import fi.callgate.retention.RetentionEvents;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.Checkpoints;
import fi.callgate.store.DataKey;
import fi.callgate.store.RecordStore;
import fi.callgate.store.UploadReportStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one results upload in two recorded steps, like the intake stages:
 * <ol>
 * <li>RECEIVED → STORED: parse and validate, then store the accepted rows (details sealed under the
 * campaign key), the report and the new state in one transaction. A crash before the commit leaves
 * nothing, and the file is processed again; after it, step 1 is skipped — so each file's results are
 * stored exactly once.</li>
 * <li>STORED → ACCEPTED (or REJECTED for an unreadable file): apply the call bans to the block list
 * (which re-publishes lists not yet downloaded), touch the campaign's last activity, tell retention about
 * lists now called through, publish {@code /<campaign>/reports/<name>.report.csv} atomically, destroy the
 * spooled file, close the upload. Every part is idempotent, so a re-run after a crash repeats it safely.</li>
 * </ol>
 */
public final class ResultsStage {
    private static final Logger log = LoggerFactory.getLogger(ResultsStage.class);
    private final RecordStore records;
    private final PlainReport plainReport;
    private final UploadStore uploads;
    private final StorageGuard storage;
    private final Path spoolDir;
    private final Checkpoints checkpoints;
    private final UploadIntake intake;
    private final CampaignKeyStore campaignKeys;
    private final Clock clock;
    private final UploadReportStore reports;
    private final AuditLog audit;
    private final CampaignStore campaigns;
    private final ResultStore results;
    private final BlockList blockList;
    private final RetentionEvents retention;
    private final ResultValidator validator;

    public ResultsStage(RecordStore records, UploadStore uploads, StorageGuard storage, Path spoolDir,
                        Checkpoints checkpoints, UploadIntake intake, CampaignKeyStore campaignKeys, Clock clock,
                        UploadReportStore reports, AuditLog audit, CampaignStore campaigns, ResultStore results,
                        BlockList blockList, RetentionEvents retention, PlainReport plainReport) {
        this.plainReport = plainReport;
        this.records = records;
        this.uploads = uploads;
        this.storage = storage;
        this.spoolDir = spoolDir;
        this.checkpoints = checkpoints;
        this.intake = intake;
        this.campaignKeys = campaignKeys;
        this.clock = clock;
        this.reports = reports;
        this.audit = audit;
        this.campaigns = campaigns;
        this.results = results;
        this.blockList = blockList;
        this.retention = retention;
        this.validator = new ResultValidator(records);
    }

    public void run(String uploadId) throws IOException {
        try (StageMdc mdc = StageMdc.enter("results", uploadId)) {
            Upload upload = uploads.find(uploadId).orElseThrow();
            StageMdc.describe(upload);
            if (upload.area() != Area.RESULTS) {
                return;
            }
            if (!upload.state().isFinal()) {
                storage.checkWrite(spoolDir.resolveSibling("db")); // before either step writes
            }
            if (upload.state() == Upload.State.RECEIVED) {
                store(upload);
                checkpoints.reached("results-store", uploadId);
                upload = uploads.find(uploadId).orElseThrow();
            }
            if (upload.state() == Upload.State.STORED) {
                apply(upload);
                checkpoints.reached("results-report", uploadId);
            }
        }
    }

    private void store(Upload upload) throws IOException {
        ResultsReport report = new ResultsReport();
        List<ResultStore.NewResult> rows = new ArrayList<>();
        DataKey[] key = new DataKey[1]; // fetched at the first accepted row that needs sealing
        try (InputStream in = intake.open(upload)) {
            ResultsFile.read(in, report::note, row -> {
                ResultValidator.Checked checked = validator.check(row, upload.campaign());
                String id = row.get("record_id");
                String shownId = ResultValidator.RECORD_ID.matcher(id).matches() ? id : "";
                if (checked.accepted() == null) {
                    report.rejected(row.number(), shownId, checked.reason());
                    return;
                }
                ResultValidator.Accepted a = checked.accepted();
                a.warnings().forEach(w -> report.warning(row.number(), shownId, w));
                report.accepted(a.outcome());
                if (a.details() != null && key[0] == null) {
                    key[0] = campaignKeys.forCampaign(upload.campaign());
                }
                byte[] sealed = a.details() == null ? null
                        : a.details().seal(key[0], upload.campaign(), upload.id(), a.row());
                rows.add(new ResultStore.NewResult(a.row(), a.recordId(), a.listUploadId(), a.outcome(), sealed));
            });
        } catch (ResultsFile.Unreadable e) {
            // Refused whole (found while streaming): rows read before the refusal are not kept.
            ResultsReport refused = new ResultsReport();
            refused.fileRejected(e.getMessage());
            results.store(upload.id(), upload.campaign(), List.of(), new ResultStore.Report(false, e.code,
                    refused.acceptedCount(), refused.rejectedCount(), refused.render()), clock.instant());
            return;
        }
        results.store(upload.id(), upload.campaign(), rows, new ResultStore.Report(true, null,
                report.acceptedCount(), report.rejectedCount(), report.render()), clock.instant());
    }

    private void apply(Upload upload) throws IOException {
        var outcome = reports.find(upload.id()).orElseThrow();
        List<ResultStore.Stored> bans = results.bansOf(upload.id());
        if (!bans.isEmpty()) {
            DataKey key = campaignKeys.forCampaign(upload.campaign());
            Set<PhoneNumber> phones = new LinkedHashSet<>();
            for (ResultStore.Stored b : bans) {
                if (b.payload() != null) {
                    phones.add(new PhoneNumber(ResultDetails.open(key, upload.campaign(), upload.id(), b.row(),
                            b.payload()).get("phone")));
                }
            }
            // The block list's listener re-publishes every list not yet downloaded that holds one of them.
            int added = blockList.add(phones, "results:" + upload.account());
            audit.record(AuditEvent.ok(upload.account(), null, "blocklist.callban",
                    "/" + upload.campaign() + "/results/" + upload.originalName(),
                    "id=" + upload.id() + " bans=" + phones.size() + " added=" + added));
        }
        if (outcome.rowsAccepted() > 0) {
            campaigns.touch(upload.campaign());
        }
        int calledThrough = 0;
        for (String list : results.listsOf(upload.id())) {
            if (openRecords(list) == 0 && retention.calledThrough(list)) {
                calledThrough++;
                audit.record(AuditEvent.ok("callgate", null, "list.called-through", "upload:" + list,
                        "by results upload " + upload.id()));
            }
        }
        String reportName = plainReport.publish(upload, outcome.csv());
        FileShredder.shred(intake.spoolFile(upload));
        // The audit entry goes in BEFORE the final state (the other order lost the entry for good when a kill
        // fell between the state change and the audit; found by the lifecycle crash harness). The entry and
        // upload.audited_at commit in one transaction, so a resumed run reads the column — never the audit
        // log — and writes the entry exactly once.
        String target = "/" + upload.campaign() + "/results/" + upload.originalName();
        if (!uploads.audited(upload.id())) {
            audit.record(new AuditEvent(upload.account(), null, "results.processed", target,
                    outcome.accepted() ? AuditEvent.Outcome.OK : AuditEvent.Outcome.DENIED,
                    "id=" + upload.id() + " rows_accepted=" + outcome.rowsAccepted() + " rows_rejected="
                            + outcome.rowsRejected() + " call_bans=" + bans.size() + " called_through=" + calledThrough
                            + (outcome.reasonCode() == null ? "" : " reason=" + outcome.reasonCode())
                            + " report=" + reportName), uploads.markAudited(upload.id(), clock.instant()));
        }
        checkpoints.reached("results-audited", upload.id());
        Upload.State last = outcome.accepted() ? Upload.State.ACCEPTED : Upload.State.REJECTED;
        uploads.updateState(upload.id(), last, outcome.reasonCode(), clock.instant());
        log.info("results upload {}: {} row(s) accepted, {} rejected", upload.id(), outcome.rowsAccepted(),
                outcome.rowsRejected());
    }


    /**
     * Records of the list still to be called: no final outcome yet and a phone not on the block list (a
     * blocked number never reached the dialer, so it will never get an outcome).
     */
    private long openRecords(String listUploadId) {
        java.util.Set<String> done = new java.util.HashSet<>(results.finalRecordIds(listUploadId));
        done.addAll(records.idsWithPhones(listUploadId, results.blockedPhoneHashes()));
        return Math.max(0, records.liveCount(listUploadId) - done.size());
    }
}
