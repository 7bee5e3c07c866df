package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger contract on a real PostgreSQL server, a fresh database per test. */
class PostgresLedgerIT extends LedgerContract {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
