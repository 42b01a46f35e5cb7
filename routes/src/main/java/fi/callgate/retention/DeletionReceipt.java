package fi.callgate.retention;

import fi.callgate.audit.SafeText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The text of a deletion receipt (clear-signed by the gateway key before it is published). Rendered only
 * from what the run recorded in the database, so a run resumed after a kill renders the same text. It
 * names uploads by id, the controller's file name and the SHA-256 of the encrypted upload as received,
 * with counts; it never holds a record's content.
 */
public final class DeletionReceipt {
    static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DeletionReceipt() {
    }

    public static String fileName(String campaign, Instant at) {
        return "deletion-receipt-" + campaign + "-" + NAME_TIME.format(at) + ".txt.asc";
    }

    public static String render(String campaign, String runId, Instant openedAt, List<Dataset> datasets,
                                boolean keyDestroyed, String gatewayFingerprint) {
        StringBuilder t = new StringBuilder();
        t.append("Callgate deletion receipt\n");
        t.append("campaign: ").append(campaign).append('\n');
        t.append("run: ").append(runId).append('\n');
        t.append("started: ").append(openedAt).append('\n');
        Instant last = datasets.stream().flatMap(d -> d.shreddedAt().stream()).max(Instant::compareTo).orElse(openedAt);
        t.append("completed: ").append(last.isBefore(openedAt) ? openedAt : last).append('\n');
        TreeSet<String> reasons = new TreeSet<>();
        datasets.forEach(d -> reasons.add(d.reason().text()));
        if (keyDestroyed) {
            reasons.add(RetentionPolicy.Reason.CAMPAIGN_ENDED.text());
        }
        t.append("why: ").append(String.join(", ", reasons)).append('\n');
        long records = datasets.stream().mapToLong(Dataset::recordCount).sum();
        t.append("uploads destroyed: ").append(datasets.size()).append('\n');
        t.append("records destroyed: ").append(records).append('\n');
        t.append("campaign data key destroyed (crypto-shredded): ").append(keyDestroyed ? "yes" : "no").append('\n');
        t.append('\n');
        for (Dataset d : datasets) {
            t.append("upload ").append(d.uploadId()).append('\n');
            t.append("  file name: ").append(SafeText.of(d.originalName(), 512)).append('\n');
            t.append("  sha256 of the encrypted upload: ").append(d.sha256().orElse("not recorded")).append('\n');
            t.append("  received: ").append(d.receivedAt()).append('\n');
            t.append("  outcome at intake: ").append(d.accepted() ? "accepted" : "rejected").append('\n');
            t.append("  deadline: ").append(d.deadline()).append('\n');
            t.append("  why: ").append(d.reason().text()).append('\n');
            t.append("  records destroyed: ").append(d.recordCount()).append('\n');
            t.append("  files destroyed: ").append(d.filesDestroyed().isEmpty() ? "none" : d.filesDestroyed())
                    .append('\n');
            t.append("  destroyed at: ").append(d.shreddedAt().map(Instant::toString).orElse("-")).append('\n');
        }
        if (keyDestroyed) {
            t.append('\n').append("The campaign's data key was destroyed: every copy of its records, backups"
                    + " included, is now unreadable.\n");
        }
        t.append('\n').append("Signed by the Callgate gateway key ").append(gatewayFingerprint).append(".\n");
        return t.toString();
    }

    /**
     * The receipt of a data-subject erasure in one campaign: the request id, when, why, and how many records
     * of which uploads were destroyed. Names nobody: the request id is the controller's handle to ask
     * Callgate's supervisors about it.
     */
    public static String renderDsar(String campaign, String requestId, Instant erasedAt, List<String> uploadCounts,
                                    long records, Instant purgedBy, String gatewayFingerprint) {
        StringBuilder t = new StringBuilder();
        t.append("Callgate deletion receipt\n");
        t.append("campaign: ").append(campaign).append('\n');
        t.append("data-subject request: ").append(requestId).append('\n');
        t.append("completed: ").append(erasedAt).append('\n');
        t.append("why: ").append(RetentionPolicy.Reason.DSAR.text()).append('\n');
        t.append("records destroyed: ").append(records).append('\n');
        for (String u : uploadCounts) {
            t.append("  from upload ").append(u).append('\n');
        }
        t.append('\n').append("The records of one person were erased at their request, from the store, from dialer"
                + " lists not yet downloaded and from pending exports. The request id identifies the request;"
                + " this receipt holds no personal data.\n");
        t.append("The records were unreadable at once; their encrypted bytes and index entries are physically"
                + " removed from the record files by ").append(purgedBy).append(".\n");
        t.append('\n').append("Signed by the Callgate gateway key ").append(gatewayFingerprint).append(".\n");
        return t.toString();
    }
}
