-- What the controller is told about each upload: counts, row numbers, column names and reasons only,
-- never a cell's content, so it may rest here unencrypted. Written once the outcome is decided
-- (validate stage, or decrypt stage for a refused file), read by the report stage.
CREATE TABLE upload_report (
    upload_id      VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES upload(id),
    accepted       BOOLEAN      NOT NULL,
    reason_code    VARCHAR(64),
    rows_accepted  BIGINT       DEFAULT 0 NOT NULL,
    rows_rejected  BIGINT       DEFAULT 0 NOT NULL,
    report_csv     CLOB         NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The outbox file name chosen for the report, so a re-run after a crash writes the same file.
ALTER TABLE upload_report ADD COLUMN report_file VARCHAR(600);
