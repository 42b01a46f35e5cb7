package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.intake.UploadName;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.sshd.common.util.GenericUtils;
import org.apache.sshd.common.util.io.IoUtils;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * MINA's SFTP subsystem with the two answers the file-system accessor cannot give, because MINA decides
 * them before it asks the accessor:
 * <ul>
 * <li>Attributes of a file in a write area (stat, lstat, fstat). MINA checks the disk first and, when the
 * accessor refuses to read attributes, fills them in from the disk anyway — a colleague could see the size
 * of another's upload in flight. Here the question is settled first: an upload still open or parked in
 * this session answers with its real attributes; one this session has just closed answers with its size
 * as a regular file (it has left for the spool, but checking clients stat it and retry if it is missing);
 * anything else answers exactly as a name that does not exist.</li>
 * <li>The open-file limit, which MINA reports as "No space left on device": here it says which limit.</li>
 * </ul>
 */
final class DropPointSubsystem extends SftpSubsystem {
    private final UploadTracker uploads;
    private final AuditLog audit;
    private final Path sftpRoot;

    private DropPointSubsystem(ChannelSession channel, SftpSubsystemConfigurator configurator, UploadTracker uploads,
                               AuditLog audit, Path sftpRoot) {
        super(channel, configurator);
        this.uploads = uploads;
        this.audit = audit;
        this.sftpRoot = sftpRoot;
    }

    /** Creates this subsystem for each SFTP channel, with the listeners registered on the factory. */
    static final class Factory extends SftpSubsystemFactory {
        private final UploadTracker uploads;
        private final AuditLog audit;
        private final Path sftpRoot;

        Factory(UploadTracker uploads, AuditLog audit, Path sftpRoot) {
            this.uploads = uploads;
            this.audit = audit;
            this.sftpRoot = sftpRoot;
        }

        @Override
        public Command createSubsystem(ChannelSession channel) throws IOException {
            DropPointSubsystem subsystem = new DropPointSubsystem(channel, this, uploads, audit, sftpRoot);
            GenericUtils.forEach(getRegisteredListeners(), subsystem::addSftpEventListener);
            return subsystem;
        }
    }

    @Override
    protected NavigableMap<String, Object> resolveFileAttributes(Path path, int flags, boolean neverFollowSymLinks,
                                                                 LinkOption... options) throws IOException {
        VirtualPath vp = VirtualPath.of(path);
        if (vp.depth() == 3) {
            String name = vp.file().orElseThrow();
            if (UploadName.bytes(name) > UploadName.FILE_SYSTEM_LIMIT) {
                throw absent(path); // no such name can exist; the file system would only say "too long"
            }
            if (vp.area().orElseThrow().isWriteArea()) {
                Path local = vp.under(sftpRoot);
                if (!uploads.isPendingFor(getServerSession(), local)) {
                    Optional<UploadTracker.ClosedUpload> closed = uploads.closedBy(getServerSession(), local);
                    if (closed.isEmpty()) {
                        throw absent(path);
                    }
                    return closedUpload(closed.get());
                }
            }
        }
        return super.resolveFileAttributes(path, flags, neverFollowSymLinks, options);
    }

    /** The same exception MINA raises for a path that is not there, so both answers are one. */
    private static NoSuchFileException absent(Path path) {
        return new NoSuchFileException(path.toString(), path.toString(), "Attributes N/A for target");
    }

    private static NavigableMap<String, Object> closedUpload(UploadTracker.ClosedUpload c) {
        NavigableMap<String, Object> a = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        a.put(IoUtils.SIZE_VIEW_ATTR, c.size());
        a.put(IoUtils.REGFILE_VIEW_ATTR, true);
        a.put(IoUtils.DIRECTORY_VIEW_ATTR, false);
        a.put(IoUtils.SYMLINK_VIEW_ATTR, false);
        a.put(IoUtils.OTHERFILE_VIEW_ATTR, false);
        a.put(IoUtils.PERMISSIONS_VIEW_ATTR, EnumSet.of(PosixFilePermission.OWNER_WRITE)); // write-only area
        FileTime at = FileTime.from(c.at());
        a.put(IoUtils.LASTMOD_TIME_VIEW_ATTR, at);
        a.put(IoUtils.LASTACC_TIME_VIEW_ATTR, at);
        a.put(IoUtils.CREATE_TIME_VIEW_ATTR, at);
        return NeutralOwner.apply(a);
    }

    @Override
    protected String generateFileHandle(Path file) throws IOException {
        if (handles.size() >= maxHandleCount) {
            String who = SessionAccount.of(getServerSession()).map(a -> a.name()).orElse("-");
            audit.record(AuditEvent.denied(who, SessionAccount.source(getServerSession()), "sftp.open",
                    String.valueOf(file), "open-file limit of " + maxHandleCount + " reached"));
            throw new ClientMessages.Refusal(String.valueOf(file), "too many open files: at most " + maxHandleCount
                    + " files and folders may be open at once in one session; close one first");
        }
        return super.generateFileHandle(file);
    }
}
