package fi.callgate.gateway.sftp;

import java.io.IOException;
import org.apache.sshd.sftp.common.SftpConstants;

/**
 * A refusal the client is told about in words: a limit it hit or a rule it broke that it can put right
 * (a name too long, a write leaving a hole, a quota, the open-file limit). MINA otherwise answers with the
 * status code's stock text only — "No space left on device" for the handle limit. Everything else keeps
 * the terse stock answers ({@link ClientErrorMessages}), so no refusal reveals more than it must.
 */
final class Refusal extends IOException {
    private final int status;

    private Refusal(int status, String message) {
        super(message);
        this.status = status;
    }

    /** {@code SSH_FX_FAILURE}: understood by every SFTP version, and the message carries the reason. */
    static Refusal of(String message) {
        return new Refusal(SftpConstants.SSH_FX_FAILURE, message);
    }

    int status() {
        return status;
    }
}
