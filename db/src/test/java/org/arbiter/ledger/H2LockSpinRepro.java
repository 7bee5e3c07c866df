package org.arbiter.ledger;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Reproduces a hang of the relational ledger on H2, seen in {@code H2CrashRecoveryIT} (rarely):
 * {@code h2-lock-spin/arbiter.mv.db} is the file of a ledger whose writer was killed (SIGKILL)
 * mid-run, as that test left it. Opened again, {@link JdbcLedger#expire} spins at 100% CPU in
 * H2's row lock ({@code TransactionMap.lock} from {@code MVPrimaryIndex.lockRow}, under the batch
 * update of {@code JdbcLedger.applyDeltas}) and never returns. Not a test: it hangs while the
 * fault is there. Run it with the db module's test class path:
 *
 * <pre>
 *   java -cp db/target/test-classes:db/target/classes:&lt;db's dependencies&gt; org.arbiter.ledger.H2LockSpinRepro
 * </pre>
 *
 * It prints how many sessions expired and exits 0, or exits 1 after 60 s.
 */
public final class H2LockSpinRepro {

    private H2LockSpinRepro() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("h2-lock-spin");
        try (InputStream in = H2LockSpinRepro.class.getResourceAsStream("/h2-lock-spin/arbiter.mv.db")) {
            if (in == null) {
                throw new IllegalStateException("h2-lock-spin/arbiter.mv.db is not on the class path");
            }
            Files.copy(in, dir.resolve("arbiter.mv.db"));
        }
        // expire on a thread of its own, waited for with a bound: a spinning thread cannot be interrupted
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir))) {
                long started = System.nanoTime();
                int expired = ledger.expire(Instant.now().plusSeconds(31), 100_000).size();
                System.out.println("expired " + expired + " session(s) in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        });
        if (!worker.join(Duration.ofSeconds(60))) {
            System.out.println("expire did not return within 60 s: the fault is there (database in " + dir + ")");
            Runtime.getRuntime().halt(1);
        }
    }
}
