-- Files waiting to be pushed (dialer lists to the dialer, exports to the controller). The queue itself was
-- only in memory: a restart or a kill forgot every push not yet done, and the file then waited in the
-- outbox or the lists area with nothing left to send it. A row lives from the submit until the file is
-- pushed, refused for good (target not in the EEA, target removed) or gone (shredded); at start every row
-- is queued again.
CREATE TABLE push_queue (
    kind       VARCHAR(16)   NOT NULL,
    campaign   VARCHAR(40)   NOT NULL,
    file_name  VARCHAR(255)  NOT NULL,
    queued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT push_queue_pk PRIMARY KEY (kind, campaign, file_name),
    CONSTRAINT push_queue_kind_ck CHECK (kind IN ('DIALER', 'CONTROLLER'))
);
