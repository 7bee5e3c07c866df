package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Interim billing records on an embedded H2 database in file mode. */
class H2InterimIT extends InterimContract {

    @TempDir
    Path dir;

    @Override
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir.resolve("db-" + System.nanoTime()));
    }
}
