package fi.callgate.gateway.sftp;

import org.apache.sshd.sftp.common.SftpHelper;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * The one table from errors to what an SFTP client sees: a {@link Refusal} with its own status and
 * words, anything else MINA's stock status and text (terse on purpose: ids and state go to the log).
 */
final class ClientErrorMessages implements SftpErrorStatusDataHandler {

    @Override
    public int resolveSubStatus(SftpSubsystemEnvironment sftp, int id, Throwable e, int cmd, Object... args) {
        Refusal r = refusal(e);
        return r != null ? r.status() : SftpHelper.resolveSubstatus(e);
    }

    @Override
    public String resolveErrorMessage(SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd,
                                      Object... args) {
        Refusal r = refusal(e);
        return r != null ? r.getMessage() : SftpHelper.resolveStatusMessage(subStatus);
    }

    /** Listener proxies may wrap what a listener threw. */
    private static Refusal refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refusal r) {
                return r;
            }
        }
        return null;
    }
}
