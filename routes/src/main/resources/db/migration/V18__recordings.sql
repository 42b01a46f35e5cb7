-- Call recordings (issue #16). A controller gets recordings only under a separate written agreement:
-- its reference, per campaign. Without a row the recordings folder does not exist for anyone.
CREATE TABLE recording_agreement (
    campaign   VARCHAR(40)  NOT NULL PRIMARY KEY REFERENCES campaign(id),
    agreement  VARCHAR(200) NOT NULL,
    set_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    set_by     VARCHAR(32)  NOT NULL
);

-- One delivered recording: the upload it came in, the record it belongs to, the outbox file it became
-- (encrypted for the controller). state: DELIVERED (in the outbox, not yet downloaded), DOWNLOADED (kept
-- keep-after-download more), REMOVED (shredded: downloaded + kept, max age, or a data-subject erasure).
CREATE TABLE recording (
    upload_id       VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES upload(id),
    campaign        VARCHAR(40)  NOT NULL REFERENCES campaign(id),
    record_id       VARCHAR(26)  NOT NULL,
    file_name       VARCHAR(600) NOT NULL,
    audio_format    VARCHAR(8)   NOT NULL,
    size_bytes      BIGINT       NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    downloaded_at   TIMESTAMP WITH TIME ZONE,
    removed_at      TIMESTAMP WITH TIME ZONE,
    removed_reason  VARCHAR(32),
    CONSTRAINT recording_state_ck CHECK (state IN ('DELIVERED', 'DOWNLOADED', 'REMOVED'))
);
CREATE INDEX recording_record_ix ON recording(record_id);
CREATE INDEX recording_state_ix ON recording(state);
CREATE UNIQUE INDEX recording_file_ix ON recording(campaign, file_name);
