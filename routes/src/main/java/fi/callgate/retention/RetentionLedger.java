package fi.callgate.retention;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code dataset} rows: which datasets exist, their deadlines and their shredding state. Deadlines are
 * derived, never typed in: {@link #refresh} creates the rows of newly finished inbox uploads and
 * recomputes the deadline of every held dataset from the campaign's current facts, so any event that
 * changes those facts (an accepted upload touching the campaign, {@code campaign end}, called through)
 * is reflected the next time anyone looks — the shredder before every pass and the status command. Each
 * refresh also updates the cached {@link RetentionGauges}, so a scrape reads them without a refresh.
 */
public final class RetentionLedger {
    private static final String DATASET_COLUMNS = "d.upload_id, d.campaign, d.accepted, u.original_name, u.sha256,"
            + " d.received_at, d.deadline, d.reason, d.state, d.run_id, d.record_count, d.files_destroyed,"
            + " d.shredded_at";
    private final Database db;
    private final RetentionPolicy policy;
    private final RetentionGauges gauges;

    public RetentionLedger(Database db, RetentionPolicy policy, Clock clock) {
        this.db = db;
        this.policy = policy;
        this.gauges = new RetentionGauges(this, clock);
    }

    /** The gauge values cached at the last refresh or shred run. */
    public RetentionGauges gauges() {
        return gauges;
    }

    public RetentionPolicy policy() {
        return policy;
    }

    /** Adds the datasets of newly finished uploads and recomputes every held dataset's deadline. */
    public synchronized void refresh(Instant now) {
        db.withHandle(h -> {
            List<Held> held = h.createQuery("SELECT u.id, u.campaign, u.state, u.received_at,"
                    + " d.state, d.deadline, d.reason, d.called_through_at, c.last_activity_at, c.retention_days,"
                    + " c.personal_id, c.status, c.ended_at FROM upload u JOIN campaign c ON c.id = u.campaign"
                    + " LEFT JOIN dataset d ON d.upload_id = u.id WHERE u.area = 'inbox'"
                    + " AND u.state IN ('ACCEPTED', 'REJECTED') AND (d.state IS NULL OR d.state = 'HELD')")
                    .map((rs, ctx) -> held(rs, now)).list();
            PreparedBatch inserts = h.prepareBatch("INSERT INTO dataset(upload_id, campaign, accepted, received_at,"
                    + " deadline, reason, state) VALUES (?, ?, ?, ?, ?, ?, 'HELD')");
            PreparedBatch updates = h.prepareBatch(
                    "UPDATE dataset SET deadline = ?, reason = ? WHERE upload_id = ? AND state = 'HELD'");
            for (Held d : held) {
                if (d.isNew()) {
                    inserts.add(d.uploadId(), d.campaign(), d.accepted(), utc(d.received()), utc(d.deadline().at()),
                            d.deadline().reason().name());
                } else if (d.changed()) {
                    updates.add(utc(d.deadline().at()), d.deadline().reason().name(), d.uploadId());
                }
            }
            if (inserts.size() > 0) {
                inserts.execute();
            }
            if (updates.size() > 0) {
                updates.execute();
            }
            return null;
        });
        gauges.update(now);
    }

    /** One finished inbox upload and the deadline its campaign's current facts give it. */
    private record Held(String uploadId, String campaign, boolean accepted, Instant received,
                        RetentionPolicy.Deadline deadline, boolean isNew, boolean changed) {
    }

    private Held held(ResultSet rs, Instant now) throws SQLException {
        boolean accepted = "ACCEPTED".equals(rs.getString(3));
        Instant received = instant(rs, 4);
        int days = rs.getInt(10);
        OptionalInt campaignDays = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(days);
        boolean ended = "ended".equalsIgnoreCase(rs.getString(12));
        Optional<Instant> endedAt = ended ? Optional.of(Optional.ofNullable(instant(rs, 13)).orElse(now))
                : Optional.empty();
        RetentionPolicy.Deadline d = policy.deadline(new RetentionPolicy.Facts(accepted, received,
                instant(rs, 9), campaignDays, rs.getBoolean(11), endedAt, Optional.ofNullable(instant(rs, 8))));
        boolean isNew = rs.getString(5) == null;
        boolean changed = !isNew && (!d.at().equals(instant(rs, 6)) || !d.reason().name().equals(rs.getString(7)));
        return new Held(rs.getString(1), rs.getString(2), accepted, received, d, isNew, changed);
    }

    /** Marks one list as called through: due now. Returns false if it is not a held dataset (yet). */
    public boolean calledThrough(String uploadId, Instant at) {
        refresh(at);
        boolean marked = update("UPDATE dataset SET called_through_at = COALESCE(called_through_at, ?)"
                + " WHERE upload_id = ? AND state = 'HELD' AND accepted", utc(at), uploadId) > 0;
        refresh(at);
        return marked;
    }

    /** Marks every held list of a campaign as called through; returns how many. */
    public int campaignCalledThrough(String campaign, Instant at) {
        refresh(at);
        int n = update("UPDATE dataset SET called_through_at = COALESCE(called_through_at, ?)"
                + " WHERE campaign = ? AND state = 'HELD' AND accepted", utc(at), campaign);
        refresh(at);
        return n;
    }

    public List<Dataset> all() {
        return datasets("", List.of());
    }

    public List<Dataset> ofCampaign(String campaign) {
        return datasets(" WHERE d.campaign = ?", List.of(campaign));
    }

    /** Held datasets whose deadline has come, oldest deadline first. */
    public List<Dataset> due(Instant now) {
        return datasets(" WHERE d.state = 'HELD' AND d.deadline <= ?", List.of(utc(now)));
    }

    public List<Dataset> ofRun(String runId) {
        return datasets(" WHERE d.run_id = ?", List.of(runId));
    }

    /** Datasets not yet shredded whose deadline is strictly past. */
    public long overdue(Instant now) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dataset WHERE state <> 'SHREDDED' AND deadline < ?")
                .bind(0, utc(now)).mapTo(Long.class).one());
    }

    /** The deadlines (epoch milliseconds, ascending) of datasets not yet shredded and not yet due at {@code now}. */
    long[] deadlinesFrom(Instant now) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT deadline FROM dataset WHERE state <> 'SHREDDED' AND deadline >= ? ORDER BY deadline")
                .bind(0, utc(now)).map((rs, ctx) -> instant(rs, 1).toEpochMilli()).list())
                .stream().mapToLong(Long::longValue).toArray();
    }

    /** The nearest deadline of anything not yet shredded. */
    public Optional<Instant> nextDeadline() {
        return single("SELECT MIN(deadline) FROM dataset WHERE state <> 'SHREDDED'");
    }

    /** When the oldest personal data still held was received (accepted lists only; rejected ones hold none). */
    public Optional<Instant> oldestHeld() {
        return single("SELECT MIN(received_at) FROM dataset WHERE state <> 'SHREDDED' AND accepted");
    }

    /** Datasets of the campaign not yet shredded and not in the given run. */
    public long heldOutside(String campaign) {
        return count("SELECT COUNT(*) FROM dataset WHERE campaign = ? AND state = 'HELD'", campaign);
    }

    /** Uploads of the campaign the pipeline has not finished (they may still store records). */
    public long unfinishedUploads(String campaign) {
        return count("SELECT COUNT(*) FROM upload WHERE campaign = ? AND state NOT IN ('ACCEPTED', 'REJECTED')",
                campaign);
    }

    /** Ended campaigns whose data key has not been destroyed yet. */
    public List<String> endedWithLiveKey() {
        return db.withHandle(h -> h.createQuery("SELECT c.id FROM campaign c WHERE c.status = 'ended'"
                + " AND NOT EXISTS (SELECT 1 FROM campaign_key k WHERE k.campaign = c.id"
                + " AND k.destroyed_at IS NOT NULL) ORDER BY c.id").mapTo(String.class).list());
    }

    Database db() {
        return db;
    }

    private List<Dataset> datasets(String where, List<Object> params) {
        return db.withHandle(h -> {
            Query q = h.createQuery("SELECT " + DATASET_COLUMNS + " FROM dataset d JOIN upload u"
                    + " ON u.id = d.upload_id" + where + " ORDER BY d.deadline, d.upload_id");
            for (int i = 0; i < params.size(); i++) {
                q.bind(i, params.get(i));
            }
            return q.map((rs, ctx) -> new Dataset(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                    Optional.ofNullable(rs.getString(5)), instant(rs, 6), instant(rs, 7),
                    RetentionPolicy.Reason.valueOf(rs.getString(8)), Dataset.State.valueOf(rs.getString(9)),
                    Optional.ofNullable(rs.getString(10)), rs.getLong(11),
                    Optional.ofNullable(rs.getString(12)).orElse(""), Optional.ofNullable(instant(rs, 13)))).list();
        });
    }

    private Optional<Instant> single(String sql) {
        return db.withHandle(h -> h.createQuery(sql).map((rs, ctx) -> instant(rs, 1)).findFirst());
    }

    private long count(String sql, String param) {
        return db.withHandle(h -> h.createQuery(sql).bind(0, param).mapTo(Long.class).one());
    }

    int update(String sql, Object... params) {
        return db.update(sql, params);
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
