package org.arbiter.bench.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        dir = Files.createTempDirectory("policy-bench");
        Files.writeString(dir.resolve("classes.yaml"), classes());
        Files.writeString(dir.resolve("rules.yaml"), rules());
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
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
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

    private static String classes() {
        StringBuilder sb = new StringBuilder("""
                settings:
                  time_zone: Europe/Berlin
                media_defaults:
                  audio: {uplink: 64k, downlink: 64k}
                  application: {uplink: 1M, downlink: 1M}
                classes:
                  fps-game: {max_latency_ms: 40, uplink: {guaranteed: 256k, maximum: 4M}, downlink: {guaranteed: 256k, maximum: 4M}, dscp: EF, qci: 3, priority: 2}
                  voice: {max_latency_ms: 100, uplink: {maximum: 256k}, downlink: {maximum: 256k}, dscp: EF, qci: 1, priority: 1}
                  video: {max_latency_ms: 150, uplink: {maximum: 8M}, downlink: {maximum: 8M}, dscp: AF41, qci: 2, priority: 4}
                  best-effort: {uplink: {maximum: 2M}, downlink: {maximum: 2M}, dscp: BE, qci: 9, priority: 15}
                """);
        String[] extra = {"racing", "strategy", "vr", "cloud-gaming", "telepresence", "iot"};
        for (int i = 0; i < extra.length; i++) {
            sb.append("  ").append(extra[i]).append(": {max_latency_ms: ").append(50 + 10 * i)
                    .append(", uplink: {maximum: 10M}, downlink: {maximum: 20M}, dscp: AF").append(1 + i % 4).append("1, priority: ")
                    .append(3 + i).append("}\n");
        }
        sb.append("""
                groups:
                  blocked: {subscription_ids: ["sip:mallory@*", "tel:+4930666*"]}
                  premium-gamers: {tier: premium, subscription_ids: ["sip:*@pro.gamers.example"], addresses: ["10.8.0.0/16"]}
                  junior: {subscription_ids: ["sip:kid-*@*"]}
                  business: {tier: business, subscription_ids: ["sip:*@corp.example"], addresses: ["172.16.0.0/12"]}
                  wholesale: {tier: wholesale, addresses: ["100.64.0.0/10"]}
                  basic: {tier: basic, subscription_ids: ["sip:*@home.example"], addresses: ["10.0.0.0/8", "2001:db8::/32"]}
                """);
        return sb.toString();
    }

    /** 50 rules; the game flow is decided by rule 47 (basic-gaming), the voice flow by rule 49. */
    private static String rules() {
        StringBuilder sb = new StringBuilder("rules:\n");
        sb.append(rule("blocked", "'\"blocked\" in subscriber.groups'", "reject: {code: REQUESTED_SERVICE_NOT_AUTHORIZED, reason: barred}"));
        sb.append(rule("lab", "origin.host == \"pcscf.lab.example.net\"", "defer: {enforce: false}"));
        sb.append(rule("junior-night", "flow.class == \"fps-game\" && \"junior\" in subscriber.groups && (time.hour >= 22 || time.hour < 6)",
                "reject: {code: REQUESTED_SERVICE_NOT_AUTHORIZED, reason: night}"));
        String[] cls = {"racing", "strategy", "vr", "cloud-gaming", "telepresence", "iot"};
        String[] tiers = {"premium", "business", "wholesale"};
        int n = 3;
        for (String c : cls) {
            for (String t : tiers) {
                sb.append(rule(c + "-" + t, "flow.class == \"" + c + "\" && subscriber.tier == \"" + t + "\"", "grant: {class: " + c + "}"));
                n++;
            }
        }
        for (int i = 0; n < 45; i++, n++) {
            String when = switch (i % 5) {
                case 0 -> "flow.ul_bps > " + (20_000_000 + i) + " && flow.media == \"video\"";
                case 1 -> "origin.realm.endsWith(\"partner" + i + ".example\")";
                case 2 -> "subscriber.id.startsWith(\"sip:test" + i + "\") && time.weekday >= 6";
                case 3 -> "flow.latency_ms > 0 && flow.latency_ms < 5 && flow.class == \"telepresence\"";
                default -> "request.application == \"app-" + i + "\" && \"business\" in subscriber.groups";
            };
            sb.append(rule("filler-" + i, when, "grant: {class: best-effort}"));
        }
        sb.append(rule("premium-gaming", "flow.class == \"fps-game\" && subscriber.tier == \"premium\"", "grant: {class: fps-game}"));
        sb.append(rule("basic-gaming", "flow.class == \"fps-game\" && subscriber.tier == \"basic\"",
                "grant: {class: fps-game, cap: {uplink: 1M, downlink: 1M}}"));
        sb.append(rule("gaming-other", "flow.class == \"fps-game\"", "grant: {class: best-effort}"));
        sb.append(rule("voice", "flow.class == \"voice\" || flow.media == \"audio\"", "grant: {class: voice}"));
        sb.append(rule("video", "flow.class == \"video\" || flow.media == \"video\"", "grant: {class: video}"));
        sb.append("""
                default:
                  grant: {class: best-effort}
                """);
        return sb.toString();
    }

    private static String rule(String id, String when, String action) {
        return "  - id: " + id + "\n    when: " + when + "\n    " + action + "\n";
    }
}
