package fi.callgate.recordings;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.Area;
import fi.callgate.store.CampaignFolders;
import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings in controllers' outboxes: their download clock, the outbox housekeeping (removed
 * {@code keepAfterDownload} after download, {@code maxAge} after delivery at the latest: Callgate is not the
 * recordings' archive), and data-subject requests (listed while held, removed on erasure).
 */
public final class Recordings {
    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    private final RecordingStore store;
    private final CampaignFolders folders;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration keepAfterDownload;
    private final Duration maxAge;

    public Recordings(RecordingStore store, CampaignFolders folders, AuditLog audit, Clock clock,
                      Duration keepAfterDownload, Duration maxAge) {
        this.store = store;
        this.folders = folders;
        this.audit = audit;
        this.clock = clock;
        this.keepAfterDownload = keepAfterDownload;
        this.maxAge = maxAge;
    }

    public RecordingStore store() {
        return store;
    }

    /** The controller read an outbox file whole (from the SFTP read auditor). */
    public void downloaded(String campaign, String fileName) {
        if (store.downloaded(campaign, fileName, clock.instant())) {
            log.info("recording {} of campaign {} downloaded by the controller", fileName, campaign);
        }
    }

    /** When a held recording is removed. */
    public Instant deadline(RecordingStore.Delivered d) {
        Instant cap = d.deliveredAt().plus(maxAge);
        return d.downloadedAt().map(t -> t.plus(keepAfterDownload)).filter(t -> t.isBefore(cap)).orElse(cap);
    }

    /** Removes every recording past its deadline; returns how many. */
    public synchronized int housekeeping() {
        Instant now = clock.instant();
        int n = 0;
        for (RecordingStore.Delivered d : store.held()) {
            if (deadline(d).isAfter(now)) {
                continue;
            }
            String reason = d.downloadedAt().isPresent() && d.downloadedAt().get().plus(keepAfterDownload)
                    .isBefore(d.deliveredAt().plus(maxAge)) ? "downloaded" : "max-age";
            if (remove(d, reason)) {
                n++;
            }
        }
        return n;
    }

    /** For {@code dsar find}: the recordings of these records still held. */
    public List<RecordingStore.Delivered> heldFor(Collection<String> recordIds) {
        return store.heldFor(recordIds);
    }

    /** For {@code dsar erase}: removes the recordings of these records; idempotent. */
    public int erase(Collection<String> recordIds) {
        int n = 0;
        for (RecordingStore.Delivered d : store.heldFor(recordIds)) {
            if (remove(d, "dsar")) {
                n++;
            }
        }
        return n;
    }

    public long awaitingDownload() {
        return store.awaitingDownload();
    }

    public double oldestAwaitingSeconds() {
        return store.oldestAwaitingDownload().map(t -> (double) Duration.between(t, clock.instant()).toSeconds())
                .orElse(0.0);
    }

    private boolean remove(RecordingStore.Delivered d, String reason) {
        String path = "/" + d.campaign() + "/outbox/" + d.fileName();
        try {
            FileShredder.shred(folders.area(d.campaign(), Area.OUTBOX).resolve(d.fileName()));
            store.removed(d.uploadId(), reason, clock.instant());
            audit.record(AuditEvent.ok("callgate", null, "recording.removed", path, "reason=" + reason));
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("removing recording {} failed, retried at the next run: {}", path, e.toString());
            return false;
        }
    }
}
