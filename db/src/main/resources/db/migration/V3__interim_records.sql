-- Interim billing records. Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.
-- docs/billing.md describes the records; docs/ledger.md the tables.

-- A record is INTERIM (partial, the session still runs; no termination cause) or STOP (final).
-- record_seq numbers the records of one session run from 1; the final record has the highest.
-- Rows written before interim records existed read as the final and only record (STOP, 1).
ALTER TABLE cdrs ADD COLUMN record_kind VARCHAR(10) DEFAULT 'STOP' NOT NULL;
ALTER TABLE cdrs ADD COLUMN record_seq INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE cdrs ALTER COLUMN cause DROP NOT NULL;
ALTER TABLE cdrs ALTER COLUMN cause_code DROP NOT NULL;
ALTER TABLE cdrs ADD CONSTRAINT cdrs_record_kind CHECK (
    (record_kind = 'STOP' AND cause IS NOT NULL AND cause_code IS NOT NULL)
    OR (record_kind = 'INTERIM' AND cause IS NULL AND cause_code IS NULL));
ALTER TABLE cdrs ADD CONSTRAINT cdrs_record_seq_positive CHECK (record_seq >= 1);

-- The interim records of a session run: interim_seq records were written for generation
-- interim_generation, the last at last_interim_at. Values of an earlier generation count as none
-- (a Session-Id admitted again starts at record 1). The sweep claims a session's next interim
-- record by a conditional update of these columns, so two nodes never write the same one.
ALTER TABLE sessions ADD COLUMN interim_generation INTEGER;
ALTER TABLE sessions ADD COLUMN interim_seq INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE sessions ADD COLUMN last_interim_at TIMESTAMP WITH TIME ZONE;

-- The sweep reads running committed sessions (ended_at IS NULL) committed before the interval.
CREATE INDEX sessions_running_committed ON sessions (ended_at, committed_at);
