package org.arbiter.core.engine;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.RequirementExtractor;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;

/**
 * The policy decision point: the use cases authorize, release, expire and reconcile.
 *
 * <p><b>Authorize</b> (ARCHITECTURE.md §2): extract the requirements, decide by policy, resolve the
 * access paths of both parties, admit in the ledger (all holds or none), enforce on every device
 * (fail closed: on any device failure, what was applied is removed and the holds released), then
 * commit. The result starts as a failure and becomes success only at the end.
 *
 * <p><b>Stateless.</b> The engine keeps no session state; everything lives in the ledger, so any
 * node can serve any request, including a release for a session another node created.
 *
 * <p><b>Threading.</b> Thread-safe; call from worker threads, never from I/O threads: admission
 * and enforcement block on the database and the devices. {@link #authorizeAsync} and
 * {@link #releaseAsync} block for those too, but not for the ledger's durability: a worker thread
 * is free once the devices are configured, and the answer waits for the disk without a thread.
 *
 * <p><b>Errors.</b> No method throws for a policy, ledger or device failure: each becomes a result
 * code (5012 for internal failures, 5068 for device failures).
 */
public final class PdpEngine {

    private static final System.Logger LOG = System.getLogger(PdpEngine.class.getName());

    private final PolicyEngine policy;
    private final Ledger ledger;
    private final Enforcer enforcer;
    private final AfNotifier notifier;
    private final EngineSettings settings;
    private final Clock clock;

    public PdpEngine(PolicyEngine policy, Ledger ledger, Enforcer enforcer, AfNotifier notifier,
                     EngineSettings settings, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Authorizes an AAR (initial or update). Never throws. */
    public AuthorizationResult authorize(RxRequest request) {
        return join(authorizeAsync(request));
    }

    /**
     * Authorizes as {@link #authorize} does, returning once the devices are configured: the
     * stage completes once the ledger made the outcome durable ({@link Ledger#whenDurable}),
     * possibly on the ledger's own thread, whose dependents must not block. Never completes
     * exceptionally.
     */
    public CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
        try {
            return doAuthorize(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalFailure(request, e));
        }
    }

    private AuthorizationResult internalFailure(RxRequest request, Throwable e) {
        LOG.log(Level.ERROR, "authorization of session " + request.sessionId() + " failed internally", e);
        return AuthorizationResult.failure(ResultCode.DIAMETER_UNABLE_TO_COMPLY,
                "internal error: " + e.getClass().getSimpleName(), List.of(), null);
    }

    private CompletionStage<AuthorizationResult> doAuthorize(RxRequest request) {
        RequirementExtractor.Extraction ex = RequirementExtractor.extract(request, policy.mediaDefaults(),
                org.arbiter.core.qos.Negotiation.Cap.NONE);
        if (!ex.ok()) {
            return done(AuthorizationResult.failure(ResultCode.INVALID_SERVICE_INFORMATION, ex.error(), List.of(), null));
        }
        List<FlowRequirement> flows = ex.flows();
        if (flows.isEmpty()) {
            return done(AuthorizationResult.failure(ResultCode.INVALID_SERVICE_INFORMATION,
                    "the request has no media component", flows, null));
        }
        Instant now = clock.instant();
        Decision decision = policy.decide(new PolicyRequest(request, flows));
        if (!decision.accepted()) {
            ledger.recordRejection(request.sessionId(), request.originHost(), decision, now);
            return done(AuthorizationResult.failure(decision.rejectCode(), decision.reason(), flows, decision));
        }
        String ue = request.framedIpAddress() != null ? request.framedIpAddress()
                : flows.stream().map(FlowRequirement::ueAddress).filter(Objects::nonNull).findFirst().orElse(null);
        Optional<AccessPath> uePath = ue == null ? Optional.empty() : ledger.resolve(ue);
        if (uePath.isEmpty()) {
            ledger.recordRejection(request.sessionId(), request.originHost(), decision, now);
            return done(AuthorizationResult.failure(ResultCode.IP_CAN_SESSION_NOT_AVAILABLE,
                    "no access network binding for subscriber address " + ue, flows, decision));
        }
        List<HoldRequest> holds = holdRequests(decision, flows, uePath.get());
        Duration lifetime = request.authorizationLifetime() == null ? settings.defaultAuthorizationLifetime()
                : min(request.authorizationLifetime(), settings.maxAuthorizationLifetime());
        Instant authorizedUntil = now.plus(lifetime);
        // durable with the commit (or the release) below, before the answer
        Admission admission = ledger.admitBeforeCommit(new AdmissionRequest(request.sessionId(), request.originHost(),
                request.subscriber(), request.afChargingIdentifier(), decision, holds, now,
                now.plus(settings.reserveTimeout()), authorizedUntil));
        if (!admission.admitted()) {
            ledger.recordRejection(request.sessionId(), request.originHost(), decision, now);
            List<FlowGrant> acceptable = counterOffer(decision, admission, uePath.get().address());
            String why = admission.shortfalls().stream()
                    .map(s -> "flow " + s.flow() + " " + s.direction().label() + " needs " + s.requestedBps()
                            + " bit/s, pool " + s.poolId() + " has " + s.availableBps())
                    .reduce((a, b) -> a + "; " + b).orElse("insufficient capacity");
            return done(new AuthorizationResult(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, why, flows, decision,
                    List.of(), acceptable, false));
        }
        List<Hold> active = admission.holds();
        if (decision.enforce()) {
            Enforcer.Result applied = enforcer.install(active);
            if (!applied.ok()) {
                List<Outcome> cleanup = enforcer.remove(active);
                ledger.release(request.sessionId(), TerminationCause.ENFORCEMENT_FAILED, clock.instant());
                Outcome first = applied.failures().getFirst();
                LOG.log(Level.WARNING, "session " + request.sessionId() + ": enforcement failed (" + first.status()
                        + " " + first.detail() + "), " + cleanup.size() + " removals left to reconcile");
                return done(new AuthorizationResult(ResultCode.TEMPORARY_NETWORK_FAILURE,
                        "device refused the reservation: " + first.status() + " " + first.detail(), flows, decision,
                        List.of(), List.of(), false));
            }
            // an update that shrank the session: take what it no longer holds off the devices
            Map<String, List<String>> gone = admission.status() == Admission.Status.ADMITTED
                    ? ended(admission, active) : Map.of();
            if (!gone.isEmpty()) {
                enforcer.removeIds(gone);
            }
        }
        ledger.commitBeforeDurable(request.sessionId(), clock.instant());
        // the committed holds as the commit leaves them, without reading the session again
        List<Hold> committed = active.stream()
                .map(h -> h.state() == HoldState.RESERVED ? h.withState(HoldState.COMMITTED, authorizedUntil) : h)
                .toList();
        AuthorizationResult ok = new AuthorizationResult(ResultCode.DIAMETER_SUCCESS, decision.reason(), flows, decision,
                committed, List.of(), true);
        // the admission and the commit on disk before the answer
        return ledger.whenDurable().handle((v, e) -> e == null ? ok : internalFailure(request, cause(e)));
    }

    private static <T> CompletionStage<T> done(T result) {
        return CompletableFuture.completedFuture(result);
    }

    /** The failure itself, not the completion that carries it. */
    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Waits for a stage of this engine's; its failure is thrown as it was raised. */
    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (cause(e) instanceof RuntimeException r) {
                throw r;
            }
            if (cause(e) instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The reservations an admission ended, by device: the holds the ledger reports as released
     * that the session no longer holds.
     */
    private static Map<String, List<String>> ended(Admission admission, List<Hold> active) {
        List<Hold> candidates = admission.released();
        if (candidates.isEmpty()) {
            return Map.of();
        }
        Set<String> nowIds = new HashSet<>();
        active.forEach(h -> nowIds.add(h.reservationId()));
        Map<String, List<String>> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Hold h : candidates) {
            String id = h.reservationId();
            if (h.deviceId() != null && !nowIds.contains(id) && seen.add(id)) {
                out.computeIfAbsent(h.deviceId(), d -> new ArrayList<>()).add(id);
            }
        }
        return out;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Holds on the UE's path and, when this domain serves it, on the peer's path (directions flipped). */
    private List<HoldRequest> holdRequests(Decision decision, List<FlowRequirement> flows, AccessPath uePath) {
        Map<FlowKey, FlowRequirement> byKey = new HashMap<>();
        flows.forEach(f -> byKey.put(f.key(), f));
        Map<String, Optional<AccessPath>> peerPaths = new HashMap<>();
        List<HoldRequest> out = new ArrayList<>();
        for (FlowGrant g : decision.grants()) {
            for (Direction d : Direction.values()) {
                if (g.bps(d) > 0) {
                    out.add(new HoldRequest(g.key(), d, uePath, g.bps(d), g.dscp(), g.maxLatencyMs()));
                }
            }
            FlowRequirement f = byKey.get(g.key());
            String peer = f == null ? null : f.peerAddress();
            if (peer == null || peer.equals(uePath.address())) {
                continue;
            }
            Optional<AccessPath> pp = peerPaths.computeIfAbsent(peer, ledger::resolve);
            if (pp.isPresent()) {
                for (Direction d : Direction.values()) {
                    long bps = g.bps(d.opposite());
                    if (bps > 0) {
                        out.add(new HoldRequest(g.key(), d, pp.get(), bps, g.dscp(), g.maxLatencyMs()));
                    }
                }
            }
        }
        return out;
    }

    /** What the paths could still carry, per flow: the Acceptable-Service-Info of a 5063. */
    private static List<FlowGrant> counterOffer(Decision decision, Admission admission, String ueAddress) {
        List<FlowGrant> out = new ArrayList<>();
        for (FlowGrant g : decision.grants()) {
            long ul = g.uplinkBps();
            long dl = g.downlinkBps();
            for (Admission.Shortfall s : admission.shortfalls()) {
                if (!s.flow().equals(g.key())) {
                    continue;
                }
                Direction asUe = s.partyAddress().equals(ueAddress) ? s.direction() : s.direction().opposite();
                if (asUe == Direction.UPLINK) {
                    ul = Math.min(ul, s.availableBps());
                } else {
                    dl = Math.min(dl, s.availableBps());
                }
            }
            if ((g.uplinkBps() > 0 && ul <= 0) || (g.downlinkBps() > 0 && dl <= 0)) {
                return List.of();
            }
            out.add(g.withBandwidth(ul, dl));
        }
        return out;
    }

    /** Ends a session (STR). Unknown or already ended sessions give DIAMETER_UNKNOWN_SESSION_ID. */
    public ReleaseResult release(String sessionId, TerminationCause cause) {
        return join(releaseAsync(sessionId, cause));
    }

    /**
     * Ends a session as {@link #release} does, returning once its reservations are off the
     * devices: the stage completes once the ledger made the release durable, possibly on the
     * ledger's own thread, whose dependents must not block; exceptionally with the ledger's
     * failure when it could not. The devices are configured before the release is durable, as
     * they are before an admission's commit is ({@link Ledger#releaseBeforeDurable}).
     */
    public CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
        Optional<SessionRelease> rel = ledger.releaseBeforeDurable(sessionId, cause, clock.instant());
        ReleaseResult result;
        if (rel.isEmpty()) {
            // answered once whatever ended the session is durable too
            result = new ReleaseResult(ResultCode.DIAMETER_UNKNOWN_SESSION_ID, null, List.of());
        } else {
            List<Outcome> failures = enforcer.remove(rel.get().holds());
            if (!failures.isEmpty()) {
                LOG.log(Level.WARNING, "session " + sessionId + ": " + failures.size()
                        + " device removals failed; reconcile will retry");
            }
            result = new ReleaseResult(ResultCode.DIAMETER_SUCCESS, rel.get(), failures);
        }
        return ledger.whenDurable().thenApply(v -> result);
    }

    /**
     * Expires stale holds: RESERVED past the reserve timer, COMMITTED past the authorization
     * lifetime. Removes them from the devices and asks the AF to end sessions whose authorization
     * ran out.
     *
     * @return the sessions ended
     */
    public List<SessionRelease> expire(int limit) {
        List<SessionRelease> ended = ledger.expire(clock.instant(), limit);
        for (SessionRelease r : ended) {
            enforcer.remove(r.holds());
            if (r.record().cause() == TerminationCause.DIAMETER_AUTH_EXPIRED) {
                notifier.abort(r.sessionId(), r.originHost(), "authorization lifetime expired");
            }
        }
        return ended;
    }

    /**
     * Compares one device with the ledger: re-applies what it lacks, removes what the ledger does
     * not hold. A reservation that cannot be re-applied means the bearer is lost: the AF is told
     * (LOSS_OF_BEARER) and the session aborted.
     */
    public ReconcileReport reconcile(String deviceId) {
        DeviceAdapter adapter = enforcer.devices().get(deviceId);
        if (adapter == null) {
            return new ReconcileReport(deviceId, false, List.of(), List.of(), List.of(), "no such device");
        }
        List<Hold> expected = ledger.activeHoldsOn(deviceId);
        DeviceListing listing = adapter.list(Duration.ofSeconds(10));
        if (!listing.complete()) {
            return new ReconcileReport(deviceId, false, List.of(), List.of(), List.of(),
                    listing.status() + " " + listing.detail());
        }
        Set<String> present = new HashSet<>();
        listing.reservations().forEach(r -> present.add(r.id()));
        Set<String> wanted = new HashSet<>();
        List<Hold> missing = new ArrayList<>();
        for (Hold h : expected) {
            wanted.add(h.reservationId());
            if (!present.contains(h.reservationId())) {
                missing.add(h);
            }
        }
        List<String> orphans = listing.reservations().stream().map(DeviceReservation::id)
                .filter(id -> !wanted.contains(id)).toList();
        if (!orphans.isEmpty()) {
            enforcer.removeIds(Map.of(deviceId, orphans));
        }
        List<String> reapplied = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        if (!missing.isEmpty()) {
            Enforcer.Result r = enforcer.install(missing);
            r.applied().forEach(x -> reapplied.add(x.id()));
            Set<String> failedIds = new HashSet<>();
            r.failures().forEach(o -> failedIds.add(o.reservationId()));
            Set<String> abortedSessions = new HashSet<>();
            for (Hold h : missing) {
                if (failedIds.contains(h.reservationId())) {
                    lost.add(h.reservationId());
                    if (abortedSessions.add(h.sessionId())) {
                        ledger.session(h.sessionId()).ifPresent(v -> {
                            notifier.notify(v.sessionId(), v.originHost(), SpecificAction.INDICATION_OF_LOSS_OF_BEARER);
                            notifier.abort(v.sessionId(), v.originHost(), "device " + deviceId + " lost the reservation");
                        });
                    }
                }
            }
        }
        return new ReconcileReport(deviceId, true, reapplied, orphans, lost, "");
    }
}
