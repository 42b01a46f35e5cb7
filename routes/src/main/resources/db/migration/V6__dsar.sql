-- Data-subject requests. Nothing here is personal data in plaintext: what was searched is kept only as
-- its kind and its blind-index hash (BlindIndex, a keyed HMAC: without the master key nobody can test a
-- guess), so an erase can re-run the search; the records found are kept by their opaque record ids.
-- status: open (answered, erase possible), erasing (an erase is under way; re-running it finishes it),
-- erased (records destroyed, receipts out), closed (answered without erasure, `dsar close`).
CREATE TABLE dsar_request (
    id              VARCHAR(24)   NOT NULL PRIMARY KEY,
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    opened_by       VARCHAR(32)   NOT NULL,
    criteria_kind   VARCHAR(16)   NOT NULL,
    criteria_hash   BINARY(16)    NOT NULL,
    records_found   INTEGER       NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    erased_by       VARCHAR(32),
    erased_count    INTEGER,
    blocked         BOOLEAN       DEFAULT FALSE NOT NULL,
    closed_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT dsar_request_status_ck CHECK (status IN ('open', 'erasing', 'erased', 'closed')),
    CONSTRAINT dsar_request_kind_ck CHECK (criteria_kind IN ('phone', 'email', 'name_address'))
);
CREATE INDEX dsar_request_status_ix ON dsar_request(status, due_at);

-- The records a request found (opaque ids; the rows outlive the records as the trace of what was erased).
CREATE TABLE dsar_record (
    request_id  VARCHAR(24)   NOT NULL REFERENCES dsar_request(id),
    record_id   VARCHAR(26)   NOT NULL,
    campaign    VARCHAR(40)   NOT NULL,
    upload_id   VARCHAR(36)   NOT NULL,
    PRIMARY KEY (request_id, record_id)
);

-- One row per campaign an erase touched: the receipt (file name fixed before anything is destroyed, so a
-- resumed erase writes the same single file) and the notice the controller gets in its next export
-- ("a data subject's records were erased at their request": request id and count, no personal data).
-- The export work reads rows with notified_at NULL and sets it once the export carrying them is out.
CREATE TABLE dsar_notice (
    request_id    VARCHAR(24)   NOT NULL REFERENCES dsar_request(id),
    campaign      VARCHAR(40)   NOT NULL REFERENCES campaign(id),
    erased_count  INTEGER       NOT NULL,
    uploads       VARCHAR(4000) NOT NULL,
    receipt_file  VARCHAR(200)  NOT NULL,
    receipt_sha256 CHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    notified_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (request_id, campaign)
);
CREATE INDEX dsar_notice_pending_ix ON dsar_notice(campaign, notified_at);
