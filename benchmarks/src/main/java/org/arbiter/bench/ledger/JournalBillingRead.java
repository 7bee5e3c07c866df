package org.arbiter.bench.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.bench.BenchFiles;
import org.arbiter.ledger.JournalLedger;
import org.arbiter.ledger.LedgerConfig;

/**
 * What a billing read of a recent window costs as the journal grows: 16 callers run
 * {@link JournalWriterCost}'s session for a number of seconds (small groups, so many blocks), then
 * the billing records of the last second, and of the first, are read a few times
 * ({@code chargingRecords}, as the exporter and {@code arbiter cdr export} read them) and each read
 * is timed.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.arbiter.bench.ledger.JournalBillingRead 10 40} (seconds of sessions, one journal each).
 */
public final class JournalBillingRead {

    private JournalBillingRead() {}

    public static void main(String[] args) throws Exception {
        for (String a : args.length == 0 ? new String[] {"10", "40"} : args) {
            run(Integer.parseInt(a));
        }
    }

    /** Reads the billing records of a window five times: how many, and each read's time. */
    private static String read(JournalLedger ledger, String which, Instant from, Instant to) {
        List<String> millis = new ArrayList<>();
        int records = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            records = ledger.chargingRecords(from, to, 100_000).size();
            millis.add(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e6));
        }
        return String.format(Locale.ROOT, "%s %,d billing records read in %s ms", which, records, millis);
    }

    private static void run(int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("journal-billing-read");
        try (JournalLedger ledger = JournalLedger.open(LedgerConfig.h2File(dir))) {
            AtomicLong sessions = new AtomicLong();
            Instant begun = Instant.now();
            List<Thread> threads = JournalWriterCost.startSessions(ledger, 16, System.nanoTime() + seconds * 1_000_000_000L, sessions);
            for (Thread t : threads) {
                t.join();
            }
            Instant now = Instant.now();
            System.out.printf(Locale.ROOT, "%d s of sessions: %,d sessions, database files %.0f MB; %s; %s%n", seconds,
                    sessions.get(), JournalWriterCost.size(dir) / 1e6, read(ledger, "the last second's", now.minusSeconds(1), now),
                    read(ledger, "the first second's", begun, begun.plusSeconds(1)));
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }
}
