package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JournalConcurrencyIT} on a real PostgreSQL server: no pool overbooked, what threads were told is what it holds. */
class PostgresJournalConcurrencyIT extends JournalConcurrencyIT {

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
