package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JournalLedgerIT} on a real PostgreSQL server: the journal ledger's behaviour, journal rows included. */
class PostgresJournalLedgerIT extends JournalLedgerIT {

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
