package fi.callgate.csv;

import fi.callgate.domain.RejectReason;
import java.io.IOException;

/**
 * Internal signal that the file is refused. An {@link IOException} so that it can be thrown from inside
 * a {@link java.io.Reader} and travel through commons-csv unchanged. No stack trace: it is control flow.
 */
public final class CallListRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient FileRejection rejection;

    public CallListRejectedException(RejectReason reason, String message) {
        super(message);
        this.rejection = new FileRejection(reason, message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public FileRejection rejection() {
        return rejection;
    }
}
