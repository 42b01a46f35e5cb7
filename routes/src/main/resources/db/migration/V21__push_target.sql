-- One table of push targets keyed by (campaign, kind), replacing the twins dialer_push (V4, kind DIALER:
-- a campaign's lists to the dialer's SFTP server) and controller_push (V8, kind CONTROLLER: its exports to
-- the controller's). A campaign may have one target of each kind, each with its own pinned host key,
-- declared location and last outcome for `campaign show`; push_queue (V11) already names the kind.
CREATE TABLE push_target (
    campaign        VARCHAR(40)   NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    host            VARCHAR(255)  NOT NULL,
    port            INTEGER       NOT NULL,
    username        VARCHAR(64)   NOT NULL,
    directory       VARCHAR(255)  NOT NULL,
    location        VARCHAR(32)   NOT NULL,
    host_key        VARCHAR(16000) NOT NULL,
    last_status     VARCHAR(500),
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    last_success_at TIMESTAMP WITH TIME ZONE,
    failures        BIGINT        DEFAULT 0 NOT NULL,
    CONSTRAINT push_target_pk PRIMARY KEY (campaign, kind),
    CONSTRAINT push_target_kind_ck CHECK (kind IN ('DIALER', 'CONTROLLER'))
);

INSERT INTO push_target (campaign, kind, host, port, username, directory, location, host_key, last_status,
                         last_attempt_at, last_success_at, failures)
    SELECT campaign, 'DIALER', host, port, username, directory, location, host_key, last_status,
           last_attempt_at, last_success_at, failures FROM dialer_push;
INSERT INTO push_target (campaign, kind, host, port, username, directory, location, host_key, last_status,
                         last_attempt_at, last_success_at, failures)
    SELECT campaign, 'CONTROLLER', host, port, username, directory, location, host_key, last_status,
           last_attempt_at, last_success_at, failures FROM controller_push;

DROP TABLE dialer_push;
DROP TABLE controller_push;
