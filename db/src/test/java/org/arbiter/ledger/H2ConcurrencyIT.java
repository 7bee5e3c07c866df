package org.arbiter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Many threads on one embedded H2 ledger (the single-node deployment). */
class H2ConcurrencyIT extends ConcurrencyContract {

    @TempDir
    Path dir;

    @Override
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir.resolve("db-" + System.nanoTime()));
    }

    @Override
    protected int nodes() {
        return 1;
    }

    @Override
    protected int threadsPerNode() {
        return 12;
    }

    @Override
    protected int opsPerThread() {
        return 60;
    }

    @Override
    protected String label() {
        return "H2 file, 1 node x 12 threads";
    }
}
