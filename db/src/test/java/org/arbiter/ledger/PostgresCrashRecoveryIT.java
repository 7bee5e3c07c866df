package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Crash recovery of a node on PostgreSQL (the node dies, the database stays). */
class PostgresCrashRecoveryIT extends CrashRecoveryContract {

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
        return postgres.newLedgerConfig();
    }

    @Override
    protected String label() {
        return "PostgreSQL";
    }
}
