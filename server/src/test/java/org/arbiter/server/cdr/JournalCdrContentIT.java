package org.arbiter.server.cdr;

/** The billing records of {@link CdrContentIT}, through the engine on the journal ledger. */
class JournalCdrContentIT extends CdrContentIT {

    @Override
    boolean journal() {
        return true;
    }
}
