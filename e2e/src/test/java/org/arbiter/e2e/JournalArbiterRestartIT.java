package org.arbiter.e2e;

import java.nio.file.Path;

/**
 * {@link ArbiterRestartIT} on the journal ledger: the restarted Arbiter rebuilds the call's
 * reservation from the journal, and the later STR releases it.
 */
class JournalArbiterRestartIT extends ArbiterRestartIT {

    @Override
    ArbiterUnderTest arbiter(Path dir) {
        return InProcessArbiter.startOnJournal(dir, AccessNetworks.roomy());
    }
}
