package fi.callgate.dialer;

import fi.callgate.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
                          Optional<String> downloadedBy, boolean sealedToUpload) {
    }

    private static final String COLUMNS = "upload_id, campaign, list_number, file_name, state, generation,"
            + " rows_listed, rows_blocked, plain_size, sha256, published_at, downloaded_at, downloaded_by,"
            + " sealed_to_upload";

    /**
     * The list of an upload, assigning the campaign's next number on first call. Serialised (one process
     * owns the store), so two uploads of one campaign never get the same number.
     */
    public synchronized ListRow assign(String uploadId, String campaign) {
        Optional<ListRow> existing = byUpload(uploadId);
        if (existing.isPresent()) {
            return existing.get();
        }
        db.inTransaction(c -> {
            int number;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT next_number FROM dialer_list_seq WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    number = rs.next() ? rs.getInt(1) : 1;
                }
            }
            if (number > 9999) {
                throw new IllegalStateException("campaign " + campaign + " has used all 9999 list numbers");
            }
            try (PreparedStatement ps = c.prepareStatement(number == 1
                    ? "INSERT INTO dialer_list_seq(next_number, campaign) VALUES (?, ?)"
                    : "UPDATE dialer_list_seq SET next_number = ? WHERE campaign = ?")) {
                ps.setInt(1, number + 1);
                ps.setString(2, campaign);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dialer_list(upload_id, campaign,"
                    + " list_number, file_name, state) VALUES (?, ?, ?, ?, 'ASSIGNED')")) {
                ps.setString(1, uploadId);
                ps.setString(2, campaign);
                ps.setInt(3, number);
                ps.setString(4, fileName(campaign, number));
                ps.executeUpdate();
            }
            return null;
        });
        return byUpload(uploadId).orElseThrow();
    }

    /** The campaign's list format: "callgate" unless set to "vicidial". */
    public String format(String campaign) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT format FROM dialer_format WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "callgate";
                }
            }
        });
    }

    public void setFormat(String campaign, String format) {
        db.withConnection(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM dialer_format WHERE campaign = ?")) {
                del.setString(1, campaign);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dialer_format(campaign, format) VALUES (?, ?)")) {
                ps.setString(1, campaign);
                ps.setString(2, format);
                ps.executeUpdate();
            }
            return null;
        });
    }

    static String fileName(String campaign, int number) {
        return String.format("%s-%04d.csv", campaign, number);
    }

    /**
     * Records a (re-)publication: new counts, size and digest, how the file is sealed (to its upload when the
     * validate pass wrote it, else to its name); generation + 1.
     */
    public void published(String uploadId, long listed, long blocked, long plainSize, String sha256,
                          boolean sealedToUpload) {
        db.update("UPDATE dialer_list SET state = 'PUBLISHED', generation = generation + 1, rows_listed = ?,"
                + " rows_blocked = ?, plain_size = ?, sha256 = ?, published_at = ?, sealed_to_upload = ?"
                + " WHERE upload_id = ?", listed, blocked, plainSize, sha256, now(), sealedToUpload, uploadId);
    }

    /**
     * A list the validate pass wrote, not yet published: its figures, and what it was rendered against
     * (the block list's size then, the campaign's layout).
     */
    public record Staged(String uploadId, long rowsListed, long rowsBlocked, long rowsWithheld, long plainSize,
                         String sha256, long blockListSize, String layout) {
    }

    /** Records a staged list's figures (replacing those of an earlier, discarded attempt). */
    public void staged(Staged s) {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM staged_dialer_list WHERE upload_id = ?")) {
                del.setString(1, s.uploadId());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO staged_dialer_list(upload_id, rows_listed,"
                    + " rows_blocked, rows_withheld, plain_size, sha256, blocklist_size, layout)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.uploadId());
                ps.setLong(2, s.rowsListed());
                ps.setLong(3, s.rowsBlocked());
                ps.setLong(4, s.rowsWithheld());
                ps.setLong(5, s.plainSize());
                ps.setString(6, s.sha256());
                ps.setLong(7, s.blockListSize());
                ps.setString(8, s.layout());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Staged> stagedOf(String uploadId) {
        List<Staged> rows = db.query("SELECT upload_id, rows_listed, rows_blocked, rows_withheld, plain_size, sha256,"
                + " blocklist_size, layout FROM staged_dialer_list WHERE upload_id = ?", rs -> new Staged(
                rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6),
                rs.getLong(7), rs.getString(8)), uploadId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The staged list was published or discarded. */
    public void dropStaged(String uploadId) {
        db.update("DELETE FROM staged_dialer_list WHERE upload_id = ?", uploadId);
    }

    /** The list was destroyed with its dataset; the row stays as the record of what the file was. */
    public void removed(String uploadId) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dialer_list SET state = 'REMOVED' WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The first complete download by the dialer; later ones change nothing. @return true if first */
    public boolean downloaded(String campaign, String fileName, String account) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dialer_list SET downloaded_at = ?,"
                    + " downloaded_by = ? WHERE campaign = ? AND file_name = ? AND downloaded_at IS NULL")) {
                ps.setObject(1, now());
                ps.setString(2, account);
                ps.setString(3, campaign);
                ps.setString(4, fileName);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<ListRow> byUpload(String uploadId) {
        return one("upload_id = ?", uploadId);
    }

    public Optional<ListRow> byName(String campaign, String fileName) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM dialer_list WHERE campaign = ? AND file_name = ?")) {
                ps.setString(1, campaign);
                ps.setString(2, fileName);
                return first(ps);
            }
        });
    }

    public List<ListRow> ofCampaign(String campaign) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM dialer_list WHERE campaign = ? ORDER BY list_number")) {
                ps.setString(1, campaign);
                return all(ps);
            }
        });
    }

    /** A published list not yet downloaded, with how many blocked numbers it left out when rendered. */
    public record Undownloaded(String uploadId, long rowsBlocked) {
    }

    /** Published lists not yet downloaded: the candidates for re-publication after a block-list change. */
    public List<Undownloaded> undownloaded() {
        return db.query("SELECT upload_id, rows_blocked FROM dialer_list WHERE state = 'PUBLISHED'"
                + " AND downloaded_at IS NULL", rs -> new Undownloaded(rs.getString(1), rs.getLong(2)));
    }

    /** Every blocked phone's blind index (keyed hashes only; the list is small next to the records). */
    public List<byte[]> blockedPhoneHashes() {
        return db.query("SELECT phone_idx FROM blocked_phone", rs -> rs.getBytes(1));
    }

    private Optional<ListRow> one(String where, String value) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dialer_list WHERE " + where)) {
                ps.setString(1, value);
                return first(ps);
            }
        });
    }

    private static Optional<ListRow> first(PreparedStatement ps) throws SQLException {
        List<ListRow> rows = all(ps);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<ListRow> all(PreparedStatement ps) throws SQLException {
        List<ListRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long size = rs.getLong(9);
                Optional<Long> plain = rs.wasNull() ? Optional.empty() : Optional.of(size);
                out.add(new ListRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        State.valueOf(rs.getString(5)), rs.getInt(6), rs.getLong(7), rs.getLong(8), plain,
                        Optional.ofNullable(rs.getString(10)), instant(rs, 11), instant(rs, 12),
                        Optional.ofNullable(rs.getString(13)), rs.getBoolean(14)));
            }
        }
        return out;
    }

    private static Optional<Instant> instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

}
