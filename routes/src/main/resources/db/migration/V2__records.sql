-- Per-campaign data keys, only ever stored wrapped (see CampaignKeyStore for the key hierarchy). A row
-- with destroyed_at set is a tombstone: the key was crypto-shredded and the campaign id can never get a
-- new key, so nothing can be stored under an id whose old data was promised destroyed.
CREATE TABLE campaign_key (
    campaign      VARCHAR(40)    NOT NULL PRIMARY KEY REFERENCES campaign(id),
    wrapped_key   VARBINARY(128),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    destroyed_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT campaign_key_state_ck CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);

-- One row per accepted upload whose records are stored. Its state decides the visibility of all of the
-- upload's records at once: STAGED (being written, invisible), ACTIVE (published, visible), DELETED
-- (withdrawn, invisible; rows are removed in chunks and a tombstone stays so the upload is never stored
-- twice). Publishing is then one single-row UPDATE whatever the list size, instead of rewriting every
-- record row in one huge transaction.
CREATE TABLE record_set (
    upload_id     VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES upload(id),
    campaign      VARCHAR(40)    NOT NULL REFERENCES campaign(id),
    state         VARCHAR(16)    NOT NULL,
    record_count  BIGINT         DEFAULT 0 NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE,
    deleted_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT record_set_state_ck CHECK (state IN ('STAGED', 'ACTIVE', 'DELETED'))
);
CREATE INDEX record_set_campaign_ix ON record_set(campaign);

-- One accepted call-list row. payload is the whole record, AES-256-GCM under the campaign's data key
-- (RecordCipher); the *_idx columns are 16-byte keyed hashes (BlindIndex), never plaintext. record_id is
-- 128 random bits in base32: opaque, unguessable, and safe as a CSV cell.
CREATE TABLE call_record (
    record_id        VARCHAR(26)    NOT NULL PRIMARY KEY,
    campaign         VARCHAR(40)    NOT NULL,
    upload_id        VARCHAR(36)    NOT NULL REFERENCES record_set(upload_id),
    row_number       BIGINT         NOT NULL,
    payload          VARBINARY(262144) NOT NULL,
    phone_idx        BINARY(16)     NOT NULL,
    email_idx        BINARY(16),
    name_postal_idx  BINARY(16),
    name_idx         BINARY(16)     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT call_record_row_uq UNIQUE (upload_id, row_number)
);
CREATE INDEX call_record_campaign_ix ON call_record(campaign);
CREATE INDEX call_record_phone_ix ON call_record(phone_idx);
CREATE INDEX call_record_email_ix ON call_record(email_idx);
CREATE INDEX call_record_name_postal_ix ON call_record(name_postal_idx);
CREATE INDEX call_record_name_ix ON call_record(name_idx);
