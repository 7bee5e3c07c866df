package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JournalBlocksIT} on a real PostgreSQL server: reads across many blocks and pages. */
class PostgresJournalBlocksIT extends JournalBlocksIT {

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
