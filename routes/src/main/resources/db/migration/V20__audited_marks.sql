-- Idempotence by explicit marks instead of searching the audit log (issue #17): a stage that writes a final
-- audit entry sets its mark in the same transaction, and a resumed run reads the mark (a primary-key look-up).

-- The upload's final entry (upload.processed / results.processed) has been written.
ALTER TABLE upload ADD COLUMN audited_at TIMESTAMP WITH TIME ZONE;

-- A deletion receipt (shredder or erasure) has been published and audited (retention.receipt); keyed by the
-- receipt's outbox path, the audit entry's target.
CREATE TABLE deletion_receipt (
    target      VARCHAR(1024) NOT NULL PRIMARY KEY,
    audited_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Carry over what the audit log already says, once, so a run interrupted before this upgrade still resumes
-- without a second entry or receipt. Only uploads that can still be resumed need their mark.
UPDATE upload SET audited_at = (SELECT MIN(a.logged_at) FROM audit_log a
        WHERE a.action IN ('upload.processed', 'results.processed') AND a.detail LIKE 'id=' || upload.id || ' %')
    WHERE state NOT IN ('ACCEPTED', 'REJECTED');

INSERT INTO deletion_receipt(target, audited_at)
    SELECT target, MIN(logged_at) FROM audit_log WHERE action = 'retention.receipt' AND target IS NOT NULL
    GROUP BY target;
