package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JournalLedgerIT} on a real PostgreSQL server: the journal ledger's behaviour, journal rows included. */
class PostgresJournalLedgerIT extends JournalLedgerIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig().withMaxPoolSize(3);
    }
}
