package org.arbiter.server.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.RxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Binds the Rx front end to the engine, with the session in the MDC and the admission outcome
 * counted ({@code arbiter_admissions_total{result}}, {@code arbiter_authorize_seconds}).
 */
final class EngineRxHandler implements RxHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRxHandler.class);

    private final PdpEngine engine;
    private final MeterRegistry registry;
    private final Timer authorizeTimer;

    EngineRxHandler(PdpEngine engine, MeterRegistry registry) {
        this.engine = engine;
        this.registry = registry;
        this.authorizeTimer = Timer.builder("arbiter_authorize").publishPercentileHistogram().register(registry);
    }

    @Override
    public AuthorizationResult authorize(RxRequest request) {
        MDC.put("session", request.sessionId());
        MDC.put("peer", request.originHost());
        try {
            AuthorizationResult r = authorizeTimer.record(() -> engine.authorize(request));
            registry.counter("arbiter_admissions", "result", r.code().name()).increment();
            LOG.debug("AAR -> {} {}", r.code(), r.message());
            return r;
        } finally {
            MDC.remove("session");
            MDC.remove("peer");
        }
    }

    @Override
    public ReleaseResult release(String sessionId, TerminationCause cause) {
        MDC.put("session", sessionId);
        try {
            ReleaseResult r = engine.release(sessionId, cause);
            registry.counter("arbiter_releases", "result", r.code().name(), "cause", String.valueOf(cause)).increment();
            return r;
        } finally {
            MDC.remove("session");
        }
    }

    @Override
    public void peerRestarted(String originHost) {
        // the AF lost its sessions; they expire through their authorization lifetime, and the
        // AF's own STRs (if it sends them after restart) release them sooner
        LOG.warn("peer {} restarted (new Origin-State-Id); its sessions are left to expire", originHost);
    }
}
