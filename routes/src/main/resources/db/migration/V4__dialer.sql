-- The do-not-call list. Only the phone's blind index (BlindIndex.phone: keyed HMAC of the E.164 form) is
-- kept, never the number: the list is personal data, and a lookup needs nothing but equality. added_by is
-- the account (or process) that blocked it, for accountability.
CREATE TABLE blocked_phone (
    phone_idx  BINARY(16)   NOT NULL PRIMARY KEY,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    added_by   VARCHAR(64)  NOT NULL
);

-- The next list number of each campaign; numbers are never reused, even after a list is removed.
CREATE TABLE dialer_list_seq (
    campaign     VARCHAR(40) NOT NULL PRIMARY KEY,
    next_number  INTEGER     NOT NULL
);

-- One dialer list per accepted upload. The file itself is sealed under the campaign key (SealedSpool
-- layout) and decrypted while the dialer reads it; this row holds only counts and times. The number and
-- file name are assigned once (state ASSIGNED) so a re-run after a crash publishes the same name.
-- generation counts publications (a re-publication without newly blocked numbers adds one).
CREATE TABLE dialer_list (
    upload_id      VARCHAR(36)  NOT NULL PRIMARY KEY,
    campaign       VARCHAR(40)  NOT NULL,
    list_number    INTEGER      NOT NULL,
    file_name      VARCHAR(64)  NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    generation     INTEGER      DEFAULT 0 NOT NULL,
    rows_listed    BIGINT       DEFAULT 0 NOT NULL,
    rows_blocked   BIGINT       DEFAULT 0 NOT NULL,
    plain_size     BIGINT,
    sha256         CHAR(64),
    published_at   TIMESTAMP WITH TIME ZONE,
    downloaded_at  TIMESTAMP WITH TIME ZONE,
    downloaded_by  VARCHAR(32),
    CONSTRAINT dialer_list_state_ck CHECK (state IN ('ASSIGNED', 'PUBLISHED', 'REMOVED')),
    CONSTRAINT dialer_list_name_uq UNIQUE (campaign, file_name)
);
CREATE INDEX dialer_list_campaign_ix ON dialer_list(campaign);

-- Push mode: the campaign's lists are also sent to the dialer's own SFTP server. host_key is the
-- server's OpenSSH public key line, pinned (no trust on first use); location is the server's declared
-- country or region, checked by the EEA policy before every connection. The last_* columns are what
-- `campaign show` reports.
CREATE TABLE dialer_push (
    campaign        VARCHAR(40)   NOT NULL PRIMARY KEY,
    host            VARCHAR(255)  NOT NULL,
    port            INTEGER       NOT NULL,
    username        VARCHAR(64)   NOT NULL,
    directory       VARCHAR(255)  NOT NULL,
    location        VARCHAR(32)   NOT NULL,
    host_key        VARCHAR(16000) NOT NULL,
    last_status     VARCHAR(500),
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    last_success_at TIMESTAMP WITH TIME ZONE,
    failures        BIGINT        DEFAULT 0 NOT NULL
);

-- The list format a campaign's dialer takes: 'callgate' (CONTRACT §4, the default) or 'vicidial'.
CREATE TABLE dialer_format (
    campaign  VARCHAR(40)  NOT NULL PRIMARY KEY,
    format    VARCHAR(16)  NOT NULL,
    CONSTRAINT dialer_format_ck CHECK (format IN ('callgate', 'vicidial'))
);
