package org.arbiter.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.session.TerminationCause;

/**
 * A single-node ledger in memory, for tests of the engine and for embedding where durability is
 * not wanted. It honours the whole {@link Ledger} contract except durability: what it holds is
 * gone with the process. One lock serialises every call.
 */
public final class InMemoryLedger implements Ledger {

    private final Topology topology;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final List<ChargingRecord> records = new ArrayList<>();
    private final List<Decision> rejections = new ArrayList<>();
    private long nextHoldId = 1;

    public InMemoryLedger(Topology topology) {
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    private static final class Session {
        final String id;
        final String originHost;
        final String subscriber;
        final String chargingId;
        final Instant createdAt;
        Instant committedAt;
        Instant authorizedUntil;
        Decision decision;
        List<Hold> holds = new ArrayList<>();
        /** Interim records written so far. */
        int interims;
        /** When the last interim record was written, or {@code null}. */
        Instant lastInterimAt;

        Session(AdmissionRequest r) {
            this.id = r.sessionId();
            this.originHost = r.originHost();
            this.subscriber = r.subscriber();
            this.chargingId = r.chargingId();
            this.createdAt = r.now();
            this.decision = r.decision();
        }

        boolean active() {
            return holds.stream().anyMatch(h -> h.state().active());
        }
    }

    @Override
    public Optional<AccessPath> resolve(String address) {
        return topology.resolve(address);
    }

    @Override
    public synchronized Admission admit(AdmissionRequest r) {
        Session existing = sessions.get(r.sessionId());
        Map<String, Hold> current = new HashMap<>();
        if (existing != null && existing.active()) {
            for (Hold h : existing.holds) {
                if (h.state().active()) {
                    current.put(h.reservationId(), h);
                }
            }
        }
        // the desired holds, one per (flow, direction, party, pool)
        Map<String, Hold> desired = new LinkedHashMap<>();
        for (HoldRequest hr : r.holds()) {
            for (PathHop hop : hr.path().hops()) {
                String rid = Hold.reservationId(r.sessionId(), hr.flow(), hr.direction(), hr.path().address(), hop.poolId());
                desired.put(rid, new Hold(0, r.sessionId(), hr.flow(), hr.direction(), hr.path().address(),
                        hop.poolId(), hop.deviceId(), hr.bandwidthBps(), hr.dscp(), hr.maxLatencyMs(),
                        HoldState.RESERVED, r.reservedUntil()));
            }
        }
        boolean same = desired.size() == current.size() && desired.entrySet().stream().allMatch(e -> {
            Hold c = current.get(e.getKey());
            return c != null && c.bandwidthBps() == e.getValue().bandwidthBps() && c.dscp() == e.getValue().dscp();
        });
        if (same && !current.isEmpty()) {
            return new Admission(Admission.Status.UNCHANGED, List.copyOf(current.values()), List.of(), List.of());
        }
        // headroom per pool and direction, not counting this session's own current holds
        Map<String, Long> used = usage();
        for (Hold c : current.values()) {
            used.merge(key(c.poolId(), c.direction()), -c.bandwidthBps(), Long::sum);
        }
        Map<String, Long> wanted = new HashMap<>();
        for (Hold d : desired.values()) {
            wanted.merge(key(d.poolId(), d.direction()), d.bandwidthBps(), Long::sum);
        }
        List<Admission.Shortfall> shortfalls = new ArrayList<>();
        for (HoldRequest hr : r.holds()) {
            long avail = Long.MAX_VALUE;
            String tightest = null;
            boolean short_ = false;
            for (PathHop hop : hr.path().hops()) {
                PoolSpec p = topology.pool(hop.poolId()).orElseThrow(
                        () -> new LedgerException("path names unknown pool '" + hop.poolId() + "'"));
                String k = key(p.id(), hr.direction());
                long headroom = p.admissible(hr.direction()) - used.getOrDefault(k, 0L);
                if (wanted.getOrDefault(k, 0L) > headroom) {
                    short_ = true;
                }
                if (headroom < avail) {
                    avail = headroom;
                    tightest = p.id();
                }
            }
            if (short_) {
                shortfalls.add(new Admission.Shortfall(hr.flow(), hr.direction(), hr.path().address(), tightest,
                        hr.bandwidthBps(), Math.max(0, avail)));
            }
        }
        if (!shortfalls.isEmpty()) {
            return new Admission(Admission.Status.INSUFFICIENT_CAPACITY, List.of(), shortfalls, List.of());
        }
        Session s = existing != null && existing.active() ? existing : new Session(r);
        s.decision = r.decision();
        s.authorizedUntil = r.authorizedUntil();
        List<Hold> next = new ArrayList<>();
        List<Hold> released = new ArrayList<>();
        for (Hold h : s.holds) {
            if (!h.state().active()) {
                next.add(h);
            } else if (!desired.containsKey(h.reservationId())) {
                next.add(withState(h, HoldState.RELEASED, h.expiresAt()));
                released.add(h);
            }
        }
        List<Hold> active = new ArrayList<>();
        for (Hold d : desired.values()) {
            Hold c = current.get(d.reservationId());
            HoldState st = c != null && c.bandwidthBps() == d.bandwidthBps() && c.dscp() == d.dscp()
                    ? c.state() : HoldState.RESERVED;
            Hold h = new Hold(nextHoldId++, d.sessionId(), d.flow(), d.direction(), d.partyAddress(), d.poolId(),
                    d.deviceId(), d.bandwidthBps(), d.dscp(), d.maxLatencyMs(), st,
                    st == HoldState.COMMITTED ? r.authorizedUntil() : r.reservedUntil());
            active.add(h);
        }
        next.addAll(active);
        s.holds = next;
        sessions.put(s.id, s);
        return new Admission(Admission.Status.ADMITTED, active, List.of(), released);
    }

    private static String key(String pool, Direction d) {
        return pool + "/" + d.label();
    }

    private Map<String, Long> usage() {
        Map<String, Long> used = new HashMap<>();
        for (Session s : sessions.values()) {
            for (Hold h : s.holds) {
                if (h.state().active()) {
                    used.merge(key(h.poolId(), h.direction()), h.bandwidthBps(), Long::sum);
                }
            }
        }
        return used;
    }

    private static Hold withState(Hold h, HoldState st, Instant expiresAt) {
        return new Hold(h.holdId(), h.sessionId(), h.flow(), h.direction(), h.partyAddress(), h.poolId(),
                h.deviceId(), h.bandwidthBps(), h.dscp(), h.maxLatencyMs(), st, expiresAt);
    }

    @Override
    public synchronized boolean commit(String sessionId, Instant now) {
        Session s = sessions.get(sessionId);
        if (s == null || s.holds.stream().noneMatch(h -> h.state() == HoldState.RESERVED)) {
            return false;
        }
        s.holds.replaceAll(h -> h.state() == HoldState.RESERVED ? withState(h, HoldState.COMMITTED, s.authorizedUntil) : h);
        if (s.committedAt == null) {
            s.committedAt = now;
        }
        return true;
    }

    /** Extends the expiry of a session's committed holds (an update or refresh). */
    public synchronized void extend(String sessionId, Instant until) {
        Session s = sessions.get(sessionId);
        if (s != null) {
            s.holds.replaceAll(h -> h.state() == HoldState.COMMITTED ? withState(h, h.state(), until) : h);
        }
    }

    @Override
    public synchronized Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now) {
        Session s = sessions.get(sessionId);
        if (s == null || !s.active()) {
            return Optional.empty();
        }
        return Optional.of(end(s, HoldState.RELEASED, cause, now));
    }

    private SessionRelease end(Session s, HoldState finalState, TerminationCause cause, Instant now) {
        List<Hold> ended = s.holds.stream().filter(h -> h.state().active()).toList();
        s.holds.replaceAll(h -> h.state().active() ? withState(h, finalState, h.expiresAt()) : h);
        List<ChargingRecord.ChargedFlow> flows = charged(ended);
        ChargingRecord cdr = new ChargingRecord(UUID.randomUUID().toString(), s.id, s.chargingId, s.subscriber,
                s.originHost, s.createdAt, s.committedAt, now, flows,
                s.decision.grants().stream().anyMatch(g -> g.modified()),
                s.decision.policyVersion(), s.decision.ruleId(), cause, ChargingRecord.Kind.STOP, s.interims + 1);
        records.add(cdr);
        return new SessionRelease(s.id, s.originHost, ended, cdr);
    }

    private static List<ChargingRecord.ChargedFlow> charged(List<Hold> holds) {
        return holds.stream()
                .map(h -> new ChargingRecord.ChargedFlow(h.flow(), h.direction(), h.partyAddress(), h.poolId(),
                        h.bandwidthBps(), h.dscp(), h.maxLatencyMs()))
                .toList();
    }

    @Override
    public synchronized List<ChargingRecord> writeInterim(Instant now, Duration interval, int limit) {
        Objects.requireNonNull(now, "now");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        Instant cutoff = now.minus(interval);
        List<ChargingRecord> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (out.size() >= limit) {
                break;
            }
            List<Hold> active = s.holds.stream().filter(h -> h.state().active()).toList();
            boolean committed = active.stream().anyMatch(h -> h.state() == HoldState.COMMITTED);
            boolean stale = active.stream().anyMatch(h -> !h.expiresAt().isAfter(now));
            Instant last = s.lastInterimAt != null ? s.lastInterimAt : s.committedAt;
            if (!committed || stale || last == null || last.isAfter(cutoff)) {
                continue;
            }
            s.interims++;
            s.lastInterimAt = now;
            ChargingRecord cdr = new ChargingRecord(UUID.randomUUID().toString(), s.id, s.chargingId, s.subscriber,
                    s.originHost, s.createdAt, s.committedAt, now, charged(active),
                    s.decision.grants().stream().anyMatch(g -> g.modified()),
                    s.decision.policyVersion(), s.decision.ruleId(), null, ChargingRecord.Kind.INTERIM, s.interims);
            records.add(cdr);
            out.add(cdr);
        }
        return out;
    }

    @Override
    public synchronized List<SessionRelease> expire(Instant now, int limit) {
        List<SessionRelease> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (out.size() >= limit) {
                break;
            }
            boolean stale = s.holds.stream().anyMatch(h -> h.state().active() && !h.expiresAt().isAfter(now));
            if (stale) {
                boolean reservedOnly = s.holds.stream().filter(h -> h.state().active())
                        .allMatch(h -> h.state() == HoldState.RESERVED);
                out.add(end(s, HoldState.EXPIRED,
                        reservedOnly ? TerminationCause.HOLD_EXPIRED : TerminationCause.DIAMETER_AUTH_EXPIRED, now));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<SessionView> session(String sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? Optional.empty()
                : Optional.of(new SessionView(s.id, s.originHost, s.subscriber, s.createdAt, s.holds,
                        s.decision.policyVersion(), s.decision.ruleId()));
    }

    @Override
    public synchronized List<PoolUsage> pools() {
        Map<String, Long> used = usage();
        return topology.pools().stream()
                .map(p -> new PoolUsage(p, used.getOrDefault(key(p.id(), Direction.UPLINK), 0L),
                        used.getOrDefault(key(p.id(), Direction.DOWNLINK), 0L)))
                .toList();
    }

    @Override
    public synchronized List<Hold> activeHoldsOn(String deviceId) {
        return sessions.values().stream().flatMap(s -> s.holds.stream())
                .filter(h -> h.state().active() && deviceId.equals(h.deviceId()))
                .toList();
    }

    @Override
    public synchronized void recordRejection(String sessionId, String originHost, Decision decision, Instant now) {
        rejections.add(decision);
    }

    /** The CDRs written so far, oldest first. */
    public synchronized List<ChargingRecord> chargingRecords() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        // nothing to free
    }
}
