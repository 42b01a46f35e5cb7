package fi.callgate.dialer;

import fi.callgate.dialer.DialerPush.Kind;
import fi.callgate.dialer.DialerPush.Target;
import fi.callgate.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        db.inTransaction(c -> {
            delete(c, kind, t.campaign());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO push_target(campaign, kind, host, port,"
                    + " username, directory, location, host_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.campaign());
                ps.setString(2, kind.name());
                ps.setString(3, t.host());
                ps.setInt(4, t.port());
                ps.setString(5, t.user());
                ps.setString(6, t.directory());
                ps.setString(7, t.location());
                ps.setString(8, t.hostKeyLine().strip());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void disable(Kind kind, String campaign) {
        db.withConnection(c -> {
            delete(c, kind, campaign);
            return null;
        });
    }

    private static void delete(java.sql.Connection c, Kind kind, String campaign) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM push_target WHERE campaign = ? AND kind = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, kind.name());
            ps.executeUpdate();
        }
    }

    public Optional<Target> find(Kind kind, String campaign) {
        return db.query("SELECT host, port, username, directory, location, host_key FROM push_target"
                        + " WHERE campaign = ? AND kind = ?",
                rs -> new Target(campaign, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), campaign, kind.name()).stream().findFirst();
    }

    /** For {@code campaign show}: target and last outcome under the kind's keys; empty if it does not push. */
    public Map<String, Object> status(Kind kind, String campaign) {
        Map<String, Object> out = new LinkedHashMap<>();
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT host, port, username, directory, location,"
                    + " last_status, last_attempt_at, last_success_at, failures FROM push_target"
                    + " WHERE campaign = ? AND kind = ?")) {
                ps.setString(1, campaign);
                ps.setString(2, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String p = kind.statusPrefix;
                        out.put(p + "target", rs.getString(3) + "@" + rs.getString(1) + ":" + rs.getInt(2) + "/"
                                + rs.getString(4));
                        out.put(p + "location", rs.getString(5));
                        out.put(p + "last_status", rs.getString(6));
                        out.put(p + "last_attempt", String.valueOf(rs.getObject(7, OffsetDateTime.class)));
                        out.put(p + "last_success", String.valueOf(rs.getObject(8, OffsetDateTime.class)));
                        out.put(p + "failures", rs.getLong(9));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Records an attempt's outcome; a failure also counts in {@code failures}. */
    void record(Kind kind, String campaign, String status, boolean success) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE push_target SET last_status = ?,"
                    + " last_attempt_at = ?,"
                    + (success ? " last_success_at = ?" : " failures = failures + 1")
                    + " WHERE campaign = ? AND kind = ?")) {
                OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                ps.setString(1, status.length() > 500 ? status.substring(0, 500) : status);
                ps.setObject(2, now);
                int i = 3;
                if (success) {
                    ps.setObject(i++, now);
                }
                ps.setString(i++, campaign);
                ps.setString(i, kind.name());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
