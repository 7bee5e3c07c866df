package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JournalReopenIT} on a real PostgreSQL server: the state rebuilt from the journal in {@code BYTEA} blocks. */
class PostgresJournalReopenIT extends JournalReopenIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
