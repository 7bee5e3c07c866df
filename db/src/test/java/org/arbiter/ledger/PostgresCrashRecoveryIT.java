package org.arbiter.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Crash recovery of a node on PostgreSQL (the node dies, the database stays). */
class PostgresCrashRecoveryIT extends CrashRecoveryContract {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    @Override
    protected LedgerConfig freshDatabase() {
        return POSTGRES.newLedgerConfig();
    }

    @Override
    protected String label() {
        return "PostgreSQL";
    }
}
