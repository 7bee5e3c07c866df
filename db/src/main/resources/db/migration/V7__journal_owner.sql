-- The node that owns the journal of a shared (PostgreSQL) database: every node that opens the
-- journal ledger raises the epoch, and every journal write first checks that the epoch is still
-- the one it raised, so a node that another one took the journal over from writes nothing more.
CREATE TABLE journal_owner (
    id                  INTEGER                  NOT NULL PRIMARY KEY,
    epoch               BIGINT                   NOT NULL,
    node                VARCHAR(255)             NOT NULL,
    since               TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT journal_owner_single_row CHECK (id = 1)
);
