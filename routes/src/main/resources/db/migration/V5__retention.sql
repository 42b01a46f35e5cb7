-- Retention: one dataset per finished inbox upload (an accepted list with its records and dialer lists,
-- or a rejected file), with its deletion deadline and its shredding progress. Deadlines are recomputed
-- by RetentionLedger from Callgate's own clock (receipt time, campaign last activity, end, called through)
-- and never from a file's mtime. state: HELD (kept; due once deadline <= now), SHREDDING (taken by a shred
-- run, run_id set), SHREDDED (destroyed; the row stays as the record of what was destroyed and when).
CREATE TABLE dataset (
    upload_id          VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES upload(id),
    campaign           VARCHAR(40)   NOT NULL REFERENCES campaign(id),
    accepted           BOOLEAN       NOT NULL,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline           TIMESTAMP WITH TIME ZONE NOT NULL,
    reason             VARCHAR(24)   NOT NULL,
    called_through_at  TIMESTAMP WITH TIME ZONE,
    state              VARCHAR(16)   NOT NULL,
    run_id             VARCHAR(36),
    record_count       BIGINT,
    files_destroyed    VARCHAR(4000),
    shredded_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT dataset_state_ck CHECK (state IN ('HELD', 'SHREDDING', 'SHREDDED')),
    CONSTRAINT dataset_reason_ck CHECK (reason IN ('RETENTION_DEADLINE', 'CAMPAIGN_ENDED', 'CALLED_THROUGH',
        'REJECTED', 'DSAR'))
);
CREATE INDEX dataset_state_deadline_ix ON dataset(state, deadline);
CREATE INDEX dataset_campaign_ix ON dataset(campaign);

-- One shredding run of one campaign = one deletion receipt. The receipt's file name is fixed when the run
-- is opened (before anything is destroyed), so a run resumed after a kill writes the same single file.
-- state: OPEN (destroying), DONE (receipt published and audited).
CREATE TABLE shred_run (
    run_id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    campaign        VARCHAR(40)   NOT NULL REFERENCES campaign(id),
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    destroy_key     BOOLEAN       NOT NULL,
    key_destroyed   BOOLEAN       DEFAULT FALSE NOT NULL,
    issue_receipt   BOOLEAN       NOT NULL,
    receipt_file    VARCHAR(200)  NOT NULL,
    receipt_sha256  CHAR(64),
    state           VARCHAR(16)   NOT NULL,
    done_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT shred_run_state_ck CHECK (state IN ('OPEN', 'DONE'))
);
CREATE INDEX shred_run_state_ix ON shred_run(state);

-- The DB-level guard that keeps two shredder passes from ever running at once (one row, taken with a
-- conditional UPDATE). HSQLDB's file lock already means one process per database, so a holder left by a
-- killed process is cleared at start.
CREATE TABLE shredder_lock (
    id           INTEGER       NOT NULL PRIMARY KEY,
    holder       VARCHAR(64),
    acquired_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO shredder_lock(id) VALUES (1);
