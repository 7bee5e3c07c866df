package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JournalReopenIT} on a real PostgreSQL server: the state rebuilt from the journal in {@code BYTEA} blocks. */
class PostgresJournalReopenIT extends JournalReopenIT {

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
