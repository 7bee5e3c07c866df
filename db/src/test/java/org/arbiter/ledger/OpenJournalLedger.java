package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A journal ledger on a fresh H2 file with the small topology, open for each test and closed after it. */
abstract class OpenJournalLedger {

    @TempDir
    Path dir;

    LedgerConfig config;
    JournalLedger ledger;

    @BeforeEach
    void openLedger() {
        config = LedgerConfig.h2File(dir);
        ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }
}
