package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerLists;
import fi.callgate.domain.Area;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.gateway.sftp.SftpView.Op;
import fi.callgate.intake.SpoolCipher;
import fi.callgate.intake.UploadName;
import fi.callgate.store.CampaignStore;
import fi.callgate.store.WriteGate;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * Every rule of CONTRACT §2, enforced where MINA touches the file system rather than by directory
 * permissions: paths are resolved only inside the account's view; write areas are write-only and
 * create-only; uploads are encrypted from the first byte; links, copies, mkdir/rmdir and renames
 * (other than a temporary upload name to its final name) are refused; attribute changes are accepted
 * and ignored, because clients that preserve timestamps would otherwise report errors and nothing in
 * Callgate trusts a client's times anyway.
 */
public final class ConfinedFileSystemAccessor implements SftpFileSystemAccessor {
    private final CampaignStore campaigns;
    private final UploadTracker uploads;
    private final SpoolCipher cipher;
    private final AuditLog audit;
    private final Path sftpRoot;
    private final DialerLists lists;
    private final WriteGate writeGate;

    public ConfinedFileSystemAccessor(CampaignStore campaigns, UploadTracker uploads, SpoolCipher cipher,
                                      AuditLog audit, Path sftpRoot, DialerLists lists, WriteGate writeGate) {
        this.lists = lists;
        this.writeGate = writeGate;
        this.campaigns = campaigns;
        this.uploads = uploads;
        this.cipher = cipher;
        this.audit = audit;
        this.sftpRoot = sftpRoot;
    }

    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath)
            throws IOException {
        ServerSession session = subsystem.getServerSession();
        VirtualPath vp;
        try {
            vp = VirtualPath.parse(remotePath);
        } catch (NoSuchFileException e) {
            throw deny(session, "sftp.resolve", remotePath, "not a drop-point path", new NoSuchFileException(remotePath));
        }
        if (!view(session).sees(vp)) {
            // The same answer as for a path that does not exist, so nothing outside the view can be probed.
            throw deny(session, "sftp.resolve", vp.toString(), "outside the account's view",
                    new NoSuchFileException(remotePath));
        }
        Path root = rootDir.getRoot() == null ? rootDir : rootDir.getRoot();
        return vp.under(root);
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                                        String handle, Set<? extends OpenOption> options,
                                        FileAttribute<?>... attrs) throws IOException {
        ServerSession session = subsystem.getServerSession();
        VirtualPath vp = VirtualPath.of(file);
        if (vp.depth() != 3) {
            throw deny(session, "sftp.open", vp.toString(), "not a file", new AccessDeniedException(vp.toString()));
        }
        SftpView view = view(session);
        Area area = vp.area().orElseThrow();
        Path local = vp.under(sftpRoot);
        // MINA takes APPEND out of the options (it appends itself, at the channel's size) and keeps it only
        // in the handle's access mask, so ask the handle too.
        boolean append = options.contains(StandardOpenOption.APPEND)
                || (fileHandle != null && fileHandle.isOpenAppend()); // null: MINA truncating for a setstat size
        boolean write = options.contains(StandardOpenOption.WRITE) || append;
        refuseWhileStorageIsRefused(session, "sftp.open", vp, write ? "uploads are refused"
                : "downloads are paused (a download could not be recorded)");
        if (write) {
            if (!view.may(area, Op.WRITE)) {
                throw deny(session, "sftp.open", vp.toString(), "area is read-only", new AccessDeniedException(vp.toString()));
            }
            if (fileHandle == null) { // a setstat of the size: would create an empty upload or a hole
                throw deny(session, "sftp.setstat", vp.toString(), "file sizes cannot be set",
                        new AccessDeniedException(vp.toString()));
            }
            if (append || Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                throw deny(session, "sftp.open", vp.toString(), "existing files are never overwritten or appended to",
                        new AccessDeniedException(vp.toString(), null, "file exists"));
            }
            checkUploadName(session, "sftp.open", vp, true);
            byte[] iv = SpoolCipher.newIv();
            var channel = cipher.openForWrite(local, iv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            uploads.started(session, local, vp, channel);
            audit.record(AuditEvent.ok(account(session).name(), SessionAccount.source(session), "sftp.open",
                    vp.toString(), "write"));
            return new GatedWrites(channel, writeGate, vp.toString()); // a reload may refuse the location mid-upload
        }
        if (!view.may(area, Op.READ)) {
            throw deny(session, "sftp.open", vp.toString(), "area is write-only", new AccessDeniedException(vp.toString()));
        }
        // Dialer lists rest sealed under the campaign key; the client reads the plaintext through a
        // decrypting channel (DialerLists). Every other readable file is served as it is.
        SeekableByteChannel channel = area == Area.LISTS
                ? lists.open(vp.campaign().orElseThrow(), vp.file().orElseThrow())
                : FileChannel.open(local, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        audit.record(AuditEvent.ok(account(session).name(), SessionAccount.source(session), "sftp.open",
                vp.toString(), "read"));
        return channel;
    }

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
                                               String handle, LinkOption... linkOptions) throws IOException {
        ServerSession session = subsystem.getServerSession();
        VirtualPath vp = VirtualPath.of(dir);
        SftpView view = view(session);
        List<Path> entries = new ArrayList<>();
        if (vp.depth() == 0) {
            view.areas().keySet().forEach(c -> entries.add(dir.resolve(c)));
        } else if (vp.depth() == 1) {
            view.areas().getOrDefault(vp.campaign().get(), Set.of()).stream().sorted()
                    .forEach(a -> entries.add(dir.resolve(a.folderName())));
        } else if (vp.depth() == 2) {
            Area area = vp.area().get();
            // Write areas list as empty: nobody reads back uploads, and colleagues' names stay private.
            if (view.may(area, Op.LIST)) {
                try (Stream<Path> files = Files.list(vp.under(sftpRoot))) {
                    files.map(p -> p.getFileName().toString()).filter(VirtualPath::isPlainFileName)
                            .filter(n -> view.seesFile(vp.campaign().get(), area, n)).sorted()
                            .forEach(n -> entries.add(dir.resolve(n)));
                }
            }
        } else {
            throw deny(session, "sftp.opendir", vp.toString(), "not a directory", new NoSuchFileException(vp.toString()));
        }
        return new ListedDirectory(entries);
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
            throws IOException {
        ServerSession session = subsystem.getServerSession();
        VirtualPath from = VirtualPath.of(oldPath);
        VirtualPath to = VirtualPath.of(newPath);
        boolean sameArea = from.depth() == 3 && to.depth() == 3 && from.campaign().equals(to.campaign())
                && from.area().equals(to.area());
        if (sameArea) {
            checkUploadName(session, "sftp.rename", to, false); // the name the upload is handed off under
        }
        if (!sameArea || Files.exists(to.under(sftpRoot), LinkOption.NOFOLLOW_LINKS)
                || !uploads.completeRename(session, from.under(sftpRoot), to)) {
            throw deny(session, "sftp.rename", from + " -> " + to,
                    "only a finished upload's temporary name may be renamed, to a new name in the same folder",
                    new AccessDeniedException(from.toString()));
        }
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        ServerSession session = subsystem.getServerSession();
        VirtualPath vp = VirtualPath.of(path);
        if (isDirectory || vp.depth() != 3 || !view(session).may(vp.area().get(), Op.DELETE)) {
            throw deny(session, "sftp.remove", vp.toString(), "removing is not allowed here",
                    new AccessDeniedException(vp.toString()));
        }
        refuseWhileStorageIsRefused(session, "sftp.remove", vp, "nothing can be removed");
        Files.delete(vp.under(sftpRoot));
        audit.record(AuditEvent.ok(account(session).name(), SessionAccount.source(session), "sftp.remove",
                vp.toString(), null));
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        throw deny(subsystem.getServerSession(), "sftp.mkdir", path.toString(), "folders are fixed",
                new AccessDeniedException(path.toString()));
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink)
            throws IOException {
        throw deny(subsystem.getServerSession(), "sftp.link", link.toString(), "links are not allowed",
                new AccessDeniedException(link.toString()));
    }

    @Override
    public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
        throw deny(subsystem.getServerSession(), "sftp.readlink", link.toString(), "links are not allowed",
                new AccessDeniedException(link.toString()));
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts)
            throws IOException {
        throw deny(subsystem.getServerSession(), "sftp.copy", src.toString(), "copying is not allowed",
                new AccessDeniedException(src.toString()));
    }

    /**
     * Who may see which file of a write area is decided before this is asked, in {@link DropPointSubsystem}:
     * MINA fills in from the disk whatever this method refuses, so a refusal here hid nothing.
     */
    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view,
                                             LinkOption... options) throws IOException {
        VirtualPath vp = VirtualPath.of(file);
        Map<String, ?> attrs = SftpFileSystemAccessor.super.readFileAttributes(subsystem, file, view, options);
        if (vp.depth() == 3 && vp.area().get() == Area.LISTS && attrs.containsKey("size")) {
            // A list's size is its plaintext's, the bytes the client will actually read.
            var reported = new java.util.HashMap<String, Object>(attrs);
            lists.plaintextSize(vp.campaign().get(), vp.file().get()).ifPresent(n -> reported.put("size", n));
            return reported;
        }
        return attrs;
    }

    /** Owner, group and link count are the same neutral values for everything ({@link NeutralOwner}). */
    @Override
    public NavigableMap<String, Object> resolveReportedFileAttributes(SftpSubsystemProxy subsystem, Path file,
                                                                      int flags, NavigableMap<String, Object> attrs,
                                                                      LinkOption... options) {
        return NeutralOwner.apply(attrs);
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute,
                                 Object value, LinkOption... options) {
        // Accepted and ignored: see the class comment.
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path path, Set<PosixFilePermission> perms,
                                   LinkOption... options) {
        // Accepted and ignored.
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options) {
        // Accepted and ignored.
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options) {
        // Accepted and ignored.
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path path, List<AclEntry> acl,
                                     LinkOption... options) {
        // Accepted and ignored.
    }

    @Override
    public LinkOption[] resolveFileAccessLinkOptions(SftpSubsystemProxy subsystem, Path file, int cmd,
                                                     String extension, boolean followLinks) {
        return new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    }

    @Override
    public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                          Channel channel, Set<? extends OpenOption> options) throws IOException {
        channel.close();
    }

    /**
     * An upload's name must leave room for every name derived from it ({@link UploadName}); refused with the
     * reason, before a byte is written, instead of failing later where the client never hears of it.
     */
    private void checkUploadName(ServerSession session, String action, VirtualPath vp, boolean mayBeTemporary)
            throws IOException {
        String name = vp.file().orElseThrow();
        int temporarySuffix = mayBeTemporary ? UploadTracker.temporarySuffixLength(name) : 0;
        Optional<String> problem = UploadName.problem(name, temporarySuffix);
        if (problem.isPresent()) {
            throw deny(session, action, vp.toString(), problem.get(), new ClientMessages.Refusal(vp.toString(), problem.get()));
        }
    }

    /**
     * CONTRACT §6: while the storage location is refused, no byte may land under data-dir — and an open,
     * a pickup record or a removal would write one (the file, the store). Refused before anything is touched.
     */
    private void refuseWhileStorageIsRefused(ServerSession session, String action, VirtualPath vp, String what)
            throws ClientMessages.Refusal {
        var refused = writeGate.checkWrite();
        if (refused.isPresent()) {
            String why = refused.get() + "; " + what;
            throw deny(session, action, vp.toString(), why, new ClientMessages.Refusal(vp.toString(), why));
        }
    }

    private SftpView view(ServerSession session) {
        return SftpView.of(account(session), campaigns);
    }

    private static Account account(ServerSession session) {
        return SessionAccount.require(session);
    }

    private <E extends IOException> E deny(ServerSession session, String action, String target, String why, E error) {
        String name = SessionAccount.of(session).map(Account::name).orElse("-");
        audit.record(AuditEvent.denied(name, SessionAccount.source(session), action, target, why));
        return error;
    }
}
