package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Interim billing records on a real PostgreSQL server, a fresh database per test. */
class PostgresInterimIT extends InterimContract {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
