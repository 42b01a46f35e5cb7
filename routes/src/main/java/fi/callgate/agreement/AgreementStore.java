package fi.callgate.agreement;

import fi.callgate.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** SQL for {@code campaign_supplier}, {@code party_method} and the provenance columns of {@code upload}. */
public final class AgreementStore {
    private static final String GRANT_COLUMNS = "campaign, account, agreement, granted_at, granted_by, ended_at";
    private final Database db;
    private final Clock clock;

    public AgreementStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Grants (or grants again, with a new agreement, after an end) a supplier a campaign. */
    public void grantSupplier(String campaign, String account, String agreement, String by) {
        update("MERGE INTO campaign_supplier s USING (VALUES(?, ?, ?, ?, ?)) AS v(campaign, account, agreement,"
                + " granted_at, granted_by) ON s.campaign = v.campaign AND s.account = v.account"
                + " WHEN MATCHED THEN UPDATE SET agreement = v.agreement, granted_at = v.granted_at,"
                + " granted_by = v.granted_by, ended_at = NULL, ended_by = NULL"
                + " WHEN NOT MATCHED THEN INSERT (campaign, account, agreement, granted_at, granted_by)"
                + " VALUES v.campaign, v.account, v.agreement, v.granted_at, v.granted_by",
                campaign, account, agreement, now(), by);
    }

    /** Withdraws a supplier's grant; false if it had none or it had already ended. */
    public boolean endSupplier(String campaign, String account, String by) {
        return update("UPDATE campaign_supplier SET ended_at = ?, ended_by = ? WHERE campaign = ? AND account = ?"
                + " AND ended_at IS NULL", now(), by, campaign, account) > 0;
    }

    public Optional<SupplierGrant> supplierGrant(String campaign, String account) {
        return db.withHandle(h -> h.select("SELECT " + GRANT_COLUMNS + " FROM campaign_supplier WHERE campaign = ?"
                + " AND account = ?", campaign, account).map((rs, ctx) -> grant(rs)).findFirst());
    }

    /** Every supplier grant of a campaign, ended ones included. */
    public List<SupplierGrant> suppliersOf(String campaign) {
        return db.withHandle(h -> h.select("SELECT " + GRANT_COLUMNS + " FROM campaign_supplier WHERE campaign = ?"
                + " ORDER BY account", campaign).map((rs, ctx) -> grant(rs)).list());
    }

    /** The campaigns an account currently supplies. */
    public List<String> campaignsSuppliedBy(String account) {
        return db.withHandle(h -> h.select("SELECT campaign FROM campaign_supplier WHERE account = ? AND ended_at IS NULL"
                + " ORDER BY campaign", account).mapTo(String.class).list());
    }

    /** The organisation of an account (suppliers have one), read here so routes need no account model. */
    public Optional<String> orgOf(String account) {
        return db.withHandle(h -> h.select("SELECT org FROM account WHERE name = ?", account).mapTo(String.class)
                .findFirst());
    }

    /** Fixes an upload's provenance on its row; idempotent (a re-run writes the same values). */
    public void recordProvenance(String uploadId, Provenance p) {
        update("UPDATE upload SET supplier = ?, supplier_org = ?, agreement = ? WHERE id = ?", p.supplier(),
                p.supplierOrg(), p.agreement(), uploadId);
    }

    /** The supplier an upload came through; empty for a controller's own upload. */
    public Optional<Provenance> provenance(String uploadId) {
        return db.withHandle(h -> h.select("SELECT supplier, supplier_org, agreement FROM upload WHERE id = ?"
                + " AND supplier IS NOT NULL", uploadId)
                .map((rs, ctx) -> new Provenance(rs.getString(1), rs.getString(2), rs.getString(3))).findFirst());
    }

    public Method method(Party party) {
        return db.withHandle(h -> h.select("SELECT method FROM party_method WHERE campaign = ? AND party = ?",
                party.campaign(), party.key()).map((rs, ctx) -> Method.of(rs.getString(1)).orElseThrow()).findFirst())
                .orElse(Method.OPENPGP);
    }

    public void setMethod(Party party, Method method) {
        ensureRow(party);
        update("UPDATE party_method SET method = ?, updated_at = ? WHERE campaign = ? AND party = ?", method.code(),
                now(), party.campaign(), party.key());
    }

    void setPassphraseSealed(Party party, byte[] sealed) {
        ensureRow(party);
        update("UPDATE party_method SET passphrase_sealed = ?, passphrase_set_at = ?, updated_at = ? WHERE campaign = ?"
                + " AND party = ?", sealed, now(), now(), party.campaign(), party.key());
    }

    Optional<byte[]> passphraseSealed(Party party) {
        return db.withHandle(h -> h.select("SELECT passphrase_sealed FROM party_method WHERE campaign = ? AND party = ?"
                + " AND passphrase_sealed IS NOT NULL", party.campaign(), party.key()).mapTo(byte[].class).findFirst());
    }

    /** When the party's passphrase was last set; for {@code campaign show}. */
    public Optional<Instant> passphraseSetAt(Party party) {
        return db.withHandle(h -> h.select("SELECT passphrase_set_at FROM party_method WHERE campaign = ? AND party = ?"
                + " AND passphrase_set_at IS NOT NULL", party.campaign(), party.key())
                .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).findFirst());
    }

    /** A supplier's own OpenPGP public key (a controller's is the campaign's controller key). */
    public void setPgpKey(Party party, String armored, String fingerprint) {
        ensureRow(party);
        update("UPDATE party_method SET pgp_key = ?, pgp_key_fpr = ?, updated_at = ? WHERE campaign = ? AND party = ?",
                armored, fingerprint, now(), party.campaign(), party.key());
    }

    public Optional<String> pgpKey(Party party) {
        return db.withHandle(h -> h.select("SELECT pgp_key FROM party_method WHERE campaign = ? AND party = ?"
                + " AND pgp_key IS NOT NULL", party.campaign(), party.key()).mapTo(String.class).findFirst());
    }

    public Optional<String> pgpKeyFingerprint(Party party) {
        return db.withHandle(h -> h.select("SELECT pgp_key_fpr FROM party_method WHERE campaign = ? AND party = ?"
                + " AND pgp_key_fpr IS NOT NULL", party.campaign(), party.key()).mapTo(String.class).findFirst());
    }

    private void ensureRow(Party party) {
        update("MERGE INTO party_method p USING (VALUES(?, ?, ?)) AS v(campaign, party, updated_at)"
                + " ON p.campaign = v.campaign AND p.party = v.party WHEN NOT MATCHED THEN INSERT (campaign, party,"
                + " updated_at) VALUES v.campaign, v.party, v.updated_at", party.campaign(), party.key(), now());
    }

    private static SupplierGrant grant(ResultSet rs) throws SQLException {
        OffsetDateTime ended = rs.getObject(6, OffsetDateTime.class);
        return new SupplierGrant(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                Optional.ofNullable(ended).map(OffsetDateTime::toInstant));
    }

    private int update(String sql, Object... params) {
        return db.update(sql, params);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
