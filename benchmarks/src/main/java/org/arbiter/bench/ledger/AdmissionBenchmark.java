package org.arbiter.bench.ledger;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.bench.BenchFiles;
import org.arbiter.bench.rx.BenchWorld;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.JournalLedger;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The admission transaction on a durable H2 file ledger (the embedded default; every commit on
 * disk before it returns): one session's life in the ledger, as the engine drives it for an AAR
 * and its STR: resolve the UE's path, admit the holds of a voice and a game flow (2 flows x 2
 * directions x 3 pools), commit them, release them. Three transactions per operation, on the
 * benchmark topology of 1,000 lines (line -> DSLAM uplink -> BRAS).
 *
 * <p>{@code oneSession} runs one caller (latency); {@code sixteenCallers} runs 16 (throughput,
 * with the ledger's default pool of 10 connections and group commit). Each runs on the
 * relational ledger and on the journal ledger ({@code ledgerKind}).
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.openjdk.jmh.Main AdmissionBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
public class AdmissionBenchmark {

    private static final int LINES = 1000;

    /** {@code relational}: {@link JdbcLedger}; {@code journal}: {@link JournalLedger} ({@code ledger.journal: true}). */
    @Param({"relational", "journal"})
    public String ledgerKind;

    private Path dir;
    private OperatorLedger ledger;
    private List<String> ues;
    private Decision decision;
    private final AtomicLong sessions = new AtomicLong();

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("admission-bench");
        ledger = OperatorLedger.open(LedgerConfig.h2File(dir), ledgerKind.equals("journal"));
        ledger.applyTopology(TopologyFile.parse("bench", new StringReader(BenchWorld.topology(LINES))), false);
        ues = BenchWorld.ueAddresses(LINES);
        decision = decision();
    }

    /** The decision every session carries: a voice flow and a game flow. */
    static Decision decision() {
        return Decision.accept(List.of(
                new FlowGrant(new FlowKey(1, 1), "voice", 64_000, 80_000, 100, 46, 1, 1, false),
                new FlowGrant(new FlowKey(2, 2), "fps-game", 1_000_000, 1_000_000, 40, 46, 3, 2, true)), "bench", "basic-gaming", List.of());
    }

    @TearDown
    public void tearDown() throws IOException {
        ledger.close();
        BenchFiles.deleteTree(dir);
    }

    private boolean session() {
        long n = sessions.incrementAndGet();
        String sid = "bench-00.rx.test;1;" + n;
        Instant now = Instant.now();
        Admission a = ledger.admit(request(ledger, ues, decision, n, now));
        if (!a.admitted()) {
            throw new IllegalStateException("admission refused: " + a.shortfalls());
        }
        ledger.commit(sid, now);
        return ledger.release(sid, TerminationCause.DIAMETER_LOGOUT, now).isPresent();
    }

    /** The admission of session {@code n} (Session-Id {@code bench-00.rx.test;1;n}): every grant, both directions, on one line's path. */
    static AdmissionRequest request(Ledger ledger, List<String> ues, Decision decision, long n, Instant now) {
        AccessPath path = ledger.resolve(ues.get((int) (n % ues.size()))).orElseThrow();
        List<HoldRequest> holds = new ArrayList<>();
        for (FlowGrant g : decision.grants()) {
            for (Direction d : Direction.values()) {
                holds.add(new HoldRequest(g.key(), d, path, g.bps(d), g.dscp(), g.maxLatencyMs()));
            }
        }
        return new AdmissionRequest("bench-00.rx.test;1;" + n, "bench-00.rx.test", "sip:line@home.example", null, decision,
                holds, now, now.plus(Duration.ofSeconds(30)), now.plus(Duration.ofHours(2)));
    }

    /** One caller: resolve, admit, commit, release (three durable transactions). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean oneSession() {
        return session();
    }

    /** Sixteen callers at once: sessions per second. */
    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean sixteenCallers() {
        return session();
    }
}
