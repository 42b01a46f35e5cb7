package fi.callgate.gateway.sftp;

import java.nio.file.AccessDeniedException;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * The text of SFTP error statuses. MINA's terse default ("Permission denied", "No such file") for every
 * error, so nothing about the server's files leaks — except a {@link Refusal}, whose reason is written for
 * the client ("storage location GB is outside the EEA; uploads are refused") and shown by clients that show
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
    public String resolveErrorMessage(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e, int subStatus,
                                      int cmd, Object... args) {
        if (e instanceof Refusal r) {
            return r.getReason();
        }
        return SftpErrorStatusDataHandler.super.resolveErrorMessage(sftpSubsystem, id, e, subStatus, cmd, args);
    }
}
