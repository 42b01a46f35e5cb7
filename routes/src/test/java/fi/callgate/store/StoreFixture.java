package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumber;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A real store in a temporary data directory, with helpers to make campaigns, uploads and records. */
final class StoreFixture implements AutoCloseable {
    static final MasterKey MASTER = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31, 32}));

    final Path dataDir;
    final Database db;
    final CampaignKeyStore keys;
    final BlindIndex index;
    final RecordStore records;

    StoreFixture(Path dataDir) throws IOException {
        this(dataDir, CampaignKeyStore.defaultKeyDir(dataDir));
    }

    StoreFixture(Path dataDir, Path keyDir) throws IOException {
        this.dataDir = dataDir;
        this.db = Database.open(dataDir, MASTER);
        this.keys = new CampaignKeyStore(db, MASTER, keyDir, Clock.systemUTC());
        this.index = new BlindIndex(MASTER);
        this.records = new RecordStore(db, MASTER, keys, index, Clock.systemUTC());
    }

    void campaign(String id, String org) {
        new CampaignStore(db, Clock.systemUTC()).create(new CampaignStore.NewCampaign(id, org,
                LocalDate.of(2030, 1, 1), OptionalInt.empty(), true, false, List.of("first_name", "last_name")));
    }

    void upload(String id, String campaign) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload(id, campaign, area, account,"
                    + " original_name, spool_name, size_bytes, spool_iv, state, received_at, updated_at)"
                    + " VALUES (?, ?, 'inbox', 'ctl', 'list.csv.gpg', ?, 1, ?, 'received', ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, campaign);
                ps.setString(3, id + ".spool");
                ps.setString(4, "00".repeat(16));
                ps.setObject(5, now);
                ps.setObject(6, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Stages and publishes the records; returns their ids in order. */
    List<String> store(String uploadId, String campaign, List<CallRecord> list) {
        try (RecordStore.Staging s = records.stage(uploadId, campaign)) {
            List<String> ids = list.stream().map(s::add).toList();
            s.finish();
            records.publish(uploadId);
            return ids;
        }
    }

    static CallRecord full(long row, String first, String last, String phone, String email, String postal) {
        return new CallRecord(row, first, last, new PhoneNumber(phone), Optional.of(email),
                Optional.of("Hämeentie 1 A 2"), Optional.of(postal), Optional.of("Helsinki"),
                "Asiakasrekisteri 2026", Optional.of(PersonalIdCode.parse("131052-308T")));
    }

    static CallRecord minimal(long row, String first, String last, String phone) {
        return new CallRecord(row, first, last, new PhoneNumber(phone), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), "kilpailu", Optional.empty());
    }

    @Override
    public void close() {
        try {
            records.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        db.close();
    }
}
