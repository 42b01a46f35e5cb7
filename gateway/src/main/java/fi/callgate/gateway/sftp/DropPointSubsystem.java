package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.intake.UploadName;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.GenericUtils;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.BufferUtils;
import org.apache.sshd.common.util.io.IoUtils;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.common.SftpConstants;
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
 * And two changes to how MINA moves the bytes of a transfer, for throughput ({@link #doRead(Buffer, int)},
 * {@link #prepareReply(Buffer)}); what is sent and the events the listeners see stay the same.
 */
final class DropPointSubsystem extends SftpSubsystem {
    /** SSH_FXP_DATA's header: length, type, request id, data length. */
    private static final int DATA_HEADER = 4 + 1 + 4 + 4;
    /** Below this client packet size (none seen in practice) MINA's own read path is used. */
    static final int MIN_PACKET_SIZE = 1024;
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

    /**
     * A READ's reply written straight into SSH packets of the client's size. MINA reads the file into one
     * reply buffer of up to {@code sftp-max-readdata-packet-length} (255 KiB here), and because OpenSSH's
     * channel packets are only 32 KiB it copies that whole reply once more and then each piece into a packet
     * of its own: three allocations and copies of every byte served, and most of the garbage a download
     * makes. Here the file is read in pieces straight into packet buffers laid out as MINA's own
     * ({@code Session.createBuffer}); a complete packet buffer goes through MINA's channel stream untouched,
     * to be encrypted in place and written. The reply on the wire is the same SSH_FXP_DATA message (SFTP's
     * stream does not care where packets split it); the listeners see one read event per piece, with the
     * right offsets, so the read auditor's tally and the transfer meter add up as before.
     */
    @Override
    protected void doRead(Buffer buffer, int id) throws IOException {
        int requestStart = buffer.rpos();
        String handle = buffer.getString(StandardCharsets.ISO_8859_1);
        long offset = buffer.getLong();
        int requested = buffer.getInt();
        long packetSize = getServerChannelSession().getRemoteWindow().getPacketSize();
        if (getVersion() >= SftpConstants.SFTP_V6 || requested <= 0 || offset < 0 || packetSize < MIN_PACKET_SIZE) {
            buffer.rpos(requestStart); // v6 replies carry an end-of-file flag MINA's own code adds
            super.doRead(buffer, id);
            return;
        }
        int readLen = Math.min(requested, SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.getRequired(getServerSession()));
        List<Buffer> packets = new ArrayList<>();
        int total = 0;
        try {
            boolean eof = false;
            while (total < readLen && !eof) {
                boolean first = packets.isEmpty();
                int room = (int) Math.min(packetSize, (first ? DATA_HEADER : 0) + (long) (readLen - total));
                Buffer packet = getServerSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA, room + 8);
                packet.putUInt(0); // recipient channel and data length: MINA fills them in as it sends the packet
                packet.putUInt(0);
                packet.rpos(packet.wpos());
                if (first) {
                    packet.putUInt(0); // the SFTP length, known once the reads are done
                    packet.putByte((byte) SftpConstants.SSH_FXP_DATA);
                    packet.putInt(id);
                    packet.putUInt(0); // the data length, likewise
                }
                int want = room - (first ? DATA_HEADER : 0);
                packet.ensureCapacity(want);
                int at = packet.wpos();
                int n = doRead(id, handle, offset + total, want, packet.array(), at, new AtomicReference<>());
                if (n > 0) {
                    packet.wpos(at + n);
                    total += n;
                }
                eof = n < want;
                if (first || n > 0) {
                    packets.add(packet);
                }
            }
            if (total == 0) {
                throw new EOFException("Unable to read " + readLen + " bytes from offset=" + offset); // SSH_FX_EOF
            }
        } catch (IOException | RuntimeException e) {
            sendStatus(prepareReply(buffer), id, e, SftpConstants.SSH_FXP_READ, "handle", offset, requested);
            return;
        }
        Buffer first = packets.get(0);
        BufferUtils.putUInt(DATA_HEADER - 4 + (long) total, first.array(), first.rpos(), 4);
        BufferUtils.putUInt(total, first.array(), first.rpos() + DATA_HEADER - 4, 4);
        for (Buffer packet : packets) {
            out.writeBuffer(packet);
        }
    }

    /**
     * MINA's reply preparation wipes the request's buffer (it is reused for the reply): for each WRITE that
     * is a fill of the whole request, up to 255 KiB, just to put a status of a few bytes in front. The buffer
     * belongs to this one request and is dropped once the reply is sent; nothing reads the old bytes.
     */
    @Override
    protected Buffer prepareReply(Buffer buffer) {
        buffer.clear(false);
        buffer.putUInt(0L); // room for the length, as MINA does
        return buffer;
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
