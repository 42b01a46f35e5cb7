package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/** Audits each file read once, when its handle closes, with the bytes the client took. */
final class ReadAuditor implements SftpEventListener {
    private final AuditLog audit;
    private final Map<Handle, AtomicLong> bytesRead = new ConcurrentHashMap<>();

    ReadAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                     int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (readLen > 0) {
            bytesRead.computeIfAbsent(localHandle, h -> new AtomicLong()).addAndGet(readLen);
        }
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown)
            throws IOException {
        AtomicLong n = bytesRead.remove(localHandle);
        if (n != null) {
            audit.record(AuditEvent.ok(session.getUsername(), SessionAccount.source(session), "sftp.read",
                    VirtualPath.of(localHandle.getFile()).toString(), "bytes=" + n.get()));
        }
    }
}
