package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal ledger on a fresh database with the small topology, open for each test and closed
 * after it: an H2 file, unless a subclass gives another database.
 */
abstract class OpenJournalLedger {

    @TempDir
    Path dir;

    LedgerConfig config;
    JournalLedger ledger;

    @BeforeEach
    void openLedger() {
        config = freshDatabase();
        ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology(), markEvery());
    }

    /** How often the writer moves the mark: as it runs, unless a subclass gives another interval. */
    protected java.time.Duration markEvery() {
        return JournalLedger.MARK_EVERY;
    }

    /** The configuration of a fresh, empty database. */
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }
}
