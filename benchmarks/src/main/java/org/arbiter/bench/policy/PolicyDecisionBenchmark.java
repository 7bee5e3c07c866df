package org.arbiter.bench.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arbiter.bench.BenchFiles;
import org.arbiter.bench.rx.BenchWorld;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.policy.RulePolicyEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One policy decision against a realistic set: 10 classes, 6 groups, 50 rules with the kinds of
 * conditions operators write (group and tier tests, time windows, bandwidth thresholds, origin
 * host, string prefixes). The two-flow request (voice and a game) is decided by rules 49 and 47,
 * so nearly every condition is evaluated for each flow: close to the worst case of this set.
 * The one-flow request is decided by the first rule, the best case.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:<runtime class path> org.openjdk.jmh.Main
 * PolicyDecisionBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyDecisionBenchmark {

    private Path dir;
    private RulePolicyEngine engine;
    private PolicyRequest gameAndVoice;
    private PolicyRequest blocked;

    @Setup
    public void setUp() throws IOException {
        dir = BenchWorld.writePolicy(Files.createTempDirectory("policy-bench"));
        engine = RulePolicyEngine.load(dir);
        Instant evening = Instant.parse("2026-11-27T19:30:00Z");
        gameAndVoice = request("sip:alice@home.example", "10.1.0.7", evening,
                flow(1, MediaType.AUDIO, "voice", 64_000, 80_000, null),
                flow(2, MediaType.APPLICATION, "fps-game", 2_000_000, 1_500_000, 30));
        blocked = request("sip:mallory@home.example", "10.1.9.9", evening,
                flow(1, MediaType.AUDIO, "voice", 64_000, 64_000, null));
        Decision check = engine.decide(gameAndVoice);
        if (!check.ruleId().equals("basic-gaming") || check.grants().size() != 2) {
            throw new IllegalStateException("benchmark policy decides unexpectedly: " + check.ruleId() + " " + check.trace());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        engine.close();
        BenchFiles.deleteTree(dir);
    }

    /** Two flows, each evaluated against nearly all 50 rules. */
    @Benchmark
    public Decision twoFlowsNearTheEndOfFiftyRules() {
        return engine.decide(gameAndVoice);
    }

    /** One flow decided by the first rule. */
    @Benchmark
    public Decision oneFlowDecidedByTheFirstRule() {
        return engine.decide(blocked);
    }

    private static PolicyRequest request(String subscriber, String address, Instant at, FlowRequirement... flows) {
        RxRequest rx = new RxRequest("pcscf.example.net;1;1", "pcscf.example.net", "example.net",
                List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, subscriber)), address, List.of(), Set.of(),
                null, "IMS Services", null, at);
        return new PolicyRequest(rx, List.of(flows));
    }

    private static FlowRequirement flow(int n, MediaType media, String cls, long ul, long dl, Integer latency) {
        return new FlowRequirement(new FlowKey(n, n), media, null, "10.2.0.9",
                new QosRequirement(ul, cls, latency, null, null, null), new QosRequirement(dl, cls, latency, null, null, null),
                null, null, Set.of());
    }
}
