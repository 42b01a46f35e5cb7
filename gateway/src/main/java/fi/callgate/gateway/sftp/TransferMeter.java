package fi.callgate.gateway.sftp;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Counts the bytes moved over SFTP for {@code callgate_sftp_bytes_total}: what a client wrote (after the
 * write succeeded, so refused oversize writes do not count) and what it read. Counts only, never names.
 */
final class TransferMeter implements SftpEventListener {
    private final Counter uploaded;
    private final Counter downloaded;

    TransferMeter(Counter uploaded, Counter downloaded) {
        this.uploaded = uploaded;
        this.downloaded = downloaded;
    }

    @Override
    public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                        int dataOffset, int dataLen, Throwable thrown) throws IOException {
        if (thrown == null && dataLen > 0) {
            uploaded.increment(dataLen);
        }
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                     int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (thrown == null && readLen > 0) {
            downloaded.increment(readLen);
        }
    }
}
