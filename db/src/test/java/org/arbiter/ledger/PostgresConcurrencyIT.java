package org.arbiter.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two ledger instances (two connection pools, as two nodes) on one real PostgreSQL. */
class PostgresConcurrencyIT extends ConcurrencyContract {

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
    protected int nodes() {
        return 2;
    }

    @Override
    protected int threadsPerNode() {
        return 6;
    }

    @Override
    protected int opsPerThread() {
        return 100;
    }

    @Override
    protected String label() {
        return "PostgreSQL, 2 nodes x 6 threads";
    }
}
