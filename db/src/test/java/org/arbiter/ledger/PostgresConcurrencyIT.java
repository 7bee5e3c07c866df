package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Two ledger instances (two connection pools, as two nodes) on one real PostgreSQL. */
class PostgresConcurrencyIT extends ConcurrencyContract {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig();
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
