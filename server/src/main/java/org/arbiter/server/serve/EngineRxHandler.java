package org.arbiter.server.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.RxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the Rx front end to the engine, with the admission outcome counted
 * ({@code arbiter_admissions_total{result}}, {@code arbiter_authorize_seconds}). The counters are
 * looked up once per result (and cause) and kept, not on every request. The MDC's {@code peer}
 * and {@code session} are the front end's ({@code RxApplication} puts them for the whole
 * request, its own log lines after the handler included); the handler leaves them as they are.
 * The outcome is counted, and the timer stopped, when the engine's stage completes: the AAR's once
 * the ledger made it durable, on the ledger's thread, where the MDC is not set and the log line
 * names the session itself.
 */
final class EngineRxHandler implements RxHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRxHandler.class);

    private final PdpEngine engine;
    private final MeterRegistry registry;
    private final Timer authorizeTimer;
    private final Map<ResultCode, Counter> admissions = new ConcurrentHashMap<>();
    private final Map<Released, Counter> releases = new ConcurrentHashMap<>();

    /** The tags of {@code arbiter_releases}. */
    private record Released(ResultCode result, TerminationCause cause) {}

    EngineRxHandler(PdpEngine engine, MeterRegistry registry) {
        this.engine = engine;
        this.registry = registry;
        this.authorizeTimer = Timer.builder("arbiter_authorize").publishPercentileHistogram().register(registry);
    }

    @Override
    public AuthorizationResult authorize(RxRequest request) {
        return authorizeAsync(request).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
        long start = System.nanoTime();
        return engine.authorizeAsync(request).thenApply(r -> {
            authorizeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            admissions.computeIfAbsent(r.code(), c -> registry.counter("arbiter_admissions", "result", c.name())).increment();
            LOG.debug("AAR {} -> {} {}", request.sessionId(), r.code(), r.message());
            return r;
        });
    }

    @Override
    public ReleaseResult release(String sessionId, TerminationCause cause) {
        return counted(engine.release(sessionId, cause), cause);
    }

    @Override
    public CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
        return engine.releaseAsync(sessionId, cause).thenApply(r -> counted(r, cause));
    }

    private ReleaseResult counted(ReleaseResult r, TerminationCause cause) {
        releases.computeIfAbsent(new Released(r.code(), cause), k -> registry.counter("arbiter_releases",
                "result", k.result().name(), "cause", String.valueOf(k.cause()))).increment();
        return r;
    }

    @Override
    public void peerRestarted(String originHost) {
        // the AF lost its sessions; they expire through their authorization lifetime, and the
        // AF's own STRs (if it sends them after restart) release them sooner
        LOG.warn("peer {} restarted (new Origin-State-Id); its sessions are left to expire", originHost);
    }
}
