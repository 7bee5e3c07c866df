package org.arbiter.server.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.arbiter.diameter.DiameterMetrics;
import org.arbiter.diameter.peer.PeerState;

/** Diameter counters and histograms in Micrometer. */
final class DiameterMetricsBinding implements DiameterMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> peerStates = new ConcurrentHashMap<>();

    DiameterMetricsBinding(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestAnswered(String command, long resultCode, Duration latency) {
        registry.counter("arbiter_diameter_requests", "command", command, "result_code", Long.toString(resultCode)).increment();
        Timer.builder("arbiter_diameter_request").tag("command", command).publishPercentileHistogram()
                .register(registry).record(latency);
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
