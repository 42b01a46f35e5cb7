package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerLists;
import fi.callgate.domain.Area;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.pipeline.stage.SealedSpoolChannel;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Audits each file read once, when its handle closes, with the bytes the client took. A dialer list's
 * read is its pickup record ({@code dialer.list.pickup}): account, list, bytes and the SHA-256 of the
 * bytes served, in the order served. That digest is exact when the client read from offset 0 onwards
 * without gaps or re-reads — what OpenSSH {@code sftp get}, WinSCP and camel-sftp do (MINA answers a
 * handle's requests in order); otherwise the entry says {@code sha256=n/a (non-sequential)}.
 *
 * <p>A dialer account that read a whole list that way has downloaded it ({@link DialerLists#downloaded}):
 * the list is not re-published after that. A supervisor's read is audited the same but changes nothing.
 * A controller that read an outbox file whole has downloaded it: an export's housekeeping clock starts.
 */
final class ReadAuditor implements SftpEventListener {
    private final AuditLog audit;
    private final DialerLists lists;
    private final java.util.function.BiConsumer<String, String> outboxDownloaded;
    private final Map<Handle, Tally> reads = new ConcurrentHashMap<>();

    ReadAuditor(AuditLog audit, DialerLists lists, java.util.function.BiConsumer<String, String> outboxDownloaded) {
        this.audit = audit;
        this.lists = lists;
        this.outboxDownloaded = outboxDownloaded;
    }

    /** What one handle served. Requests of one handle arrive in order, one at a time. */
    private static final class Tally {
        final MessageDigest sha = sha256();
        long bytes;
        long next;
        boolean sequential = true;

        synchronized void add(long offset, byte[] data, int off, int len) {
            if (offset != next) {
                sequential = false;
            }
            if (sequential) {
                sha.update(data, off, len);
            }
            bytes += len;
            next = offset + len;
        }
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                     int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (readLen > 0) {
            reads.computeIfAbsent(localHandle, h -> new Tally()).add(offset, data, dataOffset, readLen);
        }
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown)
            throws IOException {
        Tally t = reads.remove(localHandle);
        if (t == null) {
            return;
        }
        VirtualPath vp = VirtualPath.of(localHandle.getFile());
        String account = session.getUsername();
        String source = SessionAccount.source(session);
        boolean isList = vp.depth() == 3 && vp.area().get() == Area.LISTS;
        if (!isList) {
            audit.record(AuditEvent.ok(account, source, "sftp.read", vp.toString(), "bytes=" + t.bytes));
            // A controller's whole read of an outbox file starts its keep-after-download clock (exports).
            boolean controller = SessionAccount.of(session).map(Account::role).orElse(null) == Role.CONTROLLER;
            if (controller && vp.depth() == 3 && vp.area().get() == Area.OUTBOX && t.sequential
                    && t.bytes == sizeOf(localHandle.getFile())) {
                outboxDownloaded.accept(vp.campaign().get(), vp.file().get());
            }
            return;
        }
        long size = localHandle instanceof FileHandle fh && fh.getFileChannel() instanceof SealedSpoolChannel ch
                ? ch.plaintextSize() : -1;
        boolean whole = t.sequential && t.bytes == size;
        audit.record(AuditEvent.ok(account, source, "dialer.list.pickup", vp.toString(), "bytes=" + t.bytes
                + " of=" + size + " sha256=" + (t.sequential ? HexFormat.of().formatHex(t.sha.digest())
                : "n/a (non-sequential)") + " complete=" + whole));
        boolean dialer = SessionAccount.of(session).map(Account::role).orElse(null) == Role.DIALER;
        if (whole && dialer) {
            lists.downloaded(vp.campaign().get(), vp.file().get(), account);
        }
    }

    private static long sizeOf(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
