package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.intake.UploadIntake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class UploadTracker implements SftpEventListener {
    private static final Logger log = LoggerFactory.getLogger(UploadTracker.class);
    /** Suffixes clients use while uploading, to rename once done. */
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".filepart", ".part", ".partial", ".tmp",
            ".uploading");

    private final UploadIntake intake;
    private final AuditLog audit;
    private final long maxUploadBytes;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();

    public UploadTracker(UploadIntake intake, AuditLog audit, long maxUploadBytes) {
        this.intake = intake;
        this.audit = audit;
        this.maxUploadBytes = maxUploadBytes;
    }

    private record Pending(ServerSession session, VirtualPath path, SpoolCipher.EncryptingChannel channel,
                           boolean parked, boolean tooLarge) {
        Pending park() {
            return new Pending(session, path, channel, true, tooLarge);
        }

        Pending refuse() {
            return new Pending(session, path, channel, parked, true);
        }
    }

    /** Called by the accessor when a write handle is opened. */
    void started(ServerSession session, Path local, VirtualPath path, SpoolCipher.EncryptingChannel channel) {
        pending.put(local.toAbsolutePath(), new Pending(session, path, channel, false, false));
    }

    @Override
    public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                        int dataOffset, int dataLen) throws IOException {
        if (offset + dataLen > maxUploadBytes) {
            audit.record(AuditEvent.denied(name(session), SessionAccount.source(session), "sftp.write",
                    localHandle.getFile().toString(), "upload larger than " + maxUploadBytes + " bytes"));
            // The client may go on and CLOSE the handle: what was written so far is then not an upload.
            find(session, localHandle.getFile()).ifPresent(e -> pending.put(e.getKey(), e.getValue().refuse()));
            throw new IOException("upload exceeds the maximum size of " + maxUploadBytes + " bytes");
        }
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
        if (p.tooLarge()) {
            discard(local, p, "upload larger than " + maxUploadBytes + " bytes");
            throw new IOException("upload exceeds the maximum size of " + maxUploadBytes + " bytes; not accepted");
        }
        String name = p.path().file().orElseThrow();
        if (isTemporaryName(name)) {
            pending.put(local, p.park());
            return;
        }
        handOff(local, p, name);
    }

    /** Is this file an upload of this session that is not handed off yet? */
    boolean isPendingFor(ServerSession session, Path local) {
        Pending p = pending.get(local.toAbsolutePath());
        return p != null && p.session() == session;
    }

    /** A parked upload renamed to its final name: hand it off under that name. */
    boolean completeRename(ServerSession session, Path from, VirtualPath to) throws IOException {
        Path key = from.toAbsolutePath();
        Pending p = pending.get(key);
        if (p == null || p.session() != session || !p.parked()) {
            return false;
        }
        handOff(key, p, to.file().orElseThrow());
        return true;
    }

    @Override
    public void destroying(ServerSession session) {
        pending.entrySet().stream().filter(e -> e.getValue().session() == session).toList()
                .forEach(e -> discard(e.getKey(), e.getValue(), "session ended before the upload was closed"));
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
        p.channel().close();
        VirtualPath vp = p.path();
        try {
            intake.accept(new UploadIntake.Arrival(vp.campaign().orElseThrow(), vp.area().orElseThrow(),
                    name(p.session()), SessionAccount.source(p.session()), finalName, local, p.channel().iv(),
                    p.channel().sha256()));
        } catch (IOException | RuntimeException e) {
            // The client is told the close failed; nothing half-received stays behind.
            log.error("hand-off of {} failed: {}", vp, e.toString());
            Files.deleteIfExists(local);
            audit.record(AuditEvent.failed(name(p.session()), SessionAccount.source(p.session()), "upload.received",
                    vp.toString(), "could not be stored: " + e.getClass().getSimpleName()));
            throw new IOException("upload could not be stored; please upload again", e);
        }
    }

    private void discard(Path local, Pending p, String why) {
        pending.remove(local);
        try {
            p.channel().close();
            Files.deleteIfExists(local);
        } catch (IOException e) {
            log.warn("could not delete partial upload {}: {}", local, e.toString());
        }
        audit.record(AuditEvent.failed(name(p.session()), SessionAccount.source(p.session()), "upload.discarded",
                p.path().toString(), why));
    }

    private Optional<Map.Entry<Path, Pending>> find(ServerSession session, Path handleFile) {
        return pending.entrySet().stream()
                .filter(e -> e.getValue().session() == session && !e.getValue().parked()
                        && e.getValue().path().toString().equals(pathOf(handleFile)))
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
        String lower = name.toLowerCase(Locale.ROOT);
        return TEMPORARY_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    private static String name(ServerSession session) {
        return session.getUsername();
    }
}
