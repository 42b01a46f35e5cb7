package fi.callgate.gateway.boot;

import fi.callgate.dsar.DsarStore;
import fi.callgate.results.DsarNotices;
import java.time.Clock;
import java.util.List;

/** Joins the DSAR store's pending controller notices to the orders export (neither module knows the other). */
final class DsarExportNotices implements DsarNotices {
    private final DsarStore store;
    private final Clock clock;

    DsarExportNotices(DsarStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<Notice> pending(String campaign) {
        return store.pendingNotices(campaign).stream()
                .map(n -> new Notice(n.requestId(), "data-subject request " + n.requestId() + ": " + n.erasedCount()
                        + " record(s) erased on " + n.createdAt() + "; deletion receipt " + n.receiptFile()))
                .toList();
    }

    @Override
    public void delivered(String campaign, List<Notice> notices) {
        notices.forEach(n -> store.markNotified(n.requestId(), campaign, clock.instant()));
    }
}
