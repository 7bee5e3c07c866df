package org.arbiter.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.session.TerminationCause;

/**
 * A single-node ledger in memory. It honours the whole {@link Ledger} contract except durability:
 * what it holds is gone with the process. One lock (this object's monitor) serialises every call.
 *
 * <p>It serves tests of the engine, embedding where durability is not wanted, and as the state of
 * a durable ledger that journals every change it makes (the db module's journal ledger). For that
 * use it can forget ended sessions ({@code retainEnded = false}), takes the ids of new holds and
 * billing records from an {@link Ids} source, and ends or bills one named session
 * ({@link #expireSession}, {@link #writeInterim(String, Instant)}) so that a recorded expiry or
 * interim sweep can be applied again exactly.
 *
 * <p>Pool use is kept in counters per pool and direction, changed with every hold that becomes
 * active or final; sessions wait for expiry in an index ordered by their earliest active expiry.
 * An admission therefore costs the same whatever the number of sessions.
 *
 * <p><b>Session lifecycle</b> (per Session-Id): unknown → (admit) active with RESERVED holds →
 * (commit) COMMITTED → (release | expiry) ended, holds RELEASED or EXPIRED, final CDR written.
 * An update admission replaces the desired holds of an active session. An admission of an ended
 * session starts a new run of it. A repeated admission with the same holds is UNCHANGED and only
 * moves the authorization expiry later.
 */
public final class InMemoryLedger implements Ledger {

    /** Where the ids of new holds and billing records come from. */
    public interface Ids {
        /** The id of the next hold; ids increase within one admission. */
        long nextHoldId();

        /** The id of the next billing record. */
        String nextRecordId();
    }

    /** Hold ids counting from 1 and random record ids. */
    public static Ids countingIds() {
        return new Ids() {
            private long next = 1;

            @Override
            public long nextHoldId() {
                return next++;
            }

            @Override
            public String nextRecordId() {
                return UUID.randomUUID().toString();
            }
        };
    }

    private static final Comparator<Session> BY_DUE = Comparator.comparing((Session s) -> s.due)
            .thenComparing(s -> s.id);

    private volatile Topology topology;
    private final boolean retainEnded;
    private final Ids ids;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Active bit/s per pool: [uplink, downlink]. */
    private final Map<String, long[]> used = new HashMap<>();
    /** Active sessions by their earliest active expiry. */
    private final TreeSet<Session> dues = new TreeSet<>(BY_DUE);
    private final List<ChargingRecord> records = new ArrayList<>();
    private final List<Decision> rejections = new ArrayList<>();

    /** A ledger that keeps ended sessions and every billing record, for tests and embedding. */
    public InMemoryLedger(Topology topology) {
        this(topology, true, countingIds());
    }

    /**
     * @param retainEnded whether ended sessions and billing records stay readable
     *     ({@link #session}, {@link #chargingRecords()}); false keeps only active sessions
     * @param ids where new hold and record ids come from
     */
    public InMemoryLedger(Topology topology, boolean retainEnded, Ids ids) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.retainEnded = retainEnded;
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    private static final class Session {
        final String id;
        final String originHost;
        final String subscriber;
        final String chargingId;
        final Instant createdAt;
        Instant committedAt;
        Instant authorizedUntil;
        /** Of the latest admission's decision, what records and lists need (not its trace). */
        String policyVersion;
        String ruleId;
        boolean modified;
        List<Hold> holds = new ArrayList<>();
        /** Interim records written so far. */
        int interims;
        /** When the last interim record was written, or {@code null}. */
        Instant lastInterimAt;
        /** The earliest expiry of an active hold while the session is in {@link #dues}. */
        Instant due;

        Session(AdmissionRequest r) {
            this.id = r.sessionId();
            this.originHost = r.originHost();
            this.subscriber = r.subscriber();
            this.chargingId = r.chargingId();
            this.createdAt = r.now();
            decided(r.decision());
        }

        void decided(Decision d) {
            policyVersion = d.policyVersion();
            ruleId = d.ruleId();
            modified = d.grants().stream().anyMatch(g -> g.modified());
        }

        boolean active() {
            for (Hold h : holds) {
                if (h.state().active()) {
                    return true;
                }
            }
            return false;
        }

        List<Hold> activeHolds() {
            List<Hold> out = new ArrayList<>();
            for (Hold h : holds) {
                if (h.state().active()) {
                    out.add(h);
                }
            }
            return out;
        }

        boolean modified() {
            return modified;
        }
    }

    @Override
    public Optional<AccessPath> resolve(String address) {
        return topology.resolve(address);
    }

    /** The topology admissions are checked against. */
    public Topology topology() {
        return topology;
    }

    /**
     * Replaces the topology. Holds stay where they are; a pool that is gone admits nothing more
     * (its paths no longer resolve) and keeps counting its holds until they end.
     */
    public synchronized void topology(Topology next) {
        this.topology = Objects.requireNonNull(next, "topology");
    }

    @Override
    public synchronized Admission admit(AdmissionRequest r) {
        return admit(r, true);
    }

    /**
     * Applies an admission that was admitted before, without checking capacity: a durable ledger
     * rebuilding its state from its journal. The topology may have changed since; the pools then
     * stay overbooked until the holds end, as after a forced topology change.
     */
    public synchronized Admission restore(AdmissionRequest r) {
        return admit(r, false);
    }

    private Admission admit(AdmissionRequest r, boolean check) {
        Session existing = sessions.get(r.sessionId());
        Map<String, Hold> current = new LinkedHashMap<>();
        if (existing != null) {
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
                Hold d = new Hold(0, r.sessionId(), hr.flow(), hr.direction(), hr.path().address(),
                        hop.poolId(), hop.deviceId(), hr.bandwidthBps(), hr.dscp(), hr.maxLatencyMs(),
                        HoldState.RESERVED, r.reservedUntil());
                desired.put(d.reservationId(), d);
            }
        }
        boolean same = desired.size() == current.size() && desired.entrySet().stream().allMatch(e -> {
            Hold c = current.get(e.getKey());
            return c != null && c.bandwidthBps() == e.getValue().bandwidthBps() && c.dscp() == e.getValue().dscp();
        });
        if (same && !current.isEmpty()) {
            refresh(existing, r);
            return new Admission(Admission.Status.UNCHANGED, existing.activeHolds(), List.of(), List.of());
        }
        List<Admission.Shortfall> shortfalls = check ? shortfalls(r, current.values(), desired.values()) : List.of();
        if (!shortfalls.isEmpty()) {
            return new Admission(Admission.Status.INSUFFICIENT_CAPACITY, List.of(), shortfalls, List.of());
        }
        boolean running = existing != null && !current.isEmpty();
        Session s = running ? existing : new Session(r);
        unindex(s);
        s.decided(r.decision());
        s.authorizedUntil = r.authorizedUntil();
        List<Hold> next = new ArrayList<>();
        List<Hold> released = new ArrayList<>();
        for (Hold h : s.holds) {
            if (!h.state().active()) {
                next.add(h);
            } else {
                count(h, -1);
                if (!desired.containsKey(h.reservationId())) {
                    next.add(withState(h, HoldState.RELEASED, h.expiresAt()));
                    released.add(h);
                }
            }
        }
        List<Hold> active = new ArrayList<>();
        for (Map.Entry<String, Hold> e : desired.entrySet()) {
            Hold d = e.getValue();
            Hold c = current.get(e.getKey());
            HoldState st = c != null && c.bandwidthBps() == d.bandwidthBps() && c.dscp() == d.dscp()
                    ? c.state() : HoldState.RESERVED;
            Hold h = d.withId(ids.nextHoldId(), st, st == HoldState.COMMITTED ? r.authorizedUntil() : r.reservedUntil());
            active.add(h);
            count(h, 1);
        }
        next.addAll(active);
        s.holds = next;
        if (!running) {
            sessions.remove(s.id);
        }
        sessions.put(s.id, s);
        index(s);
        if (active.isEmpty() && !retainEnded) {
            // an update that asks for nothing more: nothing is held, and nothing is kept
            sessions.remove(s.id);
        }
        return new Admission(Admission.Status.ADMITTED, active, List.of(), released);
    }

    /** A repeated admission: the decision is the latest, the authorization ends no earlier than before. */
    private void refresh(Session s, AdmissionRequest r) {
        s.decided(r.decision());
        if (s.authorizedUntil == null || r.authorizedUntil().isAfter(s.authorizedUntil)) {
            s.authorizedUntil = r.authorizedUntil();
            unindex(s);
            s.holds.replaceAll(h -> h.state() == HoldState.COMMITTED ? withState(h, h.state(), r.authorizedUntil()) : h);
            index(s);
        }
    }

    /** Every flow direction that does not fit, not counting the session's own current holds. */
    private List<Admission.Shortfall> shortfalls(AdmissionRequest r, Iterable<Hold> current, Iterable<Hold> desired) {
        // bit/s per pool, [uplink, downlink], as in used
        Map<String, long[]> own = new HashMap<>();
        for (Hold c : current) {
            own.computeIfAbsent(c.poolId(), k -> new long[2])[slot(c.direction())] += c.bandwidthBps();
        }
        Map<String, long[]> wanted = new HashMap<>();
        for (Hold d : desired) {
            wanted.computeIfAbsent(d.poolId(), k -> new long[2])[slot(d.direction())] += d.bandwidthBps();
        }
        List<Admission.Shortfall> shortfalls = new ArrayList<>();
        Topology t = topology;
        for (HoldRequest hr : r.holds()) {
            long avail = Long.MAX_VALUE;
            String tightest = null;
            boolean short_ = false;
            for (PathHop hop : hr.path().hops()) {
                PoolSpec p = t.pool(hop.poolId()).orElseThrow(
                        () -> new LedgerException("path names unknown pool '" + hop.poolId() + "'"));
                int slot = slot(hr.direction());
                long[] mine = own.get(p.id());
                long[] asked = wanted.get(p.id());
                long headroom = p.admissible(hr.direction()) - used(p.id(), hr.direction()) + (mine == null ? 0 : mine[slot]);
                if ((asked == null ? 0 : asked[slot]) > headroom) {
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
        return shortfalls;
    }

    /** The index of a direction in a pool's [uplink, downlink] counters. */
    private static int slot(Direction d) {
        return d == Direction.UPLINK ? 0 : 1;
    }

    private long used(String pool, Direction d) {
        long[] u = used.get(pool);
        return u == null ? 0 : u[slot(d)];
    }

    /** Adds ({@code sign} 1) or removes (-1) an active hold's bandwidth from its pool's counter. */
    private void count(Hold h, int sign) {
        long[] u = used.computeIfAbsent(h.poolId(), k -> new long[2]);
        u[slot(h.direction())] += sign * h.bandwidthBps();
    }

    private void unindex(Session s) {
        if (s.due != null) {
            dues.remove(s);
            s.due = null;
        }
    }

    private void index(Session s) {
        Instant due = null;
        for (Hold h : s.holds) {
            if (h.state().active() && (due == null || h.expiresAt().isBefore(due))) {
                due = h.expiresAt();
            }
        }
        if (due != null) {
            s.due = due;
            dues.add(s);
        }
    }

    private static Hold withState(Hold h, HoldState st, Instant expiresAt) {
        return h.withState(st, expiresAt);
    }

    @Override
    public synchronized boolean commit(String sessionId, Instant now) {
        Session s = sessions.get(sessionId);
        if (s == null || s.holds.stream().noneMatch(h -> h.state() == HoldState.RESERVED)) {
            return false;
        }
        unindex(s);
        s.holds.replaceAll(h -> h.state() == HoldState.RESERVED ? withState(h, HoldState.COMMITTED, s.authorizedUntil) : h);
        index(s);
        if (s.committedAt == null) {
            s.committedAt = now;
        }
        return true;
    }

    /** Extends the expiry of a session's committed holds (an update or refresh). */
    public synchronized void extend(String sessionId, Instant until) {
        Session s = sessions.get(sessionId);
        if (s != null) {
            unindex(s);
            s.holds.replaceAll(h -> h.state() == HoldState.COMMITTED ? withState(h, h.state(), until) : h);
            index(s);
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
        unindex(s);
        List<Hold> ended = s.activeHolds();
        for (Hold h : ended) {
            count(h, -1);
        }
        if (retainEnded) {
            // a session that is forgotten below is never read again
            s.holds.replaceAll(h -> h.state().active() ? withState(h, finalState, h.expiresAt()) : h);
        }
        ChargingRecord cdr = new ChargingRecord(ids.nextRecordId(), s.id, s.chargingId, s.subscriber,
                s.originHost, s.createdAt, s.committedAt, now, charged(ended), s.modified(),
                s.policyVersion, s.ruleId, cause, ChargingRecord.Kind.STOP, s.interims + 1);
        if (retainEnded) {
            records.add(cdr);
        } else {
            sessions.remove(s.id);
        }
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
        List<Session> due = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (due.size() >= limit) {
                break;
            }
            Instant last = s.lastInterimAt != null ? s.lastInterimAt : s.committedAt;
            if (last != null && !last.isAfter(cutoff) && billable(s, now)) {
                due.add(s);
            }
        }
        List<ChargingRecord> out = new ArrayList<>();
        for (Session s : due) {
            out.add(interim(s, now));
        }
        return out;
    }

    /**
     * Writes the interim record of one session at {@code now}, as {@link #writeInterim(Instant,
     * Duration, int)} did when it chose the session: empty when the session is unknown, not
     * committed, ended or past its expiry.
     */
    public synchronized Optional<ChargingRecord> writeInterim(String sessionId, Instant now) {
        Session s = sessions.get(sessionId);
        return s != null && billable(s, now) ? Optional.of(interim(s, now)) : Optional.empty();
    }

    /** Committed, still running, and no active hold past its expiry. */
    private static boolean billable(Session s, Instant now) {
        boolean committed = false;
        for (Hold h : s.holds) {
            if (h.state().active()) {
                if (!h.expiresAt().isAfter(now)) {
                    return false;
                }
                committed |= h.state() == HoldState.COMMITTED;
            }
        }
        return committed && s.committedAt != null;
    }

    private ChargingRecord interim(Session s, Instant now) {
        s.interims++;
        s.lastInterimAt = now;
        ChargingRecord cdr = new ChargingRecord(ids.nextRecordId(), s.id, s.chargingId, s.subscriber,
                s.originHost, s.createdAt, s.committedAt, now, charged(s.activeHolds()), s.modified(),
                s.policyVersion, s.ruleId, null, ChargingRecord.Kind.INTERIM, s.interims);
        if (retainEnded) {
            records.add(cdr);
        }
        return cdr;
    }

    @Override
    public synchronized List<SessionRelease> expire(Instant now, int limit) {
        List<Session> stale = new ArrayList<>();
        for (Session s : dues) {
            if (stale.size() >= limit || s.due.isAfter(now)) {
                break;
            }
            stale.add(s);
        }
        List<SessionRelease> out = new ArrayList<>();
        for (Session s : stale) {
            out.add(expire(s, now));
        }
        return out;
    }

    /**
     * Ends one session whose active holds include one past its expiry at {@code now}, as
     * {@link #expire(Instant, int)} does; empty when the session is unknown, ended or not due.
     */
    public synchronized Optional<SessionRelease> expireSession(String sessionId, Instant now) {
        Session s = sessions.get(sessionId);
        return s != null && s.due != null && !s.due.isAfter(now) ? Optional.of(expire(s, now)) : Optional.empty();
    }

    private SessionRelease expire(Session s, Instant now) {
        boolean reservedOnly = s.holds.stream().filter(h -> h.state().active())
                .allMatch(h -> h.state() == HoldState.RESERVED);
        return end(s, HoldState.EXPIRED,
                reservedOnly ? TerminationCause.HOLD_EXPIRED : TerminationCause.DIAMETER_AUTH_EXPIRED, now);
    }

    @Override
    public synchronized Optional<SessionView> session(String sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? Optional.empty()
                : Optional.of(new SessionView(s.id, s.originHost, s.subscriber, s.createdAt, s.holds,
                        s.policyVersion, s.ruleId));
    }

    /**
     * A session as lists show it.
     *
     * @param view the session and its holds
     * @param committedAt when its holds were first committed, or {@code null}
     * @param modified whether its latest grant modified what was asked
     */
    public record Listed(SessionView view, Instant committedAt, boolean modified) {}

    /**
     * Sessions newest first (running ones, and ended ones when they are retained), optionally only
     * those of one subscriber and/or one requesting AF ({@code null} matches any).
     */
    public synchronized List<Listed> sessions(String subscriber, String originHost, int limit) {
        List<Listed> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if ((subscriber == null || subscriber.equals(s.subscriber))
                    && (originHost == null || originHost.equals(s.originHost))) {
                out.add(new Listed(new SessionView(s.id, s.originHost, s.subscriber, s.createdAt, s.holds,
                        s.policyVersion, s.ruleId), s.committedAt, s.modified()));
            }
        }
        out.sort(Comparator.comparing((Listed l) -> l.view().createdAt()).reversed()
                .thenComparing(l -> l.view().sessionId()));
        return out.size() > limit ? List.copyOf(out.subList(0, Math.max(0, limit))) : out;
    }

    /** Sessions holding capacity now. */
    public synchronized int activeSessions() {
        return dues.size();
    }

    @Override
    public synchronized List<PoolUsage> pools() {
        return topology.pools().stream().map(this::usage).toList();
    }

    /** One pool's capacity and use, or empty when the topology has no such pool. */
    public synchronized Optional<PoolUsage> pool(String poolId) {
        return topology.pool(poolId).map(this::usage);
    }

    private PoolUsage usage(PoolSpec p) {
        return new PoolUsage(p, used(p.id(), Direction.UPLINK), used(p.id(), Direction.DOWNLINK));
    }

    @Override
    public synchronized List<Hold> activeHoldsOn(String deviceId) {
        List<Hold> out = new ArrayList<>();
        for (Session s : dues) {
            for (Hold h : s.holds) {
                if (h.state().active() && deviceId.equals(h.deviceId())) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void recordRejection(String sessionId, String originHost, Decision decision, Instant now) {
        if (retainEnded) {
            rejections.add(decision);
        }
    }

    /** The CDRs written so far, oldest first (none when ended sessions are not retained). */
    public synchronized List<ChargingRecord> chargingRecords() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        // nothing to free
    }
}
