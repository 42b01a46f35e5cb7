package fi.callgate.intake;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.domain.Area;
import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one upload-completion point. A closed upload is (1) forced to disk, (2) moved atomically out of the
 * client-visible folder into the spool under a name of ours, with the spool directory synced, (3)
 * recorded as an {@code upload} row in state RECEIVED, which is the durable hand-off, and (4) announced
 * to the subscribers (the pipeline). A crash after (2) but before (3) leaves an orphan spool file that
 * {@link #sweepOrphans()} removes at start; a crash after (3) is picked up again from the row.
 */
public final class UploadIntake {
    private static final Logger log = LoggerFactory.getLogger(UploadIntake.class);
    private final UploadStore uploads;
    private final AuditLog audit;
    private final SpoolCipher cipher;
    private final Path spoolDir;
    private final Clock clock;
    private final List<Consumer<Upload>> subscribers = new CopyOnWriteArrayList<>();

    public UploadIntake(UploadStore uploads, AuditLog audit, SpoolCipher cipher, Path spoolDir, Clock clock)
            throws IOException {
        this.uploads = uploads;
        this.audit = audit;
        this.cipher = cipher;
        this.spoolDir = spoolDir;
        this.clock = clock;
        Files.createDirectories(spoolDir);
    }

    /** What the drop point knows about a closed upload. */
    public record Arrival(String campaign, Area area, String account, String source, String originalName,
                          Path file, byte[] spoolIv, Optional<String> sha256) {
    }

    /** Stages subscribe here; each is called on the thread that accepted the upload, so keep it short. */
    public void subscribe(Consumer<Upload> subscriber) {
        subscribers.add(subscriber);
    }

    public Upload accept(Arrival arrival) throws IOException {
        String id = UUID.randomUUID().toString();
        Path target = spoolDir.resolve(id + ".up");
        try (FileChannel ch = FileChannel.open(arrival.file(), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        long size = Files.size(arrival.file());
        Files.move(arrival.file(), target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(spoolDir);
        syncDirectory(arrival.file().getParent());
        Upload upload = new Upload(id, arrival.campaign(), arrival.area(), arrival.account(),
                arrival.originalName(), target.getFileName().toString(), size, arrival.sha256(),
                arrival.spoolIv(), Upload.State.RECEIVED, clock.instant());
        uploads.insert(upload);
        audit.record(AuditEvent.ok(arrival.account(), arrival.source(), "upload.received",
                "/" + arrival.campaign() + "/" + arrival.area().folderName() + "/" + arrival.originalName(),
                "id=" + id + " size=" + size + " sha256=" + arrival.sha256().orElse("pending")));
        announce(upload);
        return upload;
    }

    /** Re-announces every upload not in a final state; called once the pipeline is up after a start. */
    public int resumeUnfinished() {
        List<Upload> pending = uploads.unfinished();
        pending.forEach(this::announce);
        if (!pending.isEmpty()) {
            log.info("resumed {} unfinished upload(s)", pending.size());
        }
        return pending.size();
    }

    /**
     * Clears the spool after a crash: upload files with no row (the crash hit between the move and the
     * insert) or whose upload is already final (it hit before the file was destroyed), and the pipeline's
     * sealed intermediates that belong to no stage any more. Runs at start, before the pipeline.
     */
    public int sweepOrphans() throws IOException {
        int removed = 0;
        try (var files = Files.list(spoolDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'));
                Optional<Upload> upload = uploads.find(id);
                boolean keep = upload.isPresent() && switch (name.substring(id.length())) {
                    case ".up" -> !upload.get().state().isFinal();
                    case ".plain" -> upload.get().state() == Upload.State.DECRYPTED;
                    default -> false;
                };
                if (!keep) {
                    FileShredder.shred(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** The original bytes of a spooled upload (the spool itself holds them encrypted). */
    public InputStream open(Upload upload) throws IOException {
        return cipher.openForRead(spoolDir.resolve(upload.spoolName()), upload.spoolIv());
    }

    /** The original bytes of a spooled upload, seekable (for archives; still the client's own ciphertext). */
    public java.nio.channels.SeekableByteChannel openSeekable(Upload upload) throws IOException {
        return cipher.openSeekable(spoolDir.resolve(upload.spoolName()), upload.spoolIv());
    }

    /** SHA-256 of the original upload, computed now if the client wrote out of order. */
    public String sha256(Upload upload) throws IOException {
        if (upload.sha256().isPresent()) {
            return upload.sha256().get();
        }
        try (InputStream in = new DigestInputStream(open(upload), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String hex = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            uploads.setSha256(upload.id(), hex);
            return hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    public Path spoolFile(Upload upload) {
        return spoolDir.resolve(upload.spoolName());
    }

    private void announce(Upload upload) {
        for (Consumer<Upload> s : subscribers) {
            try {
                s.accept(upload);
            } catch (RuntimeException e) {
                // The row stays unfinished and is retried at the next start; never fail the client's close.
                log.error("upload {}: subscriber failed: {}", upload.id(), e.toString());
            }
        }
    }

    /** After a rename, the directory entry itself must reach the disk, or a crash can undo the move. */
    static void syncDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
