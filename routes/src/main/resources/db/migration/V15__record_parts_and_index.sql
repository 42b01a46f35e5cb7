-- Records move out of HSQLDB (issue #13): their sealed bodies go to part files under data-dir/records/parts,
-- their blind indexes to a Lucene index under data-dir/records/index (RecordStore). HSQLDB keeps what
-- decides visibility and what must be transactional: the record sets and the tombstones of erased records.
--
-- dataset_no: the set's number in record addresses (RecordAddress) and record ids (RecordIds); assigned
-- once from the sequence, never reused. A set without one holds legacy call_record rows (migrated at start).
-- parts: how many part files the set has (0 while staged). purged_at: a DELETED set whose files and index
-- entries are gone.
CREATE SEQUENCE record_dataset_seq AS BIGINT START WITH 1;
ALTER TABLE record_set ADD COLUMN dataset_no BIGINT;
ALTER TABLE record_set ADD COLUMN parts INT DEFAULT 0 NOT NULL;
ALTER TABLE record_set ADD COLUMN purged_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX record_set_dataset_uq ON record_set(dataset_no);

-- An erased record (data-subject erasure). The tombstone hides it at once, in the same transaction that
-- lowers its set's count; the index entry is deleted right after, and the purge rewrites the part at
-- `location` without it and force-merges the index, then sets purged_at. The row holds no personal data.
CREATE TABLE record_tombstone (
    dataset_no  BIGINT   NOT NULL,
    ordinal     BIGINT   NOT NULL,
    location    BIGINT   NOT NULL,
    erased_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    purged_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (dataset_no, ordinal)
);
CREATE INDEX record_tombstone_pending_ix ON record_tombstone(purged_at);
