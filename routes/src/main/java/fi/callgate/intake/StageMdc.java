package fi.callgate.intake;

import org.slf4j.MDC;

/**
 * The log context of one stage run: {@code stage} and {@code upload} (an opaque id) when it starts,
 * {@code campaign} and {@code account} once the upload is looked up — ids and account names only, never
 * personal data. With JSON logs every line of the run carries them; closing clears them, so a Camel
 * worker thread never carries one upload's context into the next.
 */
public final class StageMdc implements AutoCloseable {
    static final String STAGE = "stage";
    static final String UPLOAD = "upload";
    static final String CAMPAIGN = "campaign";
    static final String ACCOUNT = "account";

    private StageMdc() {
    }

    /** Starts the context of a stage run. */
    public static StageMdc enter(String stage, String uploadId) {
        MDC.put(STAGE, stage);
        MDC.put(UPLOAD, uploadId);
        return new StageMdc();
    }

    /** Adds what the upload row tells: its campaign and the account that uploaded it. */
    public static void describe(Upload upload) {
        MDC.put(CAMPAIGN, upload.campaign());
        MDC.put(ACCOUNT, upload.account());
    }

    @Override
    public void close() {
        MDC.remove(STAGE);
        MDC.remove(UPLOAD);
        MDC.remove(CAMPAIGN);
        MDC.remove(ACCOUNT);
    }
}
