package org.arbiter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Schema version 6: the journal's rows move from one database row each ({@code journal}) into
 * blocks ({@code journal_block}, {@link JournalBlock}), with a session index of one entry per
 * session run or rejection ({@code journal_session}). The rows of an existing journal are
 * carried over unchanged, numbers included, in the migration's one transaction; then
 * {@code journal} is dropped.
 */
final class JournalBlockMigration implements JavaMigration {

    /** Rows per carried-over block. */
    private static final int ROWS_PER_BLOCK = 256;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("6");
    }

    @Override
    public String getDescription() {
        return "journal blocks";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        try (Statement s = c.createStatement()) {
            // version 5's index of that name goes with its table: PostgreSQL names indexes and
            // tables in one namespace
            s.execute("DROP INDEX journal_session");
            // rows first_seq..last_seq; first_at and last_at bound the times of its rows
            s.execute("CREATE TABLE journal_block ("
                    + " first_seq BIGINT NOT NULL PRIMARY KEY,"
                    + " last_seq BIGINT NOT NULL,"
                    + " first_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " last_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " data " + (postgres ? "BYTEA" : "VARBINARY") + " NOT NULL,"
                    + " CONSTRAINT journal_block_range CHECK (last_seq >= first_seq))");
            // the billing records by time
            s.execute("CREATE INDEX journal_block_time ON journal_block (last_at)");
            // where each run of a session starts (its first ADMIT row), and each rejection
            s.execute("CREATE TABLE journal_session ("
                    + " session_id VARCHAR(1024) NOT NULL,"
                    + " seq BIGINT NOT NULL,"
                    + " PRIMARY KEY (session_id, seq))");
        }
        carryOver(c);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE journal");
        }
    }

    private static void carryOver(Connection c) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(
                     "SELECT seq, kind, session_id, written_at, body FROM journal ORDER BY seq");
             PreparedStatement block = c.prepareStatement(JournalBlock.INSERT);
             PreparedStatement session = c.prepareStatement("INSERT INTO journal_session (session_id, seq) VALUES (?, ?)")) {
            read.setFetchSize(ROWS_PER_BLOCK);
            JournalBlock.Builder b = new JournalBlock.Builder();
            int n = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String kind = rs.getString(2);
                    String sessionId = rs.getString(3);
                    String body = rs.getString(5);
                    if (!b.isEmpty() && seq != b.lastSeq() + 1) {
                        JournalBlock.insert(block, b);
                        b = new JournalBlock.Builder();
                        n = 0;
                    }
                    try {
                        b.add(seq, kind, sessionId, rs.getTimestamp(4).toInstant(), body);
                    } catch (IllegalArgumentException e) {
                        throw new SQLException("journal row " + seq + " cannot be carried over: " + e.getMessage(), e);
                    }
                    if (JournalLedger.startsEntry(kind, body)) {
                        session.setString(1, sessionId);
                        session.setLong(2, seq);
                        session.executeUpdate();
                    }
                    if (++n == ROWS_PER_BLOCK) {
                        JournalBlock.insert(block, b);
                        b = new JournalBlock.Builder();
                        n = 0;
                    }
                }
            }
            if (!b.isEmpty()) {
                JournalBlock.insert(block, b);
            }
        }
    }
}
