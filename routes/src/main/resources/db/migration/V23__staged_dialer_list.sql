-- Dialer lists written by the validate pass (issue #13): while the validate stage stores a list's records it
-- also writes the dialer list, sealed under the campaign key and bound to the upload it comes from
-- (SealedSpool context "dialer-list-of-upload:<campaign>/<upload id>"), under a hidden name in the lists
-- folder. The dialer-load stage then only renames it into place — unless something changed since: a number
-- blocked (blocklist_size differs and the index finds more blocked rows than rows_blocked), a record erased,
-- or the campaign's list layout (format and dialer fields, `layout`) changed; then the list is rendered again
-- from the record store as before. The row holds counts, a size and a digest, nothing personal.
CREATE TABLE staged_dialer_list (
    upload_id       VARCHAR(36)   NOT NULL PRIMARY KEY,
    rows_listed     BIGINT        NOT NULL,
    rows_blocked    BIGINT        NOT NULL,
    rows_withheld   BIGINT        NOT NULL,
    plain_size      BIGINT        NOT NULL,
    sha256          CHAR(64)      NOT NULL,
    blocklist_size  BIGINT        NOT NULL,
    layout          VARCHAR(200)  NOT NULL
);

-- How a published list file is sealed: bound to its file name (every list rendered from the record store, and
-- every list published before V23) or, when the validate pass wrote it, to its upload.
ALTER TABLE dialer_list ADD COLUMN sealed_to_upload BOOLEAN DEFAULT FALSE NOT NULL;
