-- Every accepted row of a call list inserts into each index of call_record, and HSQLDB's disk-based AVL
-- indexes cost a walk from the root per index per row: the ingest profile (bench/RESULTS.md) is almost all
-- index maintenance. Two indexes served no query that needs them:
--   name_idx is only compared for a record already found by id (the DSAR identity rule), never searched;
--   campaign is reached through record_set (indexed by campaign, a few rows per upload) and the
--   (upload_id, row_number) unique index instead.
DROP INDEX call_record_name_ix;
DROP INDEX call_record_campaign_ix;
