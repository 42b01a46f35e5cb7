-- Pipeline passes per upload, counted durably BEFORE each pass starts, so that a restart does not reset the
-- count and a pass a kill (or an out-of-memory crash) cut short still counts. An upload that reaches
-- intake.max-attempts is finished with a "could not be processed" report instead of being retried forever
-- (issue #14). last_failure: the exception class and message of the last failed pass, for the log and IT;
-- never personal data (messages carry ids and paths under data-dir, not file content).
ALTER TABLE upload ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE upload ADD COLUMN last_failure VARCHAR(500);
