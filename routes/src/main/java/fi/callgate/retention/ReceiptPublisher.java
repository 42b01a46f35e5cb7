package fi.callgate.retention;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.crypto.ClearSigner;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpException;
import fi.callgate.domain.Area;
import fi.callgate.files.AtomicFiles;
import fi.callgate.publish.StorageGuard;
import fi.callgate.store.CampaignFolders;
import fi.callgate.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Publishes one deletion receipt: clear-signed by the gateway key, written atomically into the campaign's
 * outbox under a name fixed beforehand by the caller, then audited ({@code retention.receipt}) with its
 * SHA-256. Shared by the shredder and data-subject erasures so there is one way a receipt gets out.
 * Idempotent: the audit entry and a {@code deletion_receipt} row commit in one transaction, and an existing
 * row means the file is already out and audited, so nothing is written again (a resumed run never issues a
 * second receipt). A kill between the atomic publication and that commit leaves no row: the re-run signs and
 * publishes the same name again (replacing the file, same text) and then audits it once. Counting ({@code callgate_deletion_receipts_total})
 * is the caller's, once per receipt.
 */
public final class ReceiptPublisher {
    private final CampaignFolders folders;
    private final GatewayKey gatewayKey;
    private final StorageGuard storage;
    private final AuditLog audit;
    private final Database db;
    private final Clock clock;

    public ReceiptPublisher(CampaignFolders folders, GatewayKey gatewayKey, StorageGuard storage, AuditLog audit,
                            Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.folders = folders;
        this.gatewayKey = gatewayKey;
        this.storage = storage;
        this.audit = audit;
    }

    public String gatewayFingerprint() {
        return gatewayKey.fingerprint();
    }

    /** The audit target of a receipt. */
    public static String target(String campaign, String fileName) {
        return "/" + campaign + "/outbox/" + fileName;
    }

    /** Was this receipt published (and audited) already? */
    public boolean published(String campaign, String fileName) {
        return db.withHandle(h -> h.createQuery("SELECT 1 FROM deletion_receipt WHERE target = ?")
                .bind(0, target(campaign, fileName)).mapTo(Integer.class).findFirst()).isPresent();
    }

    /** Does a file of this name exist in the campaign's outbox? */
    public boolean exists(String campaign, String fileName) {
        return Files.exists(folders.area(campaign, Area.OUTBOX).resolve(fileName));
    }

    /**
     * Signs and publishes {@code text}; {@code auditDetail} (no personal data) is appended to the audit entry.
     *
     * @param tmpTag     unique per receipt, names the hidden temporary file
     * @param afterWrite called between the write and the audit entry (fault injection)
     * @return the SHA-256 of the published file, or empty if it had been published before
     */
    public Optional<String> publish(String campaign, String fileName, String text, String tmpTag, String auditDetail,
                                    Runnable afterWrite) throws IOException, PgpException {
        String target = target(campaign, fileName);
        if (published(campaign, fileName)) {
            return Optional.empty();
        }
        String signed = ClearSigner.clearSign(text, gatewayKey);
        Path outbox = folders.area(campaign, Area.OUTBOX);
        Files.createDirectories(outbox);
        Path file = outbox.resolve(fileName);
        Path tmp = outbox.resolve(".tmp-" + tmpTag + ".receipt");
        storage.checkWrite(file);
        Files.writeString(tmp, signed, StandardCharsets.UTF_8);
        AtomicFiles.publish(tmp, file);
        afterWrite.run();
        String sha = Shredder.sha256(signed.getBytes(StandardCharsets.UTF_8));
        audit.record(AuditEvent.ok("callgate", null, "retention.receipt", target, "file=" + fileName
                + " sha256=" + sha + " " + auditDetail), h -> h.createUpdate("INSERT INTO deletion_receipt(target, audited_at) VALUES (?, ?)")
                        .bind(0, target).bind(1, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute());
        return Optional.of(sha);
    }
}
