package org.arbiter.bench.ledger;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.arbiter.bench.BenchFiles;
import org.arbiter.ledger.JournalLedger;
import org.arbiter.ledger.LedgerConfig;

/**
 * How the journal ledger's H2 file grows under sustained load: {@code callers} virtual threads
 * run {@link JournalWriterCost}'s session over and over for {@code seconds}, and every 10 s the
 * run prints the sessions so far, the file's size, its growth per session in that window, the
 * live share of H2's chunks and their number, and the heap after a full GC.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.arbiter.bench.ledger.JournalFileGrowth 64 180} (callers, seconds). The file is deleted at
 * the end; it takes several GB.
 */
public final class JournalFileGrowth {

    private JournalFileGrowth() {}

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 180;
        Path dir = Files.createTempDirectory("journal-file-growth");
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalLedger.open(config);
             Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
            AtomicLong sessions = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> threads = JournalWriterCost.startSessions(ledger, callers, end, sessions);
            long lastSessions = 0;
            long lastSize = 0;
            long next = System.nanoTime();
            while (next + 10_000_000_000L <= end) {
                next += 10_000_000_000L;
                LockSupport.parkNanos(next - System.nanoTime());
                long n = sessions.get();
                long size = JournalWriterCost.size(dir);
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf(Locale.ROOT, "%,11d sessions (+%,d): file %,6.0f MB, %5.1f KB per session in the window; "
                        + "chunks %,d, %d%% live; heap after GC %.0f MB%n", n, n - lastSessions, size / 1e6,
                        (size - lastSize) / 1024.0 / Math.max(1, n - lastSessions), info(c, "CHUNK_COUNT"),
                        info(c, "CHUNKS_FILL_RATE"), heap / 1e6);
                lastSessions = n;
                lastSize = size;
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    private static long info(Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info." + name + "'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        } finally {
            c.rollback();
        }
    }
}
