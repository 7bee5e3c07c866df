package org.arbiter.bench.adapter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.adapter.lab.LabDevice;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
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
 * Batch enforcement on the lab adapter: the {@link Enforcer} installs and then removes one
 * session's 12 holds (voice and game, both directions, line + DSLAM uplink on the DSLAM and the
 * BRAS pool on the BRAS), one batch per device and call. With many callers the enforcer coalesces
 * concurrent requests to one device into one adapter call; {@code deviceLatencyMs} gives every
 * lab device call a latency, which is what makes coalescing pay.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.openjdk.jmh.Main EnforcementBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
public class EnforcementBenchmark {

    @Param({"0", "1"})
    public int deviceLatencyMs;

    private Enforcer enforcer;
    private LabDevice dslam;
    private LabDevice bras;
    private final AtomicLong sessions = new AtomicLong();

    @Setup
    public void setUp() {
        dslam = new LabDevice("dslam-0");
        bras = new LabDevice("bras-0");
        dslam.latency(Duration.ofMillis(deviceLatencyMs));
        bras.latency(Duration.ofMillis(deviceLatencyMs));
        enforcer = new Enforcer(Map.of("dslam-0", dslam, "bras-0", bras), Duration.ofSeconds(5));
    }

    @TearDown
    public void tearDown() {
        enforcer.close();
        dslam.close();
        bras.close();
    }

    private int session() {
        String sid = "bench-00.rx.test;1;" + sessions.incrementAndGet();
        List<Hold> holds = new ArrayList<>(12);
        Instant until = Instant.now().plusSeconds(60);
        long id = 0;
        for (FlowKey f : List.of(new FlowKey(1, 1), new FlowKey(2, 2))) {
            for (Direction d : Direction.values()) {
                holds.add(new Hold(++id, sid, f, d, "10.0.0.7", "line-0", "dslam-0", 1_000_000, 46, 40, HoldState.RESERVED, until));
                holds.add(new Hold(++id, sid, f, d, "10.0.0.7", "dslam-0-uplink", "dslam-0", 1_000_000, 46, 40, HoldState.RESERVED, until));
                holds.add(new Hold(++id, sid, f, d, "10.0.0.7", "bras-0", "bras-0", 1_000_000, 46, 40, HoldState.RESERVED, until));
            }
        }
        Enforcer.Result r = enforcer.install(holds);
        if (!r.ok()) {
            throw new IllegalStateException("install failed: " + r.failures());
        }
        return r.applied().size() + enforcer.remove(holds).size();
    }

    /** One caller: install 12 holds on 2 devices, then remove them. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int oneSession() {
        return session();
    }

    /** 64 callers at once: sessions per second, with per-device coalescing. */
    @Benchmark
    @Threads(64)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int sixtyFourCallers() {
        return session();
    }
}
