package fi.callgate.dialer;

import fi.callgate.dialer.DialerPush.Kind;
import fi.callgate.store.Database;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The durable queue of pushes ({@code push_queue}): a row lives from the submit until its file is pushed,
 * refused for good or gone. The in-memory hand-off to the push route is only a wake-up; after a stop or a
 * kill every row is queued again ({@link DialerPush#resume}).
 */
public final class PushQueue {
    private final Database db;
    private final Clock clock;

    public PushQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A file waiting to be pushed. */
    public record Entry(String campaign, String fileName) {
    }

    void add(Kind kind, String campaign, String fileName) {
        db.update("MERGE INTO push_queue q USING (VALUES (?, ?, ?, ?)) AS v(kind, campaign, file_name, queued_at)"
                + " ON q.kind = v.kind AND q.campaign = v.campaign AND q.file_name = v.file_name WHEN NOT MATCHED"
                + " THEN INSERT VALUES (v.kind, v.campaign, v.file_name, v.queued_at)", kind.name(), campaign, fileName,
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    }

    List<Entry> pending(Kind kind) {
        return db.withHandle(h -> h.createQuery("SELECT campaign, file_name FROM push_queue WHERE kind = ?"
                        + " ORDER BY queued_at, file_name").bind(0, kind.name())
                .map((rs, ctx) -> new Entry(rs.getString(1), rs.getString(2))).list());
    }

    /** The file needs no more pushing (pushed, refused for good, or gone). */
    void done(Kind kind, String campaign, String fileName) {
        db.update("DELETE FROM push_queue WHERE kind = ? AND campaign = ? AND file_name = ?", kind.name(), campaign,
                fileName);
    }
}
