package org.arbiter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.session.TerminationCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal ledger: sessions, holds and pool use live in memory and are decided there; every
 * change is made durable as one compact row of the {@code journal} table before the call returns.
 * It is the single-node ledger for the embedded H2 database ({@code ledger.journal: true}).
 *
 * <p><b>Why.</b> The relational ledger ({@link JdbcLedger}) writes and indexes about 70 rows per
 * session; the journal ledger writes 3 (admission, commit, end), and one commit and one force
 * serve every change waiting at that moment. Admission is checked against counters per pool and
 * direction (core's {@link InMemoryLedger}), so it costs the same however many sessions run.
 *
 * <p><b>Change → journal row.</b> Under one lock the change is applied to the state and its row
 * appended to the writer's queue, so the journal's order is the order of the changes. The caller
 * then waits, outside the lock, until a group transaction holding its row has committed and been
 * forced to disk. A change that changed nothing still waits for every row appended before it, so
 * no caller acts on state that is not yet durable.
 *
 * <pre>
 *   ADMIT    the admission request (decision included), its outcome, the first hold id it took,
 *            and the row that started the session's run (0: this admission starts one)
 *   COMMIT   the session's RESERVED holds became COMMITTED
 *   RELEASE  the session ended by request: cause and the final billing record
 *   EXPIRE   the session ended by expiry: the final billing record
 *   INTERIM  an interim billing record of a running session
 *   REJECT   a decision that admitted nothing (audit only)
 * </pre>
 *
 * <p><b>Opening.</b> The state is rebuilt by applying the journal again from {@code replay_from}
 * of {@code journal_mark}: the writer keeps that mark at or below the first row of every session
 * not yet ended on disk, and {@code next_hold_id} above every hold id handed out. A session's run
 * lasts from the admission that gave it holds to the row that left it none (release, expiry, an
 * update without holds); rows of a run that started before {@code replay_from} are passed over,
 * as that run ended on disk. Each applied change must have the outcome it had when it was
 * recorded, billing records included; otherwise the ledger refuses to open and names the row. An
 * admission applied again is not checked against capacity: it was admitted then, and the
 * topology may have changed since.
 *
 * <p><b>Limits.</b> One process: the state is this node's, so the journal ledger runs on H2 only
 * (PostgreSQL serves several nodes with {@link JdbcLedger}); H2's file lock keeps other processes
 * out. Ended sessions are not kept in memory: {@link #session} knows running sessions only, and
 * the billing records are read from the journal ({@link #chargingRecords}). Journal rows are
 * never deleted.
 *
 * <p><b>Errors.</b> When a journal write fails, every waiting caller and every later call gets a
 * {@link LedgerException}: the in-memory state may then be ahead of the disk, and the ledger fails
 * closed until it is opened again from the journal.
 */
public final class JournalLedger implements OperatorLedger {

    private static final Logger LOG = LoggerFactory.getLogger(JournalLedger.class);

    /** Rows per JDBC batch within a group transaction. */
    private static final int MAX_BATCH = 1024;
    /** How often the writer moves the replay mark. */
    private static final long MARK_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    private final JdbcLedger store;
    private final String key;
    private final Ids ids = new Ids();
    private final InMemoryLedger state;
    /** Run start row per running session; guarded by {@link #state}. */
    private final Map<String, Long> runStarts = new HashMap<>();
    /** Run starts of sessions whose end is not yet durable, and of running sessions; guarded by itself. */
    private final TreeSet<Long> starts = new TreeSet<>();
    /** (end row, start row) of ended sessions, oldest first; guarded by {@link #starts}. */
    private final ArrayDeque<long[]> endings = new ArrayDeque<>();
    private final Writer writer;
    private final Thread writerThread;
    /** Opened by the command-line tools: the state is rebuilt, nothing is written. */
    private final boolean readOnly;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JournalLedger(JdbcLedger store, String key, long lastSeq, boolean readOnly) {
        this.store = store;
        this.key = key;
        this.readOnly = readOnly;
        this.state = new InMemoryLedger(store.topology(), false, ids);
        this.writer = new Writer(lastSeq);
        this.writerThread = Thread.ofPlatform().daemon().name("journal-writer").unstarted(writer);
    }

    /**
     * Opens the journal ledger on an H2 database: migrates it, rebuilds the state from the journal
     * and starts the writer.
     *
     * @throws LedgerException when the database is not H2, is open in this process already, holds
     *     sessions of the relational ledger, or its journal cannot be applied again
     */
    public static JournalLedger open(LedgerConfig config) {
        Objects.requireNonNull(config, "config");
        requireH2(config);
        String key = config.jdbcUrl().split(";", 2)[0];
        if (!OPEN.add(key)) {
            throw new LedgerException("the journal ledger on " + config.redactedUrl() + " is open in this process already");
        }
        JdbcLedger store = null;
        try {
            store = JdbcLedger.open(config, true);
            refuseRelationalSessions(store);
            long[] mark = readMark(store);
            long lastSeq = lastSeq(store);
            JournalLedger ledger = new JournalLedger(store, key, lastSeq, false);
            long started = System.nanoTime();
            int replayed = ledger.replay(mark[0]);
            ledger.starts.addAll(ledger.runStarts.values());
            ledger.ids.atLeast(mark[1]);
            ledger.writeMark(mark[0] < 0);
            ledger.writerThread.start();
            LOG.info("journal ledger open on {}: {} journal row(s) from {} applied in {} ms, {} running session(s)",
                    config.redactedUrl(), replayed, Math.max(0, mark[0]), (System.nanoTime() - started) / 1_000_000,
                    ledger.state.activeSessions());
            return ledger;
        } catch (RuntimeException e) {
            OPEN.remove(key);
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /**
     * Opens the journal ledger for reading, as the command-line tools do while the server may
     * run: the state is rebuilt from the journal; every change is refused, nothing is written.
     */
    public static JournalLedger openReadOnly(LedgerConfig config) {
        Objects.requireNonNull(config, "config");
        requireH2(config);
        JdbcLedger store = JdbcLedger.open(config, true);
        try {
            JournalLedger ledger = new JournalLedger(store, null, lastSeq(store), true);
            ledger.replay(readMark(store)[0]);
            ledger.writer.stop();
            return ledger;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static void requireH2(LedgerConfig config) {
        if (Dialect.of(config.jdbcUrl()) != Dialect.H2) {
            throw new LedgerException("ledger.journal: true needs the embedded H2 database, not " + config.redactedUrl()
                    + ": the journal ledger keeps its sessions in this process, and a PostgreSQL ledger may be "
                    + "shared by several nodes");
        }
    }

    private static void refuseRelationalSessions(JdbcLedger store) {
        long active = row(store, "reading the holds", "SELECT COUNT(*) FROM holds WHERE state IN ('RESERVED', 'COMMITTED')")[0];
        if (active > 0) {
            throw new LedgerException("the ledger database " + store.config().redactedUrl() + " holds " + active
                    + " active hold(s) of the relational ledger (ledger.journal: false); the journal ledger "
                    + "cannot take them over: open it with ledger.journal: false");
        }
    }

    /** {replay_from, next_hold_id}; {-1, 1} when the journal ledger never opened this database. */
    private static long[] readMark(JdbcLedger store) {
        return row(store, "reading the journal mark", "SELECT replay_from, next_hold_id FROM journal_mark WHERE id = 1", -1, 1);
    }

    private static long lastSeq(JdbcLedger store) {
        return row(store, "reading the journal", "SELECT COALESCE(MAX(seq), 0) FROM journal")[0];
    }

    /** The numbers of the first row of {@code sql}, or {@code absent} when it returns none. */
    private static long[] row(JdbcLedger store, String what, String sql, long... absent) {
        try (Connection c = store.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            long[] out = absent;
            if (rs.next()) {
                out = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = rs.getLong(i + 1);
                }
            }
            c.rollback();
            return out;
        } catch (SQLException e) {
            throw new LedgerException(what + " of " + store.config().redactedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // replay

    private int replay(long from) {
        int rows = 0;
        long seq = -1;
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT seq, kind, session_id, body FROM journal WHERE seq >= ? ORDER BY seq")) {
            ps.setLong(1, Math.max(0, from));
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seq = rs.getLong(1);
                    apply(seq, rs.getString(2), rs.getString(3), rs.getString(4), Math.max(0, from));
                    rows++;
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new LedgerException("reading the journal of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LedgerException("the journal of " + store.config().redactedUrl() + " cannot be applied again at row "
                    + seq + ": " + e.getMessage() + "; the ledger stays closed rather than start from another state", e);
        }
        return rows;
    }

    /**
     * Applies one journal row to the state, as the change it records did; {@code from} is the
     * first row of the replay.
     *
     * <p>A session's rows belong to its run: the admission that started it (an ADMIT row whose
     * last field is 0) and every later row of the session up to the one that ended it. An ADMIT
     * row that continues a run names the row that started it. A run that started before
     * {@code from} ended before the mark was written (the mark stays at or below the start of
     * every run not ended on disk), so the rest of its rows change nothing and are passed over.
     */
    private void apply(long seq, String kind, String sessionId, String body, long from) {
        JournalCodec.In in = new JournalCodec.In(body);
        Long run = runStarts.get(sessionId);
        boolean known = run != null;
        switch (kind) {
            case "ADMIT" -> {
                long firstHold = in.num();
                String outcome = in.req();
                AdmissionRequest r = JournalCodec.request(in);
                long continues = in.num();
                in.end();
                if (!r.sessionId().equals(sessionId)) {
                    throw new IllegalStateException("the admission of session " + r.sessionId() + " is filed under "
                            + sessionId);
                }
                if (continues == 0 && known) {
                    throw new IllegalStateException("the admission of session " + sessionId + " starts a run, but the "
                            + "session runs since row " + run);
                }
                if (continues != 0 && !known) {
                    if (continues >= from) {
                        throw new IllegalStateException("the admission of session " + sessionId + " continues the run "
                                + "started at row " + continues + ", which is not running");
                    }
                    return;
                }
                if (continues != 0 && continues != run) {
                    throw new IllegalStateException("the admission of session " + sessionId + " continues the run "
                            + "started at row " + continues + ", but the session runs since row " + run);
                }
                ids.replayFrom(firstHold);
                Admission a = state.restore(r);
                if (!a.status().name().equals(outcome)) {
                    throw new IllegalStateException("the admission of session " + sessionId + " came out " + a.status()
                            + ", not " + outcome);
                }
                if (continues == 0 && !a.holds().isEmpty()) {
                    runStarts.put(sessionId, seq);
                } else if (continues != 0 && a.holds().isEmpty()) {
                    runStarts.remove(sessionId);
                }
            }
            case "COMMIT" -> {
                Instant now = in.reqTime();
                in.end();
                if (!state.commit(sessionId, now) && known) {
                    throw new IllegalStateException("the commit of session " + sessionId + " changed nothing");
                }
            }
            case "RELEASE", "EXPIRE" -> {
                TerminationCause cause = kind.equals("RELEASE") ? in.reqName(TerminationCause.class) : null;
                Instant now = in.reqTime();
                ChargingRecord cdr = JournalCodec.record(in);
                in.end();
                ids.replayRecord(cdr.recordId());
                Optional<SessionRelease> ended = cause != null ? state.release(sessionId, cause, now)
                        : state.expireSession(sessionId, now);
                ids.replayDone();
                if (known && ended.isEmpty()) {
                    throw new IllegalStateException("the " + kind.toLowerCase() + " of session " + sessionId + " ended nothing");
                }
                if (ended.isPresent() && !ended.get().record().equals(cdr)) {
                    throw new IllegalStateException("the " + kind.toLowerCase() + " of session " + sessionId
                            + " comes out with another billing record than the one recorded: " + ended.get().record());
                }
                runStarts.remove(sessionId);
            }
            case "INTERIM" -> {
                Instant now = in.reqTime();
                ChargingRecord cdr = JournalCodec.record(in);
                in.end();
                ids.replayRecord(cdr.recordId());
                Optional<ChargingRecord> written = state.writeInterim(sessionId, now);
                ids.replayDone();
                if (known && written.isEmpty()) {
                    throw new IllegalStateException("the interim record of session " + sessionId + " was not written");
                }
                if (written.isPresent() && !written.get().equals(cdr)) {
                    throw new IllegalStateException("the interim record of session " + sessionId
                            + " comes out otherwise than the one recorded: " + written.get());
                }
            }
            case "REJECT" -> {
                // audit only
            }
            default -> throw new IllegalArgumentException("unknown journal row kind '" + kind + "'");
        }
    }

    // ------------------------------------------------------------------------------------------
    // the Ledger port

    @Override
    public Optional<AccessPath> resolve(String address) {
        return store.resolve(address);
    }

    @Override
    public Admission admit(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        JdbcLedger.checkSessionId(request.sessionId());
        // encoded here, in parallel with other callers, not by the one writer thread
        String requestFields = JournalCodec.fields(o -> JournalCodec.request(o, withoutTrace(request)));
        return change(() -> {
            long firstHold = ids.peek();
            Admission a = state.admit(request);
            if (!a.admitted()) {
                return a;
            }
            String outcome = a.status().name();
            Long run = runStarts.get(request.sessionId());
            long continues = run == null ? 0 : run;
            Supplier<String> body = () -> new JournalCodec.Out().num(firstHold).str(outcome).fields(requestFields)
                    .num(continues).toString();
            if (run == null) {
                // a new run: its first row holds the replay mark from the moment it is queued,
                // before the writer can make it durable and move the mark past it
                synchronized (starts) {
                    long seq = writer.append("ADMIT", request.sessionId(), request.now(), body);
                    if (!a.holds().isEmpty()) {
                        runStarts.put(request.sessionId(), seq);
                        starts.add(seq);
                    }
                }
            } else {
                long seq = writer.append("ADMIT", request.sessionId(), request.now(), body);
                if (a.holds().isEmpty()) {
                    // an update that dropped every hold: the run is over
                    ended(request.sessionId(), seq);
                }
            }
            return a;
        });
    }

    @Override
    public boolean commit(String sessionId, Instant now) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(now, "now");
        return change(() -> {
            boolean committed = state.commit(sessionId, now);
            if (committed) {
                writer.append("COMMIT", sessionId, now, () -> new JournalCodec.Out().time(now).toString());
            }
            return committed;
        });
    }

    @Override
    public Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(now, "now");
        return change(() -> {
            Optional<SessionRelease> r = state.release(sessionId, cause, now);
            r.ifPresent(ended -> ended(sessionId,
                    writer.append("RELEASE", sessionId, now, recordRow(cause, now, ended.record()))));
            return r;
        });
    }

    @Override
    public List<SessionRelease> expire(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit <= 0) {
            return List.of();
        }
        return change(() -> {
            List<SessionRelease> out = state.expire(now, limit);
            for (SessionRelease r : out) {
                ended(r.sessionId(), writer.append("EXPIRE", r.sessionId(), now, recordRow(null, now, r.record())));
            }
            return out;
        });
    }

    @Override
    public List<ChargingRecord> writeInterim(Instant now, Duration interval, int limit) {
        Objects.requireNonNull(now, "now");
        return change(() -> {
            List<ChargingRecord> out = state.writeInterim(now, interval, limit);
            for (ChargingRecord cdr : out) {
                writer.append("INTERIM", cdr.sessionId(), now, recordRow(null, now, cdr));
            }
            return out;
        });
    }

    /**
     * Applies a change to the state under the ledger's lock, where it queues its journal rows, then
     * waits until every row queued so far is on disk: a change that queued none still returns only
     * once the changes it saw are durable.
     */
    private <T> T change(Supplier<T> apply) {
        Group group;
        T result;
        synchronized (state) {
            writer.check();
            result = apply.get();
            group = writer.lastGroup();
        }
        group.await();
        return result;
    }

    /**
     * The request as an ADMIT row keeps it: its decision without the evaluation trace. The trace
     * lists every rule tried (about 2 KB for a 50-rule policy, most of an admission's row); the
     * decision's verdict, reason, grants, policy version and rule stay, and {@code arbiter policy
     * decide} shows the trace of a request against a policy directory. Rejections keep theirs.
     */
    private static AdmissionRequest withoutTrace(AdmissionRequest r) {
        Decision d = r.decision();
        if (d.trace().isEmpty()) {
            return r;
        }
        return new AdmissionRequest(r.sessionId(), r.originHost(), r.subscriber(), r.chargingId(),
                new Decision(d.verdict(), d.grants(), d.rejectCode(), d.reason(), d.policyVersion(), d.ruleId(), List.of(),
                        d.enforce()),
                r.holds(), r.now(), r.reservedUntil(), r.authorizedUntil());
    }

    /** The body of a RELEASE (with its cause), EXPIRE or INTERIM row, encoded when it is written. */
    private static Supplier<String> recordRow(TerminationCause cause, Instant now, ChargingRecord cdr) {
        return () -> {
            JournalCodec.Out o = new JournalCodec.Out();
            if (cause != null) {
                o.name(cause);
            }
            JournalCodec.record(o.time(now), cdr);
            return o.toString();
        };
    }

    @Override
    public void recordRejection(String sessionId, String originHost, Decision decision, Instant now) {
        // checked here: a row the journal refuses would fail the writer, and the whole ledger
        JdbcLedger.checkSessionId(sessionId);
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(now, "now");
        JournalCodec.Out o = new JournalCodec.Out().str(originHost).time(now);
        JournalCodec.decision(o, decision);
        String body = o.toString();
        change(() -> writer.append("REJECT", sessionId, now, () -> body));
    }

    /** A session ended at journal row {@code seq}: its run start leaves the mark once that row is durable. */
    private void ended(String sessionId, long seq) {
        Long start = runStarts.remove(sessionId);
        if (start != null) {
            synchronized (starts) {
                endings.add(new long[] {seq, start});
            }
        }
    }

    @Override
    public Optional<SessionView> session(String sessionId) {
        return state.session(sessionId);
    }

    @Override
    public List<PoolUsage> pools() {
        return state.pools();
    }

    /** One pool's capacity and use, or empty. */
    public Optional<PoolUsage> pool(String poolId) {
        return state.pool(poolId);
    }

    @Override
    public List<Hold> activeHoldsOn(String deviceId) {
        return state.activeHoldsOn(deviceId);
    }

    /** Sessions holding capacity now. */
    public int activeSessions() {
        return state.activeSessions();
    }

    /** The topology admissions are checked against. */
    public Topology topology() {
        return state.topology();
    }

    /**
     * Makes the stored topology equal to {@code next} and checks admissions against it from now
     * on. Conflicts are judged against the use kept in memory, as {@link JdbcLedger#applyTopology}
     * judges them against its counters.
     *
     * @throws TopologyConflictException when a pool in use would shrink below its use, or go, and
     *     {@code force} is false; nothing changes then
     */
    public TopologyChange applyTopology(Topology next, boolean force) {
        Objects.requireNonNull(next, "next");
        synchronized (state) {
            List<CapacityConflict> conflicts = new ArrayList<>();
            Map<String, PoolSpec> byId = new HashMap<>();
            for (PoolSpec p : next.pools()) {
                byId.put(p.id(), p);
            }
            for (PoolUsage u : state.pools()) {
                PoolSpec p = byId.get(u.pool().id());
                for (Direction d : Direction.values()) {
                    long used = d == Direction.UPLINK ? u.usedUplinkBps() : u.usedDownlinkBps();
                    long admissible = p == null ? 0 : p.admissible(d);
                    if (used > admissible) {
                        conflicts.add(new CapacityConflict(u.pool().id(), d, used, admissible));
                    }
                }
            }
            if (!conflicts.isEmpty() && !force) {
                throw new TopologyConflictException(conflicts);
            }
            TopologyChange change = store.applyTopology(next, true);
            state.topology(store.topology());
            return change;
        }
    }

    @Override
    public List<ChargingRecord> chargingRecords(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        List<ChargingRecord> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        // written_at is the record's stop time, stored to the microsecond: read from the
        // microsecond of from, then compare the exact instants
        query("reading billing records", "SELECT seq, kind, body FROM journal WHERE written_at >= ? AND written_at < ? "
                + "AND kind IN ('RELEASE', 'EXPIRE', 'INTERIM') ORDER BY written_at, seq", ps -> {
            ps.setTimestamp(1, Timestamp.from(from.truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
            ps.setTimestamp(2, Timestamp.from(to.plusNanos(1000)));
        }, rs -> {
            JournalCodec.In in = new JournalCodec.In(rs.getString(3));
            if (rs.getString(2).equals("RELEASE")) {
                in.name(TerminationCause.class);
            }
            in.time();
            ChargingRecord cdr = JournalCodec.record(in);
            if (!cdr.stoppedAt().isBefore(from) && cdr.stoppedAt().isBefore(to)) {
                out.add(cdr);
            }
            return out.size() < limit;
        });
        return out;
    }

    /**
     * Nothing to compare: the journal ledger's counters are the sums of its holds, kept in memory
     * and rebuilt from the journal when it opens.
     */
    @Override
    public List<CounterDrift> recount(boolean repair) {
        return List.of();
    }

    @Override
    public List<SessionSummary> sessions(String subscriber, String originHost, int limit) {
        return state.sessions(subscriber, originHost, limit).stream()
                .map(l -> new SessionSummary(l.view().sessionId(), l.view().originHost(), l.view().subscriber(),
                        l.view().createdAt(), l.committedAt(), null, l.view().policyVersion(), l.view().ruleId(),
                        l.modified()))
                .toList();
    }

    @Override
    public List<AuditedDecision> recentDecisions(int limit) {
        List<AuditedDecision> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        query("reading recent decisions", "SELECT seq, kind, session_id, written_at, body FROM journal "
                + "WHERE kind IN ('ADMIT', 'REJECT') ORDER BY seq DESC", ps -> { }, rs -> {
            out.add(audited(rs));
            return out.size() < limit;
        });
        return out;
    }

    @Override
    public List<AuditedDecision> decisions(String sessionId) {
        List<AuditedDecision> out = new ArrayList<>();
        query("reading decisions of session " + sessionId, "SELECT seq, kind, session_id, written_at, body FROM journal "
                + "WHERE session_id = ? AND kind IN ('ADMIT', 'REJECT') ORDER BY seq", ps -> ps.setString(1, sessionId),
                rs -> {
                    out.add(audited(rs));
                    return true;
                });
        return out;
    }

    /** An ADMIT or REJECT row as an audit trail entry. */
    private static AuditedDecision audited(ResultSet rs) throws SQLException {
        JournalCodec.In in = new JournalCodec.In(rs.getString(5));
        String originHost;
        String outcome;
        Decision d;
        if (rs.getString(2).equals("ADMIT")) {
            in.num();
            outcome = in.str();
            AdmissionRequest r = JournalCodec.request(in);
            originHost = r.originHost();
            d = r.decision();
        } else {
            originHost = in.str();
            in.time();
            d = JournalCodec.decision(in);
            outcome = "REFUSED";
        }
        return new AuditedDecision(rs.getLong(1), rs.getString(3), originHost, rs.getTimestamp(4).toInstant(),
                d.verdict(), outcome, d.rejectCode() == null ? null : d.rejectCode().code(), d.reason(),
                d.policyVersion(), d.ruleId());
    }

    @FunctionalInterface
    private interface Bind {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Row {
        /** Takes one row; false stops the reading. */
        boolean take(ResultSet rs) throws SQLException;
    }

    /** Reads journal rows in a read-only transaction; a malformed row fails naming it. */
    private void query(String what, String sql, Bind bind, Row row) {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        if (!row.take(rs)) {
                            break;
                        }
                    } catch (IllegalArgumentException e) {
                        throw new LedgerException(what + ": journal row " + rs.getLong(1) + " is malformed: "
                                + e.getMessage(), e);
                    }
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new LedgerException(what + " from the journal of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Journal rows written, and the group transactions that wrote them. */
    long[] writerCounts() {
        return new long[] {writer.rows.get(), writer.groups.get()};
    }

    @Override
    public void close() {
        // once only: closing again must not free the database for another instance opened since
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (readOnly) {
            store.close();
            return;
        }
        try {
            writer.stop();
            try {
                writerThread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.failure == null) {
                writeMark(false);
            }
            LOG.info("journal ledger closed on {} ({} journal row(s) in {} group transaction(s))",
                    store.config().redactedUrl(), writer.rows.get(), writer.groups.get());
        } finally {
            store.close();
            OPEN.remove(key);
        }
    }

    // ------------------------------------------------------------------------------------------
    // the replay mark

    /**
     * Where a replay may start once everything up to {@code durable} is on disk: the first row of
     * every session that runs, or whose end is not on disk yet, and at most the row after
     * {@code durable} (a session starting later starts after it).
     */
    private long replayFrom(long durable) {
        synchronized (starts) {
            while (!endings.isEmpty() && endings.peekFirst()[0] <= durable) {
                starts.remove(endings.pollFirst()[1]);
            }
            long first = starts.isEmpty() ? Long.MAX_VALUE : starts.first();
            return Math.min(first, durable + 1);
        }
    }

    private void writeMark(boolean insert) {
        try (Connection c = store.connection()) {
            mark(c, replayFrom(writer.durable), insert);
            c.commit();
            store.awaitDurable();
        } catch (SQLException e) {
            throw new LedgerException("writing the journal mark of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private void mark(Connection c, long replayFrom, boolean insert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert
                ? "INSERT INTO journal_mark (replay_from, next_hold_id, written_at, id) VALUES (?, ?, ?, 1)"
                : "UPDATE journal_mark SET replay_from = ?, next_hold_id = ?, written_at = ? WHERE id = 1")) {
            ps.setLong(1, replayFrom);
            ps.setLong(2, ids.peek());
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Hold ids counting up from the journal's; record ids random, or the recorded ones in a replay. */
    private static final class Ids implements InMemoryLedger.Ids {
        private final AtomicLong next = new AtomicLong(1);
        private String replayRecord;

        @Override
        public long nextHoldId() {
            return next.getAndIncrement();
        }

        @Override
        public String nextRecordId() {
            if (replayRecord != null) {
                String r = replayRecord;
                replayRecord = null;
                return r;
            }
            return UUID.randomUUID().toString();
        }

        long peek() {
            return next.get();
        }

        void replayFrom(long firstHold) {
            next.set(firstHold);
        }

        void atLeast(long n) {
            next.accumulateAndGet(n, Math::max);
        }

        void replayRecord(String id) {
            replayRecord = id;
        }

        void replayDone() {
            replayRecord = null;
        }
    }

    private record Entry(long seq, String kind, String sessionId, Instant at, Supplier<String> body) {}

    /**
     * The rows of one group transaction: its callers wait for {@link #await}, which returns once
     * the group is on disk or throws the failure that lost it.
     */
    private static final class Group {
        // waiters park at once and are woken one by one: hundreds of callers spinning before they
        // park (a future's join) or checking their interrupt status on every wake (a latch) cost
        // more CPU than the group's write
        private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
        private volatile boolean done;
        private volatile Throwable failure;

        void complete() {
            done = true;
            for (Thread t : waiters) {
                LockSupport.unpark(t);
            }
        }

        void fail(Throwable cause) {
            failure = cause;
            complete();
        }

        void await() {
            if (!done) {
                waiters.add(Thread.currentThread());
                boolean interrupted = false;
                while (!done) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Throwable cause = failure;
            if (cause != null) {
                throw new LedgerException("the journal did not reach disk: " + cause.getMessage(), cause);
            }
        }
    }

    /**
     * The journal writer: one thread takes every queued row, in order, and writes them in one
     * group transaction, committed and forced before the group's callers are released. Rows are
     * encoded outside the ledger's lock: an admission's request by its caller, the rest by this
     * thread.
     *
     * <p>States: running → (stop) draining, which writes what is queued and ends; running →
     * (a failed write) failed, which fails the group written and the group filling, and refuses
     * every later append.
     */
    private final class Writer implements Runnable {
        private ArrayDeque<Entry> queue = new ArrayDeque<>();
        private Group open = new Group();
        private Group last;
        private long lastSeq;
        private volatile long durable;
        private volatile LedgerException failure;
        private boolean stopping;
        private long markedAt = System.nanoTime();
        final AtomicLong rows = new AtomicLong();
        final AtomicLong groups = new AtomicLong();

        Writer(long lastSeq) {
            this.lastSeq = lastSeq;
            this.durable = lastSeq;
            this.last = new Group();
            this.last.complete();
        }

        /** Queues a row; its body is encoded when it is written. Returns the row's number. */
        synchronized long append(String kind, String sessionId, Instant at, Supplier<String> body) {
            check();
            if (readOnly) {
                throw new LedgerException("the journal ledger on " + store.config().redactedUrl()
                        + " is open for reading only (the command-line tools): it changes nothing");
            }
            if (stopping) {
                throw new LedgerException("the journal ledger is closed");
            }
            long seq = ++lastSeq;
            queue.add(new Entry(seq, kind, sessionId, at, body));
            last = open;
            if (queue.size() == 1) {
                notifyAll();
            }
            return seq;
        }

        /** The group of the last row appended: on disk when it is done. */
        synchronized Group lastGroup() {
            return last;
        }

        void check() {
            LedgerException f = failure;
            if (f != null) {
                throw new LedgerException("the journal ledger failed closed after a journal write failed: "
                        + f.getMessage(), f);
            }
        }

        synchronized void stop() {
            stopping = true;
            notifyAll();
        }

        @Override
        public void run() {
            while (true) {
                ArrayDeque<Entry> rowsToWrite;
                Group group;
                synchronized (this) {
                    while (queue.isEmpty() && !stopping) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            stopping = true;
                        }
                    }
                    if (queue.isEmpty()) {
                        return;
                    }
                    rowsToWrite = queue;
                    queue = new ArrayDeque<>();
                    group = open;
                    open = new Group();
                }
                try {
                    write(rowsToWrite);
                } catch (Exception | Error e) {
                    // whatever ends the writer fails its callers: none may wait for a row never written
                    LOG.error("journal write of {} row(s) failed on {}; the ledger fails closed: {}", rowsToWrite.size(),
                            store.config().redactedUrl(), e.getMessage());
                    LedgerException f = e instanceof LedgerException le ? le
                            : new LedgerException("writing " + rowsToWrite.size() + " journal row(s) to "
                                    + store.config().redactedUrl() + " failed: " + e.getMessage(), e);
                    synchronized (this) {
                        failure = f;
                        group.fail(f);
                        open.fail(f);
                    }
                    return;
                }
                durable = rowsToWrite.getLast().seq();
                rows.addAndGet(rowsToWrite.size());
                groups.incrementAndGet();
                group.complete();
            }
        }

        private void write(ArrayDeque<Entry> group) throws SQLException {
            try (Connection c = store.connection()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO journal (seq, kind, session_id, written_at, body) VALUES (?, ?, ?, ?, ?)")) {
                    int n = 0;
                    for (Entry e : group) {
                        ps.setLong(1, e.seq());
                        ps.setString(2, e.kind());
                        ps.setString(3, e.sessionId());
                        ps.setTimestamp(4, Timestamp.from(e.at()));
                        ps.setString(5, e.body().get());
                        ps.addBatch();
                        if (++n % MAX_BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
                long now = System.nanoTime();
                if (now - markedAt >= MARK_EVERY_NANOS) {
                    mark(c, replayFrom(durable), false);
                    markedAt = now;
                }
                c.commit();
            }
            store.awaitDurable();
        }
    }
}
