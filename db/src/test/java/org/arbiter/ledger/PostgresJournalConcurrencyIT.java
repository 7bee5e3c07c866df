package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JournalConcurrencyIT} on a real PostgreSQL server: no pool overbooked, what threads were told is what it holds. */
class PostgresJournalConcurrencyIT extends JournalConcurrencyIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
