package fi.callgate.store;

import fi.callgate.domain.Campaign;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.Query;

/** Campaigns and the grants that give supervisors and dialers access to them. */
public final class CampaignStore {
    private static final String COLUMNS = "id, org, ends_on, retention_days, personal_id, require_signature,"
            + " dialer_fields, controller_pgp_key, controller_key_fpr, status, created_at, last_activity_at";
    private final Database db;
    private final Clock clock;

    public CampaignStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What {@code campaign add} asks for. */
    public record NewCampaign(String id, String org, LocalDate endsOn, OptionalInt retentionDays,
                              boolean personalId, boolean requireSignature, List<String> dialerFields) {
    }

    public Campaign create(NewCampaign n) {
        OffsetDateTime now = now();
        try {
            db.withHandle(h -> h.createUpdate("INSERT INTO campaign(id, org, ends_on, retention_days, personal_id,"
                            + " require_signature, dialer_fields, status, created_at, last_activity_at)"
                            + " VALUES (?,?,?,?,?,?,?,'active',?,?)")
                    .bind(0, n.id()).bind(1, n.org()).bind(2, n.endsOn())
                    .bind(3, n.retentionDays().isPresent() ? Integer.valueOf(n.retentionDays().getAsInt()) : null)
                    .bind(4, n.personalId()).bind(5, n.requireSignature()).bind(6, String.join(",", n.dialerFields()))
                    .bind(7, now).bind(8, now).execute());
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                throw new IllegalArgumentException("campaign " + n.id() + " already exists");
            }
            throw e;
        }
        return find(n.id()).orElseThrow();
    }

    public Optional<Campaign> find(String id) {
        List<Campaign> found = query("SELECT " + COLUMNS + " FROM campaign WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<Campaign> list() {
        return query("SELECT " + COLUMNS + " FROM campaign ORDER BY id", null);
    }

    /** Campaigns of one client organisation (a controller's). */
    public List<Campaign> ofOrg(String org) {
        return query("SELECT " + COLUMNS + " FROM campaign WHERE org = ? ORDER BY id", org);
    }

    /** Campaigns granted to a supervisor or dialer account. */
    public List<Campaign> grantedTo(String account) {
        return query("SELECT " + COLUMNS.replaceAll("(^|, )", "$1c.") + " FROM campaign c JOIN campaign_grant g"
                + " ON g.campaign = c.id WHERE g.account = ? ORDER BY c.id", account);
    }

    /** Campaigns a supplier account may currently deliver lists to (issue #16; see AgreementStore). */
    public List<Campaign> suppliedBy(String account) {
        return query("SELECT " + COLUMNS.replaceAll("(^|, )", "$1c.") + " FROM campaign c JOIN campaign_supplier s"
                + " ON s.campaign = c.id WHERE s.account = ? AND s.ended_at IS NULL ORDER BY c.id", account);
    }

    /**
     * The outbox files of a campaign that belong to one of its suppliers (the reports on the lists each
     * delivered), file name to supplier account: the controller never sees them, a supplier only its own.
     */
    public java.util.Map<String, String> supplierOutboxFiles(String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT r.report_file, u.account FROM upload_report r JOIN upload u"
                        + " ON u.id = r.upload_id WHERE u.campaign = ? AND r.report_file IS NOT NULL AND u.account IN"
                        + " (SELECT account FROM campaign_supplier WHERE campaign = ?)").bind(0, campaign).bind(1, campaign)
                .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
                .collect(Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue, (a, b) -> b,
                        java.util.HashMap::new)));
    }

    /** The written agreement under which the campaign's recordings may go to its controller, if any. */
    public Optional<String> recordingsAgreement(String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT agreement FROM recording_agreement WHERE campaign = ?")
                .bind(0, campaign).mapTo(String.class).findFirst());
    }

    public List<String> grantees(String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT account FROM campaign_grant WHERE campaign = ? ORDER BY account")
                .bind(0, campaign).mapTo(String.class).list());
    }

    /** Idempotent: granting twice is not an error. */
    public void grant(String campaign, String account, String grantedBy) {
        db.update("MERGE INTO campaign_grant g USING (VALUES(?, ?, ?, ?)) AS v(campaign, account, granted_at, granted_by)"
                + " ON g.campaign = v.campaign AND g.account = v.account WHEN NOT MATCHED THEN INSERT VALUES"
                + " v.campaign, v.account, v.granted_at, v.granted_by", campaign, account, now(), grantedBy);
    }

    public void setControllerKey(String campaign, String armored, String fingerprint) {
        db.update("UPDATE campaign SET controller_pgp_key = ?, controller_key_fpr = ? WHERE id = ?", armored,
                fingerprint, campaign);
    }

    /**
     * Ends the campaign now (status ended, end time recorded once). Uploads are refused from then on and
     * its data becomes due for shredding. Returns false if it had already ended or does not exist.
     */
    public boolean end(String campaign) {
        return db.update("UPDATE campaign SET status = 'ended', ended_at = COALESCE(ended_at, ?) WHERE id = ?"
                + " AND status <> 'ended'", now(), campaign) == 1;
    }

    public void touch(String campaign) {
        db.update("UPDATE campaign SET last_activity_at = ? WHERE id = ?", now(), campaign);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private List<Campaign> query(String sql, String param) {
        return db.withHandle(h -> {
            Query q = h.createQuery(sql);
            if (param != null) {
                q.bind(0, param);
            }
            return q.map((rs, ctx) -> read(rs)).list();
        });
    }

    private static Campaign read(ResultSet rs) throws SQLException {
        int days = rs.getInt(4);
        OptionalInt retention = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(days);
        return new Campaign(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), retention,
                rs.getBoolean(5), rs.getBoolean(6), Arrays.asList(rs.getString(7).split(",")),
                Optional.ofNullable(rs.getString(8)), Optional.ofNullable(rs.getString(9)),
                Campaign.Status.valueOf(rs.getString(10).toUpperCase(Locale.ROOT)),
                rs.getObject(11, OffsetDateTime.class).toInstant(), rs.getObject(12, OffsetDateTime.class).toInstant());
    }
}
