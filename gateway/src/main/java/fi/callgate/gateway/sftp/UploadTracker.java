package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every upload from open to hand-off. An upload is complete only when the client CLOSEs its
 * handle without error: then it goes to {@link UploadIntake}, before the client gets its OK, so an OK
 * means the upload is durable. An upload written under a temporary name (WinSCP's {@code .filepart} and
 * the like) is parked at close and handed off when renamed to its final name. Whatever the session has
 * not handed off when it ends — a cut-off upload, an abandoned temporary file — is deleted, never processed.
 *
 * <p>Writes are checked before they happen: the size cap, no holes ({@link WrittenExtent}) and the
 * account's bytes in flight ({@link InFlightQuota}); an upload with a refused write is not accepted at its
 * close either, since it lacks bytes. After the hand-off the session that uploaded a name still sees it
 * for a while ({@link #closedBy}): checking clients stat what they have just written (rclone, paramiko's
 * {@code put}) and, told "no such file", retry — which made one list two or three uploads.
 */
public final class UploadTracker implements SftpEventListener {
    private static final Logger log = LoggerFactory.getLogger(UploadTracker.class);
    /** Suffixes clients use while uploading, to rename once done. */
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".filepart", ".part", ".partial", ".tmp",
            ".uploading");

    /** How many unwritten bytes below an upload's end are tolerated (pipelined writes arrive out of order). */
    static final long HOLE_ALLOWANCE = 16L * 1024 * 1024;
    /** How many just-closed names a session keeps seeing. */
    static final int CLOSED_REMEMBERED = 64;

    private final UploadIntake intake;
    private final AuditLog audit;
    private final long maxUploadBytes;
    private final InFlightQuota quota;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
    private final Map<ServerSession, Map<Path, ClosedUpload>> closed = new ConcurrentHashMap<>();

    public UploadTracker(UploadIntake intake, AuditLog audit, long maxUploadBytes, long maxBytesInFlightPerAccount) {
        this.intake = intake;
        this.audit = audit;
        this.maxUploadBytes = maxUploadBytes;
        this.quota = new InFlightQuota(maxBytesInFlightPerAccount);
    }

    /** An upload this session handed off: its size and when, for the session's own stat. */
    record ClosedUpload(long size, Instant at) {
    }

    /** One upload on the drop point. Its mutable parts are touched only by its session's SFTP thread. */
    private static final class Pending {
        final ServerSession session;
        final VirtualPath path;
        final SpoolCipher.EncryptingChannel channel;
        final WrittenExtent written = new WrittenExtent(HOLE_ALLOWANCE);
        volatile boolean parked;
        /** Why a write was refused; such an upload is not accepted at its close. */
        volatile String refused;
        /** Bytes counted against the account's quota: the upload's extent so far. */
        volatile long counted;

        Pending(ServerSession session, VirtualPath path, SpoolCipher.EncryptingChannel channel) {
            this.session = session;
            this.path = path;
            this.channel = channel;
        }
    }

    /** Called by the accessor when a write handle is opened. */
    void started(ServerSession session, Path local, VirtualPath path, SpoolCipher.EncryptingChannel channel) {
        pending.put(local.toAbsolutePath(), new Pending(session, path, channel));
    }

    @Override
    public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                        int dataOffset, int dataLen) throws IOException {
        Optional<Map.Entry<Path, Pending>> entry = find(session, localHandle.getFile());
        if (entry.isEmpty()) {
            return;
        }
        Pending p = entry.get().getValue();
        if (offset + dataLen > maxUploadBytes) {
            throw refuse(p, "upload larger than " + maxUploadBytes + " bytes",
                    "upload exceeds the maximum size of " + maxUploadBytes + " bytes");
        }
        String hole = p.written.refusal(offset, dataLen);
        if (hole != null) {
            throw refuse(p, "write would leave a hole", hole);
        }
        long grow = Math.max(p.written.end(), offset + dataLen) - p.counted;
        if (!quota.take(name(session), grow)) {
            throw refuse(p, "bytes in flight over the account's quota", "upload quota exceeded: an account may have"
                    + " at most " + quota.limit() + " bytes of unfinished uploads at once; finish or close others first");
        }
        p.counted += Math.max(grow, 0);
        p.written.record(offset, dataLen);
    }

    /** Refuses a write: audited, and the upload marked so that its close does not accept it. */
    private ClientMessages.Refusal refuse(Pending p, String audited, String told) {
        audit.record(AuditEvent.denied(name(p.session), SessionAccount.source(p.session), "sftp.write",
                p.path.toString(), audited));
        p.refused = told;
        return new ClientMessages.Refusal(p.path.toString(), told);
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown)
            throws IOException {
        if (!(localHandle instanceof FileHandle)) {
            return;
        }
        Optional<Map.Entry<Path, Pending>> entry = find(session, localHandle.getFile());
        if (entry.isEmpty()) {
            return;
        }
        Path local = entry.get().getKey();
        Pending p = entry.get().getValue();
        if (thrown != null) {
            discard(local, p, "write failed: " + thrown.getClass().getSimpleName());
            return;
        }
        if (p.refused != null) {
            discard(local, p, "a write was refused: " + p.refused);
            throw new ClientMessages.Refusal(p.path.toString(), "upload not accepted: " + p.refused);
        }
        String name = p.path.file().orElseThrow();
        if (isTemporaryName(name)) {
            p.parked = true;
            return;
        }
        handOff(local, p, name);
    }

    /** Is this file an upload of this session that is not handed off yet? */
    boolean isPendingFor(ServerSession session, Path local) {
        Pending p = pending.get(local.toAbsolutePath());
        return p != null && p.session == session;
    }

    /** An upload this session handed off under this name, if it is one of the last few. */
    Optional<ClosedUpload> closedBy(ServerSession session, Path local) {
        Map<Path, ClosedUpload> mine = closed.get(session);
        if (mine == null) {
            return Optional.empty();
        }
        synchronized (mine) {
            return Optional.ofNullable(mine.get(local.toAbsolutePath()));
        }
    }

    /** A parked upload renamed to its final name: hand it off under that name. */
    boolean completeRename(ServerSession session, Path from, VirtualPath to) throws IOException {
        Path key = from.toAbsolutePath();
        Pending p = pending.get(key);
        if (p == null || p.session != session || !p.parked) {
            return false;
        }
        handOff(key, p, to.file().orElseThrow());
        return true;
    }

    @Override
    public void destroying(ServerSession session) {
        pending.entrySet().stream().filter(e -> e.getValue().session == session).toList()
                .forEach(e -> discard(e.getKey(), e.getValue(), "session ended before the upload was closed"));
        closed.remove(session);
    }

    /** Write areas are cleared at start: anything there is a leftover of a crash mid-upload. */
    public static int clearLeftovers(Path sftpRoot) throws IOException {
        int removed = 0;
        if (!Files.isDirectory(sftpRoot)) {
            return 0;
        }
        try (var campaigns = Files.list(sftpRoot)) {
            for (Path c : (Iterable<Path>) campaigns::iterator) {
                for (String area : List.of("inbox", "results", "recordings")) {
                    Path dir = c.resolve(area);
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (var files = Files.list(dir)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(f);
                            removed++;
                        }
                    }
                }
            }
        }
        return removed;
    }

    private void handOff(Path local, Pending p, String finalName) throws IOException {
        pending.remove(local);
        quota.release(name(p.session), p.counted);
        p.channel.close();
        VirtualPath vp = p.path;
        Upload upload;
        try {
            upload = intake.accept(new UploadIntake.Arrival(vp.campaign().orElseThrow(), vp.area().orElseThrow(),
                    name(p.session), SessionAccount.source(p.session), finalName, local, p.channel.iv(),
                    p.channel.sha256()));
        } catch (IOException | RuntimeException e) {
            // The client is told the close failed; nothing half-received stays behind.
            log.error("hand-off of {} failed: {}", vp, e.toString());
            Files.deleteIfExists(local);
            audit.record(AuditEvent.failed(name(p.session), SessionAccount.source(p.session), "upload.received",
                    vp.toString(), "could not be stored: " + e.getClass().getSimpleName()));
            throw new IOException("upload could not be stored; please upload again", e);
        }
        remember(p.session, local.resolveSibling(finalName), new ClosedUpload(upload.sizeBytes(), upload.receivedAt()));
    }

    private void remember(ServerSession session, Path local, ClosedUpload c) {
        Map<Path, ClosedUpload> mine = closed.computeIfAbsent(session, s -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, ClosedUpload> eldest) {
                return size() > CLOSED_REMEMBERED;
            }
        });
        synchronized (mine) {
            mine.remove(local.toAbsolutePath());
            mine.put(local.toAbsolutePath(), c);
        }
        if (!session.isOpen()) {
            closed.remove(session); // ended meanwhile: destroying() has run already
        }
    }

    private void discard(Path local, Pending p, String why) {
        pending.remove(local);
        quota.release(name(p.session), p.counted);
        try {
            p.channel.close();
            Files.deleteIfExists(local);
        } catch (IOException e) {
            log.warn("could not delete partial upload {}: {}", local, e.toString());
        }
        audit.record(AuditEvent.failed(name(p.session), SessionAccount.source(p.session), "upload.discarded",
                p.path.toString(), why));
    }

    private Optional<Map.Entry<Path, Pending>> find(ServerSession session, Path handleFile) {
        String path = pathOf(handleFile);
        return pending.entrySet().stream()
                .filter(e -> e.getValue().session == session && !e.getValue().parked
                        && e.getValue().path.toString().equals(path))
                .findFirst();
    }

    private static String pathOf(Path rooted) {
        try {
            return VirtualPath.of(rooted).toString();
        } catch (IOException e) {
            return "";
        }
    }

    static boolean isTemporaryName(String name) {
        return temporarySuffixLength(name) > 0;
    }

    /** The length of the name's temporary suffix ({@code .filepart} …), 0 if it has none (all are ASCII). */
    static int temporarySuffixLength(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return TEMPORARY_SUFFIXES.stream().filter(lower::endsWith).mapToInt(String::length).max().orElse(0);
    }

    private static String name(ServerSession session) {
        return session.getUsername();
    }
}
