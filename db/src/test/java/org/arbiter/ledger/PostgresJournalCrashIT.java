package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JournalCrashIT} on a real PostgreSQL server: a killed process leaves a journal that
 * rebuilds what it was told, and its claim ends with it, so the restarted process takes over.
 */
class PostgresJournalCrashIT extends JournalCrashIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
