package org.arbiter.bench.qos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arbiter.bench.rx.RxTraffic;
import org.arbiter.core.qos.RequirementExtractor;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SDP extraction: {@link RequirementExtractor#extract} on the request the Rx front end makes of the
 * benchmark's AAR, a Kamailio-like call with an audio component (bandwidth AVPs, b=AS/RS/RR) and an
 * RTP game flow with extended SDP ({@code a=qos-latency}, {@code a=qos-jitter},
 * {@code a=qos-class:fps-game}), each with offer and answer Codec-Data: two SDP parses and one
 * offer/answer negotiation per component.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.openjdk.jmh.Main RequirementExtractionBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequirementExtractionBenchmark {

    private RxRequest request;

    @Setup
    public void setUp() {
        String ue = "10.0.7.7";
        String peer = RxTraffic.PEER_ADDRESS;
        request = new RxRequest("bench-00.rx.test;1;1", "bench-00.rx.test", "rx.test",
                List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, "sip:line-00007@home.example")), ue,
                List.of(component(1, MediaType.AUDIO, ue, peer, 16000, 26000, 64_000, 80_000, 2000, 800,
                                RxTraffic.AUDIO_OFFER, RxTraffic.AUDIO_ANSWER),
                        component(2, MediaType.APPLICATION, ue, peer, 16002, 26002, -1, -1, -1, -1,
                                RxTraffic.GAME_OFFER, RxTraffic.GAME_ANSWER)),
                Set.of(), null, "IMS Services", Duration.ofHours(2), Instant.parse("2026-11-27T19:30:00Z"));
        RequirementExtractor.Extraction check = RequirementExtractor.extract(request);
        if (!check.ok() || check.flows().size() != 2) {
            throw new IllegalStateException("the benchmark request does not extract: " + check.error());
        }
    }

    private static MediaComponent component(int n, MediaType type, String ue, String peer, int offerPort, int answerPort,
                                            long ul, long dl, long rr, long rs, String offer, String answer) {
        MediaSubComponent flow = new MediaSubComponent(n, List.of(
                "permit out 17 from " + peer + " " + answerPort + " to " + ue + " " + offerPort,
                "permit in 17 from " + ue + " " + offerPort + " to " + peer + " " + answerPort), null, 0, -1, -1);
        return new MediaComponent(n, type, List.of(flow), ul, dl, rr, rs, FlowStatus.ENABLED, List.of(offer, answer));
    }

    /** Both components: Codec-Data parsed, offer and answer negotiated, per-direction requirements built. */
    @Benchmark
    public RequirementExtractor.Extraction extractTwoComponents() {
        return RequirementExtractor.extract(request);
    }
}
