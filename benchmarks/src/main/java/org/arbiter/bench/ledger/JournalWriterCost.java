package org.arbiter.bench.ledger;

import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.arbiter.bench.BenchFiles;
import org.arbiter.bench.rx.BenchWorld;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.JournalLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;

/**
 * The CPU the journal ledger's own threads (the writer and the one that forces the file) spend
 * per session, and the bytes they allocate (and the whole JVM, callers included), at a number of
 * callers: each caller runs {@link AdmissionBenchmark}'s session
 * (admit 4 holds on 3 pools each, commit, release) on a virtual thread, over and over. The
 * threads' CPU time is read (ThreadMXBean) over the last two thirds of the run, after the JIT has
 * settled, so the figure depends little on what else the machine runs; the group sizes follow
 * from the number of callers.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.arbiter.bench.ledger.JournalWriterCost 64 512} (callers, one run each; 15 s each, or
 * {@code -Dseconds=N}).
 */
public final class JournalWriterCost {

    static final int LINES = 1000;

    private JournalWriterCost() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("seconds", 15);
        for (String a : args.length == 0 ? new String[] {"64", "512"} : args) {
            run(Integer.parseInt(a), seconds);
        }
    }

    private static void run(int callers, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("journal-writer-cost");
        try (JournalLedger ledger = JournalLedger.open(LedgerConfig.h2File(dir))) {
            AtomicLong sessions = new AtomicLong();
            List<Thread> threads = startSessions(ledger, callers, System.nanoTime() + seconds * 1_000_000_000L, sessions);
            // the measurement window starts after the first third of the run
            LockSupport.parkNanos(seconds * 1_000_000_000L / 3);
            long cpu0 = ledgerThreadsCpu();
            long alloc0 = ledgerThreadsAllocated();
            long all0 = allocated();
            long n0 = sessions.get();
            long t0 = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
            long cpu = ledgerThreadsCpu() - cpu0;
            long alloc = ledgerThreadsAllocated() - alloc0;
            long all = allocated() - all0;
            long n = sessions.get() - n0;
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "callers %4d: %,d sessions in %.1f s (%,.0f/s); journal writer and sync "
                    + "threads %.1f µs of CPU and %.1f KB allocated per session (the whole JVM: %.1f KB); database files "
                    + "%.1f KB per session of the run%n", callers, n, secs, n / secs, cpu / 1000.0 / n, alloc / 1024.0 / n,
                    all / 1024.0 / n, size(dir) / 1024.0 / sessions.get());
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * Applies the benchmark topology ({@value #LINES} lines) and starts {@code callers} virtual
     * threads, each running sessions one after the other until {@code endNanos}
     * ({@link System#nanoTime}); every session started is counted in {@code sessions}.
     */
    static List<Thread> startSessions(JournalLedger ledger, int callers, long endNanos, AtomicLong sessions) throws IOException {
        ledger.applyTopology(TopologyFile.parse("bench", new StringReader(BenchWorld.topology(LINES))), false);
        List<String> ues = BenchWorld.ueAddresses(LINES);
        Decision decision = AdmissionBenchmark.decision();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < endNanos) {
                    session(ledger, ues, decision, sessions.incrementAndGet());
                }
            }));
        }
        return threads;
    }

    static void session(JournalLedger ledger, List<String> ues, Decision decision, long n) {
        Instant now = Instant.now();
        AdmissionRequest r = AdmissionBenchmark.request(ledger, ues, decision, n, now);
        if (!ledger.admit(r).admitted()) {
            throw new IllegalStateException("admission refused for " + r.sessionId());
        }
        ledger.commit(r.sessionId(), now);
        ledger.release(r.sessionId(), TerminationCause.DIAMETER_LOGOUT, now);
    }

    /** Bytes allocated by the journal ledger's threads (journal-writer, journal-mark). */
    private static long ledgerThreadsAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return sumOverLedgerThreads(mx::getThreadAllocatedBytes);
    }

    /** Bytes allocated by every thread of this JVM (virtual threads' by their carriers). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** CPU time of the journal ledger's threads (journal-writer, journal-mark), nanoseconds. */
    private static long ledgerThreadsCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return sumOverLedgerThreads(mx::getThreadCpuTime);
    }

    /** The sum of {@code perThread} (-1: not known, counted as 0) over the journal ledger's threads. */
    private static long sumOverLedgerThreads(java.util.function.LongUnaryOperator perThread) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("journal-")) {
                sum += Math.max(0, perThread.applyAsLong(t.threadId()));
            }
        }
        return sum;
    }
}
