-- The journal ledger writes its session index (journal_session) with the replay mark, about every
-- 200 ms, instead of in every group transaction. indexed_to is the last journal row whose index
-- entry, if it needs one, is in journal_session; a reader reads the rows after it, and opening
-- indexes them. Until now every entry was written with its row.
ALTER TABLE journal_mark ADD COLUMN indexed_to BIGINT DEFAULT 0 NOT NULL;
UPDATE journal_mark SET indexed_to = (SELECT COALESCE(MAX(last_seq), 0) FROM journal_block);
