-- The session journal of the journal ledger (ledger.journal: true): one row per change of the
-- ledger's state, written in group transactions. The journal ledger keeps the sessions in memory
-- and rebuilds them from these rows when it opens; the relational session tables stay empty.
CREATE TABLE journal (
    seq                 BIGINT                   NOT NULL PRIMARY KEY,
    kind                VARCHAR(10)              NOT NULL,
    session_id          VARCHAR(1024)            NOT NULL,
    written_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    body                VARCHAR                  NOT NULL,
    CONSTRAINT journal_kind CHECK (kind IN ('ADMIT', 'COMMIT', 'RELEASE', 'EXPIRE', 'INTERIM', 'REJECT'))
);
-- the audit trail of one session, and the billing records by stop time
CREATE INDEX journal_session ON journal (session_id);
CREATE INDEX journal_time ON journal (written_at);

-- Where a replay may start: no session active at the last write of this row began before
-- replay_from. next_hold_id is above every hold id handed out by then.
CREATE TABLE journal_mark (
    id                  INTEGER                  NOT NULL PRIMARY KEY,
    replay_from         BIGINT                   NOT NULL,
    next_hold_id        BIGINT                   NOT NULL,
    written_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT journal_mark_single_row CHECK (id = 1)
);
