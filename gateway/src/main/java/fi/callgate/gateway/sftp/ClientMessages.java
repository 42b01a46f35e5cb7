package fi.callgate.gateway.sftp;

import java.nio.file.AccessDeniedException;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * The text of SFTP error statuses. MINA's terse default ("Permission denied", "No such file") for every
 * error, so nothing about the server's files leaks — except a {@link Refusal}, whose reason is written for
 * the client ("storage location GB is outside the EEA; uploads are refused", a name too long, a write that
 * would leave a hole, the upload quota, the open-file limit) and shown by clients that show
 * the server's message (WinSCP, FileZilla, lftp, MINA; OpenSSH's sftp prints only the status).
 */
final class ClientMessages implements SftpErrorStatusDataHandler {

    /** A refusal whose reason the client may read. */
    static final class Refusal extends AccessDeniedException {
        private static final long serialVersionUID = 1L;

        Refusal(String file, String reason) {
            super(file, null, reason);
        }
    }

    @Override
    public int resolveSubStatus(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e, int cmd,
                                Object... args) {
        Refusal r = refusal(e);
        return SftpErrorStatusDataHandler.super.resolveSubStatus(sftpSubsystem, id, r != null ? r : e, cmd, args);
    }

    @Override
    public String resolveErrorMessage(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e, int subStatus,
                                      int cmd, Object... args) {
        Refusal r = refusal(e);
        if (r != null) {
            return r.getReason();
        }
        return SftpErrorStatusDataHandler.super.resolveErrorMessage(sftpSubsystem, id, e, subStatus, cmd, args);
    }

    /** Also behind a cause: what an event listener throws (a refused write) may reach here wrapped. */
    private static Refusal refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refusal r) {
                return r;
            }
        }
        return null;
    }
}
