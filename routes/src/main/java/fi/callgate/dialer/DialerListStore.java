package fi.callgate.dialer;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code dialer_list} rows: which upload became which list, its counts and times. Nothing personal is
 * here: counts, a file name, the plaintext's SHA-256 (of a whole list, not of a value a guess could test).
 */
public final class DialerListStore {
    private final Database db;
    private final Clock clock;

    public DialerListStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public enum State { ASSIGNED, PUBLISHED, REMOVED }

    /** One list row. */
    public record ListRow(String uploadId, String campaign, int number, String fileName, State state,
                          int generation, long rowsListed, long rowsBlocked, Optional<Long> plainSize,
                          Optional<String> sha256, Optional<Instant> publishedAt, Optional<Instant> downloadedAt,
                          Optional<String> downloadedBy) {
    }

    private static final String COLUMNS = "upload_id, campaign, list_number, file_name, state, generation,"
            + " rows_listed, rows_blocked, plain_size, sha256, published_at, downloaded_at, downloaded_by";

    /**
     * The list of an upload, assigning the campaign's next number on first call. Serialised (one process
     * owns the store), so two uploads of one campaign never get the same number.
     */
    public synchronized ListRow assign(String uploadId, String campaign) {
        Optional<ListRow> existing = byUpload(uploadId);
        if (existing.isPresent()) {
            return existing.get();
        }
        db.transaction(h -> {
            int number = h.createQuery("SELECT next_number FROM dialer_list_seq WHERE campaign = ?").bind(0, campaign)
                    .mapTo(Integer.class).findFirst().orElse(1);
            if (number > 9999) {
                throw new IllegalStateException("campaign " + campaign + " has used all 9999 list numbers");
            }
            h.createUpdate(number == 1
                    ? "INSERT INTO dialer_list_seq(next_number, campaign) VALUES (?, ?)"
                    : "UPDATE dialer_list_seq SET next_number = ? WHERE campaign = ?")
                    .bind(0, number + 1).bind(1, campaign).execute();
            h.createUpdate("INSERT INTO dialer_list(upload_id, campaign, list_number, file_name, state)"
                    + " VALUES (?, ?, ?, ?, 'ASSIGNED')")
                    .bind(0, uploadId).bind(1, campaign).bind(2, number).bind(3, fileName(campaign, number)).execute();
            return null;
        });
        return byUpload(uploadId).orElseThrow();
    }

    /** The campaign's list format: "callgate" unless set to "vicidial". */
    public String format(String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT format FROM dialer_format WHERE campaign = ?").bind(0, campaign)
                .mapTo(String.class).findFirst()).orElse("callgate");
    }

    public void setFormat(String campaign, String format) {
        db.withHandle(h -> {
            h.execute("DELETE FROM dialer_format WHERE campaign = ?", campaign);
            return h.execute("INSERT INTO dialer_format(campaign, format) VALUES (?, ?)", campaign, format);
        });
    }

    static String fileName(String campaign, int number) {
        return String.format("%s-%04d.csv", campaign, number);
    }

    /** Records a (re-)publication: new counts, size and digest; generation + 1. */
    public void published(String uploadId, long listed, long blocked, long plainSize, String sha256) {
        db.update("UPDATE dialer_list SET state = 'PUBLISHED', generation = generation + 1, rows_listed = ?,"
                + " rows_blocked = ?, plain_size = ?, sha256 = ?, published_at = ? WHERE upload_id = ?",
                listed, blocked, plainSize, sha256, now(), uploadId);
    }

    /** The list was destroyed with its dataset; the row stays as the record of what the file was. */
    public void removed(String uploadId) {
        db.update("UPDATE dialer_list SET state = 'REMOVED' WHERE upload_id = ?", uploadId);
    }

    /** The first complete download by the dialer; later ones change nothing. @return true if first */
    public boolean downloaded(String campaign, String fileName, String account) {
        return db.update("UPDATE dialer_list SET downloaded_at = ?, downloaded_by = ? WHERE campaign = ?"
                + " AND file_name = ? AND downloaded_at IS NULL", now(), account, campaign, fileName) == 1;
    }

    public Optional<ListRow> byUpload(String uploadId) {
        return rows("upload_id = ?", uploadId).stream().findFirst();
    }

    public Optional<ListRow> byName(String campaign, String fileName) {
        return rows("campaign = ? AND file_name = ?", campaign, fileName).stream().findFirst();
    }

    public List<ListRow> ofCampaign(String campaign) {
        return rows("campaign = ? ORDER BY list_number", campaign);
    }

    /** A published list not yet downloaded, with how many blocked numbers it left out when rendered. */
    public record Undownloaded(String uploadId, long rowsBlocked) {
    }

    /** Published lists not yet downloaded: the candidates for re-publication after a block-list change. */
    public List<Undownloaded> undownloaded() {
        return db.withHandle(h -> h.createQuery("SELECT upload_id, rows_blocked FROM dialer_list WHERE state = 'PUBLISHED'"
                        + " AND downloaded_at IS NULL")
                .map((rs, ctx) -> new Undownloaded(rs.getString(1), rs.getLong(2))).list());
    }

    /** Every blocked phone's blind index (keyed hashes only; the list is small next to the records). */
    public List<byte[]> blockedPhoneHashes() {
        return db.withHandle(h -> h.createQuery("SELECT phone_idx FROM blocked_phone").mapTo(byte[].class).list());
    }

    private List<ListRow> rows(String where, String... params) {
        return db.withHandle(h -> {
            Query q = h.createQuery("SELECT " + COLUMNS + " FROM dialer_list WHERE " + where);
            for (int i = 0; i < params.length; i++) {
                q.bind(i, params[i]);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    private static ListRow row(ResultSet rs) throws SQLException {
        long size = rs.getLong(9);
        Optional<Long> plain = rs.wasNull() ? Optional.empty() : Optional.of(size);
        return new ListRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                State.valueOf(rs.getString(5)), rs.getInt(6), rs.getLong(7), rs.getLong(8), plain,
                Optional.ofNullable(rs.getString(10)), instant(rs, 11), instant(rs, 12),
                Optional.ofNullable(rs.getString(13)));
    }

    private static Optional<Instant> instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

}
