package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery of an H2 file database. */
class H2CrashRecoveryIT extends CrashRecoveryContract {

    @TempDir
    Path dir;

    @Override
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir);
    }

    @Override
    protected String label() {
        return "H2 file";
    }
}
