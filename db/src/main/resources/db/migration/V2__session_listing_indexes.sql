-- Operator lists of sessions (admin API, `arbiter ledger sessions`): newest first, by subscriber.
CREATE INDEX sessions_created ON sessions (created_at);
CREATE INDEX sessions_subscriber ON sessions (subscriber, created_at);
CREATE INDEX sessions_origin_host ON sessions (origin_host, created_at);
