package org.arbiter.ledger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests of one class: started before the first, stopped after
 * the last ({@code @RegisterExtension static final PostgresPerClass POSTGRES = new PostgresPerClass();}).
 */
final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    /** A ledger configuration for a fresh schema on the server. */
    LedgerConfig newLedgerConfig() {
        return server.newLedgerConfig();
    }
}
