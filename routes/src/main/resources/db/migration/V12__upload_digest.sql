-- Which upload first brought each content (SHA-256 of the uploaded bytes) into a campaign's area. A client
-- that retries or re-checks an upload sends the same bytes again; the pipeline claims the digest here
-- before processing, and an upload that finds the digest claimed by another is a repeat: reported to its
-- sender, never processed. The primary key makes the claim atomic, so of two copies exactly one is
-- processed whatever the order of kills and restarts. A rejected original gives its claim up, so that
-- the same file can be sent again once what rejected it (a missing key, say) is put right.
CREATE TABLE upload_digest (
    campaign   VARCHAR(40)  NOT NULL,
    area       VARCHAR(16)  NOT NULL,
    sha256     CHAR(64)     NOT NULL,
    upload_id  VARCHAR(36)  NOT NULL,
    CONSTRAINT upload_digest_pk PRIMARY KEY (campaign, area, sha256)
);
CREATE INDEX upload_digest_upload_ix ON upload_digest(upload_id);
