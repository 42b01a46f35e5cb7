package fi.callgate.dialer;

import fi.callgate.dialer.DialerPush.Kind;
import fi.callgate.dialer.DialerPush.Target;
import fi.callgate.store.Database;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The {@code push_target} table: where each campaign pushes what ({@link Kind}), and the last outcome that
 * {@code campaign show} reports. One row per (campaign, kind).
 */
public final class PushTargets {
    private final Database db;
    private final Clock clock;

    public PushTargets(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Sets (or replaces) the campaign's target of this kind; its last outcome starts afresh. */
    public void configure(Kind kind, Target t) {
        db.transaction(h -> {
            delete(h, kind, t.campaign());
            return h.createUpdate("INSERT INTO push_target(campaign, kind, host, port, username, directory, location,"
                            + " host_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, t.campaign()).bind(1, kind.name()).bind(2, t.host()).bind(3, t.port()).bind(4, t.user())
                    .bind(5, t.directory()).bind(6, t.location()).bind(7, t.hostKeyLine().strip()).execute();
        });
    }

    public void disable(Kind kind, String campaign) {
        db.withHandle(h -> delete(h, kind, campaign));
    }

    private static int delete(Handle h, Kind kind, String campaign) {
        return h.execute("DELETE FROM push_target WHERE campaign = ? AND kind = ?", campaign, kind.name());
    }

    public Optional<Target> find(Kind kind, String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT host, port, username, directory, location, host_key"
                        + " FROM push_target WHERE campaign = ? AND kind = ?").bind(0, campaign).bind(1, kind.name())
                .map((rs, ctx) -> new Target(campaign, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6))).findFirst());
    }

    /** For {@code campaign show}: target and last outcome under the kind's keys; empty if it does not push. */
    public Map<String, Object> status(Kind kind, String campaign) {
        String p = kind.statusPrefix;
        return db.withHandle(h -> h.createQuery("SELECT host, port, username, directory, location, last_status,"
                        + " last_attempt_at, last_success_at, failures FROM push_target WHERE campaign = ? AND kind = ?")
                .bind(0, campaign).bind(1, kind.name())
                .map((rs, ctx) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put(p + "target", rs.getString(3) + "@" + rs.getString(1) + ":" + rs.getInt(2) + "/"
                            + rs.getString(4));
                    out.put(p + "location", rs.getString(5));
                    out.put(p + "last_status", rs.getString(6));
                    out.put(p + "last_attempt", String.valueOf(rs.getObject(7, OffsetDateTime.class)));
                    out.put(p + "last_success", String.valueOf(rs.getObject(8, OffsetDateTime.class)));
                    out.put(p + "failures", rs.getLong(9));
                    return out;
                }).findFirst()).orElseGet(LinkedHashMap::new);
    }

    /** Records an attempt's outcome; a failure also counts in {@code failures}. */
    void record(Kind kind, String campaign, String status, boolean success) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String shown = status.length() > 500 ? status.substring(0, 500) : status;
        String sql = "UPDATE push_target SET last_status = ?, last_attempt_at = ?,"
                + (success ? " last_success_at = ?" : " failures = failures + 1") + " WHERE campaign = ? AND kind = ?";
        if (success) {
            db.update(sql, shown, now, now, campaign, kind.name());
        } else {
            db.update(sql, shown, now, campaign, kind.name());
        }
    }
}
