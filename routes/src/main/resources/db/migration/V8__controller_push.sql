-- Push of exports to the controller's own SFTP server (optional per campaign): the same shape as
-- dialer_push (V4), kept apart so a campaign can push its lists to the dialer and its exports to the
-- controller, each with its own pinned host key, declared location and last outcome for `campaign show`.
CREATE TABLE controller_push (
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
