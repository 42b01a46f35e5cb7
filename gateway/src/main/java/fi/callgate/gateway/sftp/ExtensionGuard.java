package fi.callgate.gateway.sftp;

import fi.callgate.audit.AuditEvent;
import fi.callgate.audit.AuditLog;
import fi.callgate.gateway.accounts.SessionAccount;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Set;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * SFTP extensions are allowed by name. MINA serves {@code copy-file}, {@code copy-data}, {@code md5-hash},
 * {@code check-file} and {@code hardlink@openssh.com} by default; none of them belongs on a drop point
 * (copies sidestep the write-only rule, hashes turn the server into an oracle), so anything not listed
 * here is refused before MINA acts on it.
 */
final class ExtensionGuard implements SftpEventListener {
    private static final Set<String> ALLOWED = Set.of("posix-rename@openssh.com", "fsync@openssh.com",
            "statvfs@openssh.com", "fstatvfs@openssh.com", "limits@openssh.com", "version-select",
            "vendor-id", "home-directory", "expand-path@openssh.com");
    private final AuditLog audit;

    ExtensionGuard(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void receivedExtension(ServerSession session, String extension, int id) throws IOException {
        if (!ALLOWED.contains(extension)) {
            audit.record(AuditEvent.denied(session.getUsername(), SessionAccount.source(session), "sftp.extension",
                    extension, "extension not allowed"));
            throw new AccessDeniedException(extension, null, "extension not allowed");
        }
    }
}
