package fi.callgate.retention;

import fi.callgate.store.CampaignStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The retention facade the commands and other issues use: ending a campaign, marking lists called through,
 * and reading datasets with their deadlines. Deadlines move at once (the ledger is refreshed); the
 * destruction itself is the shredder's, within one {@code shredder.interval}.
 */
public final class Retention implements RetentionEvents {
    private final RetentionLedger ledger;
    private final CampaignStore campaigns;
    private final Clock clock;

    public Retention(RetentionLedger ledger, CampaignStore campaigns, Clock clock) {
        this.ledger = ledger;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /**
     * Ends the campaign now: no more uploads (the decrypt stage rejects uploads to a campaign that is not
     * active), every dataset due now, and the data key destroyed after the last of them. Idempotent.
     *
     * @return false if it had already ended
     */
    public boolean endCampaign(String campaign) {
        boolean changed = campaigns.end(campaign);
        ledger.refresh(clock.instant());
        return changed;
    }

    /** Every held list of the campaign becomes due now; returns how many. */
    public int campaignCalledThrough(String campaign) {
        return ledger.campaignCalledThrough(campaign, clock.instant());
    }

    @Override
    public boolean calledThrough(String uploadId) {
        return ledger.calledThrough(uploadId, clock.instant());
    }

    /** Every dataset (of all campaigns), with current deadlines. */
    public List<Dataset> datasets() {
        ledger.refresh(clock.instant());
        return ledger.all();
    }

    public List<Dataset> datasets(String campaign) {
        ledger.refresh(clock.instant());
        return ledger.ofCampaign(campaign);
    }

    public Instant now() {
        return clock.instant();
    }

    // ------------------------------------------------------------- gauges (read at scrape time)
    // Cached values (RetentionGauges): a scrape reads them and writes nothing.

    public double overdueDatasets() {
        return ledger.gauges().overdueDatasets();
    }

    /** +Inf when nothing is held; negative when the nearest deadline has passed. */
    public double nextDeadlineSeconds() {
        return ledger.gauges().nextDeadlineSeconds();
    }

    /** 0 when no personal data is held. */
    public double oldestPersonalDataAgeSeconds() {
        return ledger.gauges().oldestPersonalDataAgeSeconds();
    }
}
