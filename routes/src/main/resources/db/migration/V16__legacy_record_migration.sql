-- Moving records stored before V15 (call_record rows) into part files and the Lucene index, at start
-- (RecordMigration). A set being moved gets its number in migration_no first; the move writes parts and
-- index entries under that number, and one transaction then sets dataset_no = migration_no: before it,
-- readers use nothing of the new copy and a restart discards it and starts the set again; after it, the
-- legacy rows are ignored and deleted in chunks. Nothing is lost or doubled at any kill point.
ALTER TABLE record_set ADD COLUMN migration_no BIGINT;
-- legacy_ids: the set's records keep the random ids they were given before V15 (they are out in dialer
-- lists and come back in results files): the new layout shows and resolves them through legacy_record_id.
ALTER TABLE record_set ADD COLUMN legacy_ids BOOLEAN DEFAULT FALSE NOT NULL;
CREATE TABLE legacy_record_id (
    record_id   VARCHAR(26)  NOT NULL PRIMARY KEY,
    dataset_no  BIGINT       NOT NULL,
    ordinal     BIGINT       NOT NULL
);
CREATE UNIQUE INDEX legacy_record_id_address_uq ON legacy_record_id(dataset_no, ordinal);
