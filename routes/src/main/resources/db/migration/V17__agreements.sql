-- Agreements the privacy policy names (issue #16): list suppliers, the encryption method agreed per party.

-- A supplier ("rekisteritoimittaja") is a list vendor's person; like a controller it belongs to an org.
ALTER TABLE account DROP CONSTRAINT account_role_ck;
ALTER TABLE account ADD CONSTRAINT account_role_ck
    CHECK (role IN ('admin', 'supervisor', 'controller', 'dialer', 'supplier'));
ALTER TABLE account DROP CONSTRAINT account_org_ck;
ALTER TABLE account ADD CONSTRAINT account_org_ck CHECK (role NOT IN ('controller', 'supplier') OR org IS NOT NULL);

-- Which supplier may deliver lists to which campaign, under which written agreement. The row stays after
-- the agreement ends (ended_at set): provenance of lists delivered earlier still names it.
CREATE TABLE campaign_supplier (
    campaign    VARCHAR(40)  NOT NULL REFERENCES campaign(id),
    account     VARCHAR(32)  NOT NULL REFERENCES account(name),
    agreement   VARCHAR(200) NOT NULL,
    granted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    granted_by  VARCHAR(32)  NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE,
    ended_by    VARCHAR(32),
    PRIMARY KEY (campaign, account)
);

-- Provenance: the supplier (account and its organisation) and the agreement an upload came through,
-- fixed when the upload is first processed. A record's supplier is its upload's (call_record.upload_id).
ALTER TABLE upload ADD COLUMN supplier VARCHAR(32);
ALTER TABLE upload ADD COLUMN supplier_org VARCHAR(64);
ALTER TABLE upload ADD COLUMN agreement VARCHAR(200);

-- The encryption method agreed with each party of a campaign: the controller (party '*controller') or a
-- supplier (its account name). passphrase_sealed: the aes-zip passphrase, AES-GCM under a key derived
-- from the master key and bound to (campaign, party); never stored or logged in plaintext.
-- pgp_key: a supplier's own OpenPGP public key (the controller's stays on the campaign row).
CREATE TABLE party_method (
    campaign           VARCHAR(40)   NOT NULL REFERENCES campaign(id),
    party              VARCHAR(32)   NOT NULL,
    method             VARCHAR(16)   DEFAULT 'openpgp' NOT NULL,
    passphrase_sealed  VARBINARY(512),
    passphrase_set_at  TIMESTAMP WITH TIME ZONE,
    pgp_key            CLOB,
    pgp_key_fpr        VARCHAR(64),
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (campaign, party),
    CONSTRAINT party_method_ck CHECK (method IN ('openpgp', 'aes-zip'))
);
