package org.arbiter.server.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.arbiter.diameter.DiameterMetrics;
import org.arbiter.diameter.peer.PeerState;

/**
 * Diameter counters and histograms in Micrometer.
 *
 * <p>The meters of answered requests are looked up once per command (and result code) and kept:
 * the registry's own lookup builds tags and an id, and a timer's builder, on every call, which is
 * every request this node answers.
 */
final class DiameterMetricsBinding implements DiameterMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> peerStates = new ConcurrentHashMap<>();
    private final Map<Answered, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    /** The tags of {@code arbiter_diameter_requests}. */
    private record Answered(String command, long resultCode) {}

    DiameterMetricsBinding(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestAnswered(String command, long resultCode, Duration latency) {
        requests.computeIfAbsent(new Answered(command, resultCode), k -> registry.counter("arbiter_diameter_requests",
                "command", k.command(), "result_code", Long.toString(k.resultCode()))).increment();
        latencies.computeIfAbsent(command, c -> Timer.builder("arbiter_diameter_request").tag("command", c)
                .publishPercentileHistogram().register(registry)).record(latency);
    }

    @Override
    public void answerReceived(String command, long resultCode, Duration latency) {
        registry.counter("arbiter_diameter_answers_received", "command", command, "result_code", Long.toString(resultCode)).increment();
    }

    @Override
    public void requestTimedOut(String command) {
        registry.counter("arbiter_diameter_timeouts", "command", command).increment();
    }

    @Override
    public void requestNotSent(String command, String reason) {
        registry.counter("arbiter_diameter_not_sent", "command", command).increment();
    }

    @Override
    public void invalidMessage(long resultCode) {
        registry.counter("arbiter_diameter_invalid_messages", "result_code", Long.toString(resultCode)).increment();
    }

    @Override
    public void peerStateChanged(String host, PeerState state) {
        peerStates.computeIfAbsent(host, h -> {
            AtomicInteger v = new AtomicInteger();
            registry.gauge("arbiter_diameter_peer_open", java.util.List.of(io.micrometer.core.instrument.Tag.of("peer", h)), v);
            return v;
        }).set(state == PeerState.R_OPEN || state == PeerState.I_OPEN ? 1 : 0);
    }
}
