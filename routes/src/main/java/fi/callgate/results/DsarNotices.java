package fi.callgate.results;

import java.util.List;

/**
 * What the controller must be told in its next orders export: that data-subject requests erased some of
 * its records (the signed deletion receipt has already gone to the outbox; the export repeats it where the
 * controller's own systems read). Each notice becomes one row of type {@code dsar_erasure} with the
 * request id and counts in the {@code dsar_notice} column — never the person's data. Implemented by the
 * DSAR store; delivered notices are marked so that each is sent once.
 */
public interface DsarNotices {
    DsarNotices NONE = new DsarNotices() {
        @Override
        public List<Notice> pending(String campaign) {
            return List.of();
        }

        @Override
        public void delivered(String campaign, List<Notice> notices) {
        }
    };

    /** One erasure to report: the request and a text without personal data. */
    record Notice(String requestId, String text) {
    }

    List<Notice> pending(String campaign);

    void delivered(String campaign, List<Notice> notices);
}
