package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JournalBlocksIT} on a real PostgreSQL server: reads across many blocks and pages. */
class PostgresJournalBlocksIT extends JournalBlocksIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
