package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JournalCrashIT} on a real PostgreSQL server: a killed process leaves a journal that
 * rebuilds what it was told, and its claim ends with it, so the restarted process takes over.
 */
class PostgresJournalCrashIT extends JournalCrashIT {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    protected LedgerConfig freshDatabase() {
        return postgres.newLedgerConfig().withMaxPoolSize(3);
    }
}
