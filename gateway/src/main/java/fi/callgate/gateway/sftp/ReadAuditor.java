package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.dialer.DialerLists;
import fi.callgate.domain.Area;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.gateway.accounts.SessionAccount;
import fi.callgate.files.SealedSpoolChannel;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Audits each file read once, when its handle closes, with the bytes the client took. A dialer list's
 * read is its pickup record ({@code dialer.list.pickup}): account, list, bytes and the SHA-256 of the
 * bytes served. Callgate wrote every list itself and recorded its SHA-256 at publication, so a whole
 * read from offset 0 onwards without gaps or re-reads — what OpenSSH {@code sftp get}, WinSCP and
 * camel-sftp do (MINA answers a handle's requests in order) — served exactly those bytes and the entry
 * names that digest; nothing is hashed on the download path (it cost ≈ 0.6 s per GiB, bench/RESULTS.md).
 * A partial read says {@code sha256=n/a (partial)}, an out-of-order one {@code sha256=n/a (non-sequential)}.
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
        long bytes;
        long next;
        boolean sequential = true;

        synchronized void add(long offset, int len) {
            if (offset != next) {
                sequential = false;
            }
            bytes += len;
            next = offset + len;
        }
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                     int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (readLen > 0) {
            reads.computeIfAbsent(localHandle, h -> new Tally()).add(offset, readLen);
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
        SealedSpoolChannel ch = localHandle instanceof FileHandle fh
                && fh.getFileChannel() instanceof SealedSpoolChannel c ? c : null;
        long size = ch == null ? -1 : ch.plaintextSize();
        boolean whole = t.sequential && t.bytes == size;
        Optional<String> published = ch == null ? Optional.empty() : lists.publishedDigest(ch);
        String sha = !t.sequential ? "n/a (non-sequential)"
                : whole ? published.orElse("n/a (not recorded at publication)") : "n/a (partial)";
        audit.record(AuditEvent.ok(account, source, "dialer.list.pickup", vp.toString(), "bytes=" + t.bytes
                + " of=" + size + " sha256=" + sha + " complete=" + whole));
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

}
