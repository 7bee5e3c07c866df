package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger contract on an embedded H2 database in file mode (the default deployment). */
class H2LedgerIT extends LedgerContract {

    @TempDir
    Path dir;

    @Override
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir.resolve("db-" + System.nanoTime()));
    }
}
