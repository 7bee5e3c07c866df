package org.arbiter.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.Verdict;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reservation ledger on H2 or PostgreSQL: core's {@link Ledger} port over JDBC.
 *
 * <h2>Design</h2>
 * Every call is one database transaction (READ COMMITTED plus explicit row locks) that is retried
 * from the start on a deadlock, lock timeout or serialization failure. Pools carry running use
 * counters ({@code used_ul}, {@code used_dl}) changed in the same transaction as the holds, so
 * admission costs O(path length): the session row, the session's holds, one row per pool.
 *
 * <p><b>Lock order.</b> Every transaction takes row locks in one global order: session rows
 * (sorted by Session-Id), then hold rows of those sessions, then pool rows (sorted by pool id),
 * last. Admission locks one session, writes its holds, then locks the pools of every path of the
 * request, checks them and updates their counters; expiry locks a batch of sessions, ends their
 * holds, then takes the union of their pools; a topology change locks only pools. Pools are the
 * contended rows (every session under a BRAS locks it), so they are taken last and held only for
 * the check, the counter update and the commit. Unrelated paths admit in parallel; nothing
 * deadlocks, including several nodes on one PostgreSQL database.
 *
 * <p><b>Hold state machine</b> (core's {@link HoldState}; every transition is a row in
 * {@code hold_transitions} with time and reason):
 * <pre>
 *   (none) --admit--------------------------------> RESERVED   expires at reservedUntil
 *   RESERVED --commit (devices confirmed)---------> COMMITTED  expires at authorizedUntil
 *   RESERVED | COMMITTED --release (STR, failure)-> RELEASED
 *   RESERVED | COMMITTED --update drops/changes it-> RELEASED  (a changed hold is replaced by a new RESERVED one)
 *   RESERVED --reserve timer passed, expire-------> EXPIRED    CDR cause HOLD_EXPIRED
 *   COMMITTED --authorization passed, expire------> EXPIRED    CDR cause DIAMETER_AUTH_EXPIRED
 * </pre>
 * A repeated request that asks exactly what the session holds is {@code UNCHANGED}: no hold or
 * pool changes; it only moves the authorization expiry forward when the request's is later (the
 * Rx refresh). Departure from core's {@code InMemoryLedger}: there, {@code commit} keeps the
 * reserve timer as expiry; here a committed hold expires at the admission's
 * {@code authorizedUntil}, as the port's contract says.
 *
 * <p><b>Durability.</b> A method returns only after its transaction is durable. PostgreSQL
 * (synchronous_commit on) flushes its WAL at commit and shares flushes between concurrent commits.
 * H2 in file mode runs with {@code WRITE_DELAY 0} (every commit is written to the file before it
 * returns) and a {@link GroupSync} that forces the file with {@code CHECKPOINT SYNC}, one force
 * for all commits waiting at that moment. On H2, admissions, commits, releases and recorded
 * rejections that queue for the writer share one transaction (group transactions, below). See
 * docs/ledger.md.
 *
 * <p><b>Threading.</b> Thread-safe; calls run in parallel up to {@link LedgerConfig#maxPoolSize()}
 * connections. No per-hold state is kept in memory; the topology (pools and attachments) is cached
 * for {@link #resolve} and refreshed when another node applies a new one.
 *
 * <p><b>Errors.</b> Storage failures, and a failed retry after {@value #MAX_ATTEMPTS} attempts,
 * surface as {@link LedgerException} naming the operation and the URL (never the password). When
 * forcing H2's file fails after a commit, the caller gets the exception although the transaction
 * may be on disk; the engine then fails closed and the session's RESERVED holds expire.
 */
public final class JdbcLedger implements OperatorLedger {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);

    static final int MAX_ATTEMPTS = 8;
    /** Sessions ended per expiry transaction. */
    static final int EXPIRY_BATCH = 32;
    static final int MAX_SESSION_ID = 1024;
    private static final int BATCH = 500;

    private static final String ACTIVE = "('RESERVED', 'COMMITTED')";
    /** Hold columns; the device is the pool's current one (the stored one for a deleted pool). */
    private static final String HOLD_SELECT = "h.hold_id, h.session_id, h.media_component, h.flow_number, "
            + "h.direction, h.party, h.pool_id, COALESCE(p.device_id, h.device_id), h.bandwidth_bps, h.dscp, "
            + "h.max_latency_ms, h.state, h.expires_at";
    private static final String HOLD_COLUMNS = HOLD_SELECT + " FROM holds h LEFT JOIN pools p ON p.id = h.pool_id";
    private static final String SESSION_COLUMNS = "session_id, generation, origin_host, subscriber, charging_id, "
            + "created_at, committed_at, policy_version, rule_id, modified";

    private final LedgerConfig config;
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final GroupSync sync;
    /** This node's share of the PostgreSQL database; {@link LedgerClaim#NONE} on H2 and under a journal ledger. */
    private final LedgerClaim claim;
    /** Rewrites the live pages of mostly dead chunks of an H2 file; null otherwise. */
    private final H2Compactor compactor;
    private final Object topologyLock = new Object();
    private volatile TopologyView topology;

    /**
     * A topology as read, its attachments' index, and the path up from each pool an attachment names,
     * built on first use: a path is fixed for a topology version, and each admission resolves two.
     */
    private record TopologyView(Topology topology, PrefixIndex index, long version, long checkedAtNanos,
            ConcurrentHashMap<String, List<PathHop>> paths) {

        TopologyView(Topology topology, PrefixIndex index, long version, long checkedAtNanos) {
            this(topology, index, version, checkedAtNanos, new ConcurrentHashMap<>());
        }

        /** The same view, checked against the database at {@code nanos}. */
        TopologyView checkedAt(long nanos) {
            return new TopologyView(topology, index, version, nanos, paths);
        }

        /** The pools from {@code leaf} up to its root, each once (a loop in the parents ends the path). */
        List<PathHop> pathFrom(String leaf) {
            List<PathHop> path = paths.get(leaf);
            if (path == null) {
                List<PathHop> hops = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                PoolSpec p = topology.pool(leaf).orElse(null);
                while (p != null && seen.add(p.id())) {
                    hops.add(new PathHop(p.id(), p.deviceId()));
                    p = p.parent() == null ? null : topology.pool(p.parent()).orElse(null);
                }
                path = List.copyOf(hops);
                paths.putIfAbsent(leaf, path);
            }
            return path;
        }
    }

    private JdbcLedger(LedgerConfig config, HikariDataSource dataSource, Dialect dialect, GroupSync sync, LedgerClaim claim,
            H2Compactor compactor) {
        this.claim = claim;
        this.compactor = compactor;
        this.config = config;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.sync = sync;
    }

    /**
     * Connects, migrates the schema to the current version (Flyway) and loads the stored
     * topology.
     *
     * @throws LedgerException naming the URL (without password) and the cause when the database is
     *     unreachable, refuses the user, or cannot be migrated
     */
    public static JdbcLedger open(LedgerConfig config) {
        return open(config, false);
    }

    /**
     * Opens the database, for this ledger or as the store of the {@link JournalLedger}.
     *
     * @param forJournal false refuses a database the journal ledger has written: its sessions are
     *     in the journal, which this ledger does not read
     */
    static JdbcLedger open(LedgerConfig config, boolean forJournal) {
        Objects.requireNonNull(config, "config");
        Dialect dialect = Dialect.of(config.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("arbiter-ledger");
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.setConnectionTimeout(config.connectionTimeout().toMillis());
        hc.setInitializationFailTimeout(config.connectionTimeout().toMillis());
        hc.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 5_000L));
        hc.setConnectionInitSql(dialect.sessionSetup(config.lockTimeout()));
        // an H2 file is opened first through a connection of its own, to finish what a crash left
        // (H2LeftoverTransactions); it stays open until the pool holds the database, so that H2
        // does not close the file and open it again
        Connection first = dialect == Dialect.H2 && !Dialect.inMemory(config.jdbcUrl()) ? finishLeftovers(config) : null;
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw cannotOpen(config, e);
        } finally {
            closeQuietly(first);
        }
        LedgerClaim claim = LedgerClaim.NONE;
        H2Compactor compactor = null;
        try {
            // a relational ledger shares its PostgreSQL database with other nodes' relational ledgers only
            claim = forJournal ? LedgerClaim.NONE : LedgerClaim.take(config, false);
            migrate(ds, config);
            if (!forJournal) {
                refuseJournal(ds, config);
            }
            GroupSync sync = durability(ds, dialect, config);
            compactor = dialect == Dialect.H2 && !Dialect.inMemory(config.jdbcUrl())
                    ? H2Compactor.start(ds, config.redactedUrl()) : null;
            JdbcLedger ledger = new JdbcLedger(config, ds, dialect, sync, claim, compactor);
            ledger.reloadTopology();
            LOG.info("ledger open on {} (pool size {}, durability: {}, topology version {})", config.redactedUrl(),
                    config.maxPoolSize(), sync.description(), ledger.topology.version());
            return ledger;
        } catch (RuntimeException e) {
            if (compactor != null) {
                compactor.close();
            }
            ds.close();
            claim.close();
            throw e;
        }
    }

    /** Opens the H2 file and finishes its leftover transactions; returns the connection, still open. */
    private static Connection finishLeftovers(LedgerConfig config) {
        Connection c;
        try {
            c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        } catch (SQLException e) {
            throw cannotOpen(config, e);
        }
        try {
            H2LeftoverTransactions.finish(c, config.redactedUrl());
            return c;
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** The error of an opening that failed to connect: the database, the user and why (never the password). */
    private static LedgerException cannotOpen(LedgerConfig config, Exception e) {
        return new LedgerException("cannot open the ledger database " + config.redactedUrl() + " as user '"
                + config.user() + "': " + describe(e), e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a connection to the ledger database failed: {}", e.getMessage());
            }
        }
    }

    private static void migrate(HikariDataSource ds, LedgerConfig config) {
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").failOnMissingLocations(true)
                    .javaMigrations(new JournalBlockMigration()).load().migrate();
        } catch (RuntimeException e) {
            throw new LedgerException("migrating the ledger schema on " + config.redactedUrl() + " failed: "
                    + describe(e), e);
        }
    }

    private static void refuseJournal(HikariDataSource ds, LedgerConfig config) {
        boolean journal;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM journal_mark")) {
            rs.next();
            journal = rs.getLong(1) > 0;
            c.rollback();
        } catch (SQLException e) {
            throw new LedgerException("reading the ledger mode of " + config.redactedUrl() + " failed: " + describe(e), e);
        }
        if (journal) {
            throw new LedgerException("the ledger database " + config.redactedUrl() + " was written by the journal "
                    + "ledger (ledger.journal: true): its sessions are in the journal; open it with ledger.journal: true");
        }
    }

    /** A connection of the pool (auto-commit off), for the journal ledger. */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Returns once everything committed before the call is on stable storage. */
    void awaitDurable() {
        sync.awaitDurable();
    }

    LedgerConfig config() {
        return config;
    }

    /** Once this node lost its claim of a PostgreSQL database to a journal ledger: it writes nothing more. */
    @Override
    public Optional<String> failure() {
        return claim.failure();
    }

    private static GroupSync durability(HikariDataSource ds, Dialect dialect, LedgerConfig config) {
        if (dialect == Dialect.POSTGRESQL) {
            return new GroupSync(null, "PostgreSQL WAL flush at commit");
        }
        if (Dialect.inMemory(config.jdbcUrl())) {
            return new GroupSync(null, "none (H2 in memory)");
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
            s.execute("CHECKPOINT SYNC");
            c.commit();
        } catch (SQLException e) {
            throw new LedgerException("preparing durable commits on " + config.redactedUrl() + " failed (user '"
                    + config.user() + "' must be an H2 administrator to SET WRITE_DELAY and CHECKPOINT SYNC): "
                    + describe(e), e);
        }
        return new GroupSync(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
                c.commit();
            }
        }, "H2 commit write plus group CHECKPOINT SYNC");
    }

    // ------------------------------------------------------------------------------------------
    // transactions

    @FunctionalInterface
    private interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** One attempt of one transaction. */
    private static final class Tx {
        final Connection c;
        /** Set when the transaction wrote something that must be committed and made durable. */
        boolean wrote;
        /** Set when the transaction must leave no trace (a refused admission). */
        boolean discard;

        Tx(Connection c) {
            this.c = c;
        }
    }

    /** Thrown inside a transaction to run it again from the start (a lost race on a new session). */
    private static final class Retry extends SQLException {
        Retry(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * H2 serialises this JVM's transactions on one database file. Its MVCC evaluated a relative
     * counter update ({@code used_ul = used_ul + ?}) on the hottest pool against a row version a
     * concurrent commit had just replaced (a lost update, seen by the concurrency test as counters
     * drifting from their holds). H2 is the embedded, single-node ledger, so one writer at a time
     * costs little: the lock is released before the group fsync, which commits still share.
     * PostgreSQL needs no such lock.
     */
    private static final Map<String, java.util.concurrent.locks.ReentrantLock> H2_WRITERS = new java.util.concurrent.ConcurrentHashMap<>();

    private <T> T transact(String what, Work<T> work) {
        java.util.concurrent.locks.ReentrantLock h2 = dialect == Dialect.POSTGRESQL ? null : writerLock();
        for (int attempt = 1; ; attempt++) {
            T result;
            boolean durable;
            if (h2 != null) {
                h2.lock();
            }
            try (Connection c = dataSource.getConnection()) {
                Tx tx = new Tx(c);
                try {
                    result = work.run(tx);
                    durable = tx.wrote && !tx.discard;
                    if (durable) {
                        claim.guard(c);
                    }
                    end(c, durable);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                if ((e instanceof Retry || Dialect.isTransient(e)) && attempt < MAX_ATTEMPTS) {
                    LOG.debug("{}: attempt {} failed ({}), retrying", what, attempt, e.getMessage());
                    unlock(h2);
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000L, 1_000_000L * attempt));
                    continue;
                }
                unlock(h2);
                throw new LedgerException(what + " failed on " + config.redactedUrl() + " after " + attempt
                        + " attempt(s): " + describe(e), e);
            } catch (RuntimeException e) {
                unlock(h2);
                throw e;
            }
            unlock(h2);
            if (durable) {
                sync.awaitDurable();
            }
            return result;
        }
    }

    /*
     * Group transactions (H2). Design: H2's writers already take turns (the one-writer lock above)
     * and, with WRITE_DELAY 0, every H2 commit writes a chunk to the file. So the writers that
     * queue for the lock hand their work to whichever of them holds it: a caller enqueues its
     * operation, then takes the lock; if its operation is still pending, it leads, draining up to
     * GROUP_LIMIT pending operations of this ledger into ONE transaction, each operation in a
     * savepoint of its own. An operation that writes nothing, or must leave no trace (a refused
     * admission), or fails, is rolled back to its savepoint; the others are unaffected. One commit
     * (one chunk) then covers the whole group, and every caller waits for the group force
     * (GroupSync) before it returns, so a method still returns only once its transaction is
     * durable. States of one operation: PENDING -> DONE (result, or error) | ALONE. ALONE: an
     * operation that lost a race another process can cause (unique violation, lock timeout), or
     * whose group could not commit; its caller runs it again in a transaction of its own, with
     * transact's retries. Operations of one group run in queue order and see each other's
     * writes, exactly as if they had run one after the other. PostgreSQL runs every operation
     * in its own transaction (its commits are concurrent and share WAL flushes by themselves).
     */
    static final int GROUP_LIMIT = 64;

    private final java.util.concurrent.ConcurrentLinkedQueue<Pending<?>> pending =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong groupTransactions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong groupOperations = new java.util.concurrent.atomic.AtomicLong();

    /** One operation waiting for a group transaction; fields are guarded by the writer lock. */
    private static final class Pending<T> {
        final String what;
        final Work<T> work;
        boolean done;
        boolean alone;
        boolean durable;
        T result;
        RuntimeException error;

        Pending(String what, Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void run(Tx tx) throws SQLException {
            result = work.run(tx);
        }
    }

    private <T> T grouped(String what, Work<T> work) {
        if (dialect == Dialect.POSTGRESQL) {
            return transact(what, work);
        }
        Pending<T> p = new Pending<>(what, work);
        pending.add(p);
        java.util.concurrent.locks.ReentrantLock h2 = writerLock();
        h2.lock();
        try {
            if (!p.done) {
                runGroup();
            }
        } finally {
            h2.unlock();
        }
        if (p.alone) {
            return transact(what, work);
        }
        if (p.error != null) {
            throw p.error;
        }
        if (p.durable) {
            sync.awaitDurable();
        }
        return p.result;
    }

    /** Runs up to {@link #GROUP_LIMIT} pending operations in one transaction; the caller holds the writer lock. */
    private void runGroup() {
        List<Pending<?>> group = new ArrayList<>();
        Pending<?> next;
        while (group.size() < GROUP_LIMIT && (next = pending.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean wrote = false;
            try {
                for (Pending<?> op : group) {
                    java.sql.Savepoint sp = c.setSavepoint();
                    Tx tx = new Tx(c);
                    try {
                        op.run(tx);
                        op.durable = tx.wrote && !tx.discard;
                    } catch (SQLException e) {
                        c.rollback(sp);
                        if (e instanceof Retry || Dialect.isTransient(e)) {
                            op.alone = true;
                        } else {
                            op.error = new LedgerException(op.what + " failed on " + config.redactedUrl() + ": "
                                    + describe(e), e);
                        }
                        continue;
                    } catch (RuntimeException e) {
                        c.rollback(sp);
                        op.error = e;
                        continue;
                    }
                    if (op.durable) {
                        wrote = true;
                    } else {
                        c.rollback(sp);
                    }
                }
                end(c, wrote);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            groupTransactions.incrementAndGet();
            groupOperations.addAndGet(group.size());
        } catch (SQLException | RuntimeException e) {
            // the group is lost as a whole: nothing of it committed; each operation runs again alone
            LOG.debug("a group of {} ledger operations failed ({}); running them one by one", group.size(),
                    e.getMessage());
            for (Pending<?> op : group) {
                op.alone = true;
            }
        } finally {
            for (Pending<?> op : group) {
                op.done = true;
            }
        }
    }

    /** This database file's writer lock (H2). */
    java.util.concurrent.locks.ReentrantLock writerLock() {
        return H2_WRITERS.computeIfAbsent(h2Key(config.jdbcUrl()), k -> new java.util.concurrent.locks.ReentrantLock());
    }

    /** Operations waiting for a group transaction (H2). */
    int pendingOperations() {
        return pending.size();
    }

    /** Group transactions committed or rolled back so far, and the operations they ran (H2). */
    long[] groupCounts() {
        return new long[] {groupTransactions.get(), groupOperations.get()};
    }

    private static void unlock(java.util.concurrent.locks.ReentrantLock l) {
        if (l != null) {
            l.unlock();
        }
    }

    /** One lock per H2 database file: the URL up to its settings. */
    private static String h2Key(String url) {
        int semi = url.indexOf(';');
        return semi < 0 ? url : url.substring(0, semi);
    }

    /** Commits the transaction when it wrote something to keep, else rolls it back. */
    private static void end(Connection c, boolean commit) throws SQLException {
        if (commit) {
            c.commit();
        } else {
            c.rollback();
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // the Ledger port

    @Override
    public Optional<AccessPath> resolve(String address) {
        byte[] a = IpPrefix.parseAddress(address);
        if (a == null) {
            return Optional.empty();
        }
        TopologyView v = currentTopology();
        Attachment att = v.index().match(a);
        if (att == null) {
            return Optional.empty();
        }
        List<PathHop> hops = v.pathFrom(att.pool());
        return hops.isEmpty() ? Optional.empty() : Optional.of(new AccessPath(address, att.prefix(), hops));
    }

    @Override
    public Admission admit(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        checkSessionId(request.sessionId());
        Admission a = grouped("admission of session " + request.sessionId(), tx -> admit(tx, request));
        LOG.debug("session {}: {} ({} holds)", request.sessionId(), a.status(), a.holds().size());
        return a;
    }

    private Admission admit(Tx tx, AdmissionRequest r) throws SQLException {
        SessionRow s = lockSession(tx, r.sessionId());
        boolean fresh = s == null;
        if (fresh) {
            insertSession(tx, r);
        }
        List<Hold> current = fresh ? List.of() : holdsOf(tx, r.sessionId(), s.generation(), true);
        AdmissionPlan plan = AdmissionPlan.of(r, current);
        if (plan.unchanged()) {
            refreshAuthorization(tx, r, s.generation());
            audit(tx, r.sessionId(), r.originHost(), r.decision(), "UNCHANGED", r.now());
            tx.wrote = true;
            Map<Long, Hold> after = byId(holdsOf(tx, r.sessionId(), s.generation(), true));
            List<Hold> holds = plan.wanted().stream().map(w -> after.get(plan.current(w.reservationId()).holdId()))
                    .toList();
            return new Admission(Admission.Status.UNCHANGED, holds, List.of(), List.of());
        }
        // Everything that does not depend on the pools is written first; the pools are locked
        // last, so their locks are held only for the check, the counter update and the commit.
        // A refusal rolls all of it back.
        int generation;
        if (fresh) {
            generation = 1;
        } else if (current.isEmpty()) {
            generation = s.generation() + 1;
            restartSession(tx, r, generation);
        } else {
            generation = s.generation();
            updateSessionDecision(tx, r);
        }
        Instant now = micros(r.now());
        List<Transition> transitions = new ArrayList<>();
        List<Hold> ended = new ArrayList<>(plan.dropped());
        for (Hold h : plan.dropped()) {
            transitions.add(new Transition(h.sessionId(), h.holdId(), h.state(), HoldState.RELEASED, "removed by update"));
        }
        List<AdmissionPlan.Wanted> inserts = new ArrayList<>();
        Map<String, Hold> kept = new HashMap<>();
        try (PreparedStatement ps = tx.c.prepareStatement("UPDATE holds SET reserved_until = ?, authorized_until = ?, "
                + "expires_at = ?, expiry_due = ?, max_latency_ms = ?, updated_at = ? WHERE hold_id = ?")) {
            for (AdmissionPlan.Wanted w : plan.wanted()) {
                Hold c = plan.current(w.reservationId());
                if (AdmissionPlan.same(c, w)) {
                    Instant expires = micros(c.state() == HoldState.COMMITTED ? r.authorizedUntil() : r.reservedUntil());
                    setTime(ps, 1, r.reservedUntil());
                    setTime(ps, 2, r.authorizedUntil());
                    setTime(ps, 3, expires);
                    setTime(ps, 4, expires);
                    ps.setObject(5, w.request().maxLatencyMs(), Types.INTEGER);
                    setTime(ps, 6, now);
                    ps.setLong(7, c.holdId());
                    ps.addBatch();
                    kept.put(w.reservationId(), new Hold(c.holdId(), c.sessionId(), c.flow(), c.direction(),
                            c.partyAddress(), c.poolId(), c.deviceId(), c.bandwidthBps(), c.dscp(),
                            w.request().maxLatencyMs(), c.state(), expires));
                } else {
                    if (c != null) {
                        ended.add(c);
                        transitions.add(new Transition(c.sessionId(), c.holdId(), c.state(), HoldState.RELEASED, "replaced by update"));
                    }
                    inserts.add(w);
                }
            }
            if (!kept.isEmpty()) {
                ps.executeBatch();
            }
        }
        endHolds(tx, ended, HoldState.RELEASED, now);
        Map<String, Hold> inserted = insertHolds(tx, r, generation, inserts, transitions);
        recordTransitions(tx, transitions, now);
        audit(tx, r.sessionId(), r.originHost(), r.decision(), "ADMITTED", r.now());

        Map<String, AdmissionPlan.PoolState> pools = lockPools(tx, plan.poolsToLock());
        List<Admission.Shortfall> shortfalls = plan.shortfalls(pools);
        if (!shortfalls.isEmpty()) {
            tx.discard = true;
            return new Admission(Admission.Status.INSUFFICIENT_CAPACITY, List.of(), shortfalls, List.of());
        }
        applyDeltas(tx, plan.deltas());
        tx.wrote = true;
        List<Hold> holds = new ArrayList<>();
        for (AdmissionPlan.Wanted w : plan.wanted()) {
            Hold h = kept.get(w.reservationId());
            holds.add(h != null ? h : withDevice(inserted.get(w.reservationId()), pools.get(w.poolId()).deviceId()));
        }
        return new Admission(Admission.Status.ADMITTED, holds, List.of(), plan.dropped());
    }

    private static Hold withDevice(Hold h, String deviceId) {
        return new Hold(h.holdId(), h.sessionId(), h.flow(), h.direction(), h.partyAddress(), h.poolId(), deviceId,
                h.bandwidthBps(), h.dscp(), h.maxLatencyMs(), h.state(), h.expiresAt());
    }

    @Override
    public boolean commit(String sessionId, Instant now) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(now, "now");
        return grouped("commit of session " + sessionId, tx -> {
            SessionRow s = lockSession(tx, sessionId);
            if (s == null) {
                return false;
            }
            List<Hold> reserved = holdsOf(tx, sessionId, s.generation(), true).stream()
                    .filter(h -> h.state() == HoldState.RESERVED).toList();
            if (reserved.isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = tx.c.prepareStatement("UPDATE holds SET state = 'COMMITTED', "
                    + "expires_at = authorized_until, expiry_due = authorized_until, updated_at = ? "
                    + "WHERE session_id = ? AND generation = ? AND state = 'RESERVED'")) {
                setTime(ps, 1, now);
                ps.setString(2, sessionId);
                ps.setInt(3, s.generation());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = tx.c.prepareStatement(
                    "UPDATE sessions SET committed_at = ? WHERE session_id = ? AND committed_at IS NULL")) {
                setTime(ps, 1, now);
                ps.setString(2, sessionId);
                ps.executeUpdate();
            }
            recordTransitions(tx, reserved.stream().map(h -> new Transition(sessionId, h.holdId(), HoldState.RESERVED,
                    HoldState.COMMITTED, "devices confirmed")).toList(), micros(now));
            tx.wrote = true;
            return true;
        });
    }

    /**
     * Moves the authorization expiry of the session's active holds to {@code until} (a refresh);
     * committed holds then expire at that time.
     *
     * @return false when the session has no active hold
     */
    public boolean extend(String sessionId, Instant until, Instant now) {
        return transact("extension of session " + sessionId, tx -> {
            SessionRow s = lockSession(tx, sessionId);
            if (s == null || holdsOf(tx, sessionId, s.generation(), true).isEmpty()) {
                return false;
            }
            setAuthorization(tx, sessionId, s.generation(), until, now, false);
            tx.wrote = true;
            return true;
        });
    }

    @Override
    public Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(cause, "cause");
        Optional<SessionRelease> r = grouped("release of session " + sessionId, tx -> {
            SessionRow s = lockSession(tx, sessionId);
            if (s == null) {
                return Optional.empty();
            }
            List<Hold> active = holdsOf(tx, sessionId, s.generation(), true);
            if (active.isEmpty()) {
                return Optional.empty();
            }
            tx.wrote = true;
            return Optional.of(endSessions(tx, List.of(new Ending(s, active, HoldState.RELEASED, cause)), now).getFirst());
        });
        LOG.debug("session {}: release ({}): {}", sessionId, cause, r.isPresent() ? "ended" : "unknown or ended");
        return r;
    }

    /**
     * The holds due for expiry, oldest first. Final holds have no {@code expiry_due} (NULL), and
     * H2 sorts NULLs first in an index: with only an upper bound, its index scan would read every
     * final hold ever written before the first live one, every sweep. The lower bound (the epoch;
     * parameters: epoch, now, row limit) starts the scan at the first live entry on every
     * database.
     */
    static final String EXPIRY_SCAN = "SELECT session_id FROM holds WHERE expiry_due >= ? AND expiry_due <= ? "
            + "ORDER BY expiry_due FETCH FIRST ? ROWS ONLY";

    @Override
    public List<SessionRelease> expire(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit <= 0) {
            return List.of();
        }
        List<String> due = transact("expiry scan", tx -> {
            Set<String> ids = new TreeSet<>();
            try (PreparedStatement ps = tx.c.prepareStatement(EXPIRY_SCAN)) {
                setTime(ps, 1, Instant.EPOCH);
                setTime(ps, 2, now);
                ps.setInt(3, (int) Math.min(100_000L, limit * 8L));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && ids.size() < limit) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return List.copyOf(ids);
        });
        List<SessionRelease> out = new ArrayList<>();
        for (int i = 0; i < due.size(); i += EXPIRY_BATCH) {
            List<String> batch = due.subList(i, Math.min(due.size(), i + EXPIRY_BATCH));
            out.addAll(transact("expiry of " + batch.size() + " session(s)", tx -> expireBatch(tx, batch, now)));
        }
        if (!out.isEmpty()) {
            LOG.debug("expired {} session(s)", out.size());
        }
        return out;
    }

    private List<SessionRelease> expireBatch(Tx tx, List<String> sortedIds, Instant now) throws SQLException {
        List<Ending> endings = new ArrayList<>();
        for (String id : sortedIds) {
            SessionRow s = lockSession(tx, id);
            if (s == null) {
                continue;
            }
            List<Hold> active = holdsOf(tx, id, s.generation(), true);
            if (active.stream().anyMatch(h -> !h.expiresAt().isAfter(now))) {
                boolean reservedOnly = active.stream().allMatch(h -> h.state() == HoldState.RESERVED);
                endings.add(new Ending(s, active, HoldState.EXPIRED,
                        reservedOnly ? TerminationCause.HOLD_EXPIRED : TerminationCause.DIAMETER_AUTH_EXPIRED));
            }
        }
        if (endings.isEmpty()) {
            return List.of();
        }
        tx.wrote = true;
        return endSessions(tx, endings, now);
    }

    // ------------------------------------------------------------------------------------------
    // interim billing records

    /**
     * The number of interim records of the session's current run: they count only for the
     * generation they were written in (a Session-Id admitted again starts from none).
     */
    private static final String INTERIMS_OF_RUN = "CASE WHEN interim_generation = generation THEN interim_seq ELSE 0 END";
    /** The last record point of the current run: its last interim record, or its commit. */
    private static final String LAST_RECORD_AT = "CASE WHEN interim_generation = generation THEN last_interim_at "
            + "ELSE committed_at END";

    /** A session found due by the unlocked scan, with the number of interim records it had then. */
    private record DueInterim(String sessionId, int generation, int interims) {}

    /**
     * {@inheritDoc}
     *
     * <p>An unlocked scan finds due sessions; each is then claimed in a transaction by a
     * conditional update of its row (its generation, interim count and last record point must be
     * those the scan read, and it must still be running, committed and unexpired), which also
     * locks it, and the record is written in that transaction. A node that loses the race updates
     * nothing and writes nothing, so no interim record is written twice. Sessions are claimed in
     * Session-Id order, {@value #EXPIRY_BATCH} per transaction, like expiry.
     *
     * @throws IllegalArgumentException when {@code interval} is not positive
     */
    @Override
    public List<ChargingRecord> writeInterim(Instant now, Duration interval, int limit) {
        Objects.requireNonNull(now, "now");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (limit <= 0) {
            return List.of();
        }
        Instant at = micros(now);
        Instant cutoff = micros(now.minus(interval));
        List<DueInterim> due = transact("interim record scan", tx -> {
            List<DueInterim> ids = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT session_id, generation, " + INTERIMS_OF_RUN
                    + " FROM sessions WHERE ended_at IS NULL AND committed_at <= ? AND " + LAST_RECORD_AT + " <= ? "
                    + "ORDER BY " + LAST_RECORD_AT + ", session_id FETCH FIRST ? ROWS ONLY")) {
                setTime(ps, 1, cutoff);
                setTime(ps, 2, cutoff);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(new DueInterim(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                    }
                }
            }
            ids.sort(java.util.Comparator.comparing(DueInterim::sessionId));
            return ids;
        });
        List<ChargingRecord> out = new ArrayList<>();
        for (int i = 0; i < due.size(); i += EXPIRY_BATCH) {
            List<DueInterim> batch = due.subList(i, Math.min(due.size(), i + EXPIRY_BATCH));
            out.addAll(transact("interim records of " + batch.size() + " session(s)",
                    tx -> interimBatch(tx, batch, at, cutoff)));
        }
        if (!out.isEmpty()) {
            LOG.debug("wrote {} interim record(s)", out.size());
        }
        return out;
    }

    private static List<ChargingRecord> interimBatch(Tx tx, List<DueInterim> sortedDue, Instant at, Instant cutoff)
            throws SQLException {
        List<ChargingRecord> cdrs = new ArrayList<>();
        try (PreparedStatement claim = tx.c.prepareStatement("UPDATE sessions SET interim_generation = generation, "
                + "interim_seq = ?, last_interim_at = ? WHERE session_id = ? AND generation = ? AND ended_at IS NULL "
                + "AND committed_at IS NOT NULL AND " + INTERIMS_OF_RUN + " = ? AND " + LAST_RECORD_AT + " <= ? "
                + "AND EXISTS (SELECT 1 FROM holds h WHERE h.session_id = sessions.session_id "
                + "AND h.generation = sessions.generation AND h.state = 'COMMITTED') "
                + "AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.session_id = sessions.session_id "
                + "AND h.generation = sessions.generation AND h.expiry_due <= ?)")) {
            for (DueInterim d : sortedDue) {
                int sequence = d.interims() + 1;
                claim.setInt(1, sequence);
                setTime(claim, 2, at);
                claim.setString(3, d.sessionId());
                claim.setInt(4, d.generation());
                claim.setInt(5, d.interims());
                setTime(claim, 6, cutoff);
                setTime(claim, 7, at);
                if (claim.executeUpdate() != 1) {
                    continue; // another node wrote it, or the session ended, changed or expired meanwhile
                }
                SessionRow s = readSession(tx, d.sessionId(), false);
                List<ChargingRecord.ChargedFlow> flows = holdsOf(tx, d.sessionId(), d.generation(), true).stream()
                        .map(h -> new ChargingRecord.ChargedFlow(h.flow(), h.direction(), h.partyAddress(), h.poolId(),
                                h.bandwidthBps(), h.dscp(), h.maxLatencyMs()))
                        .toList();
                cdrs.add(new ChargingRecord(UUID.randomUUID().toString(), s.sessionId(), s.chargingId(),
                        s.subscriber(), s.originHost(), s.createdAt(), s.committedAt(), at, flows, s.modified(),
                        s.policyVersion(), s.ruleId(), null, ChargingRecord.Kind.INTERIM, sequence));
            }
        }
        if (!cdrs.isEmpty()) {
            writeCdrs(tx, cdrs);
            tx.wrote = true;
        }
        return cdrs;
    }

    /** The interim records of the session's current run; its row is locked by the caller. */
    private static int interimsWritten(Tx tx, String sessionId) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("SELECT " + INTERIMS_OF_RUN + " FROM sessions WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    @Override
    public Optional<SessionView> session(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return transact("reading session " + sessionId, tx -> {
            SessionRow s = readSession(tx, sessionId, false);
            if (s == null) {
                return Optional.empty();
            }
            return Optional.of(new SessionView(s.sessionId(), s.originHost(), s.subscriber(), s.createdAt(),
                    holdsOf(tx, sessionId, s.generation(), false), s.policyVersion(), s.ruleId()));
        });
    }

    @Override
    public List<PoolUsage> pools() {
        return transact("reading pools", tx -> {
            List<PoolUsage> out = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT id, parent_id, capacity_ul, capacity_dl, "
                    + "admissible_fraction, device_id, used_ul, used_dl FROM pools ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(poolUsage(rs));
                }
            }
            return out;
        });
    }

    /** One pool's capacity, use and headroom, or empty when no such pool exists. */
    public Optional<PoolUsage> pool(String poolId) {
        return transact("reading pool " + poolId, tx -> {
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT id, parent_id, capacity_ul, capacity_dl, "
                    + "admissible_fraction, device_id, used_ul, used_dl FROM pools WHERE id = ?")) {
                ps.setString(1, poolId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(poolUsage(rs)) : Optional.empty();
                }
            }
        });
    }

    private static PoolUsage poolUsage(ResultSet rs) throws SQLException {
        PoolSpec spec = new PoolSpec(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5),
                rs.getString(6));
        return new PoolUsage(spec, rs.getLong(7), rs.getLong(8));
    }

    @Override
    public List<Hold> activeHoldsOn(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return transact("reading holds on device " + deviceId, tx -> {
            // pools of the device first (pools_device), then their holds (holds_pool)
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT " + HOLD_SELECT + " FROM pools p JOIN holds h "
                    + "ON h.pool_id = p.id WHERE p.device_id = ? AND h.state IN " + ACTIVE + " ORDER BY h.hold_id")) {
                ps.setString(1, deviceId);
                return holds(ps);
            }
        });
    }

    @Override
    public void recordRejection(String sessionId, String originHost, Decision decision, Instant now) {
        Objects.requireNonNull(decision, "decision");
        checkSessionId(sessionId);
        grouped("recording the rejection of session " + sessionId, tx -> {
            audit(tx, sessionId, originHost, decision, "REFUSED", now);
            tx.wrote = true;
            return null;
        });
    }

    @Override
    public void close() {
        if (!dataSource.isClosed()) {
            if (compactor != null) {
                compactor.close();
            }
            dataSource.close();
            claim.close();
            LOG.info("ledger closed on {} ({} durable commits shared {} forces; {} operations ran in {} group "
                    + "transactions)", config.redactedUrl(), sync.commits(), sync.forces(), groupOperations.get(),
                    groupTransactions.get());
        }
    }

    // ------------------------------------------------------------------------------------------
    // queries beyond the port

    /**
     * The billing records that stopped in {@code [from, to)}, oldest first (then by record id), at
     * most {@code limit}. For export in pages: pass the last record's stop time as the next
     * {@code from} and skip the ids already seen.
     */
    public List<ChargingRecord> chargingRecords(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit <= 0) {
            return List.of();
        }
        return transact("reading charging records", tx -> {
            Map<String, CdrBuilder> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT c.record_id, c.session_id, c.charging_id, "
                    + "c.subscriber, c.origin_host, c.started_at, c.committed_at, c.stopped_at, c.modified, "
                    + "c.policy_version, c.rule_id, c.cause, f.media_component, f.flow_number, f.direction, f.party, "
                    + "f.pool_id, f.bandwidth_bps, f.dscp, f.max_latency_ms, c.record_kind, c.record_seq "
                    + "FROM (SELECT * FROM cdrs WHERE stopped_at >= ? AND stopped_at < ? "
                    + "ORDER BY stopped_at, record_id FETCH FIRST ? ROWS ONLY) c "
                    + "LEFT JOIN cdr_flows f ON f.record_id = c.record_id ORDER BY c.stopped_at, c.record_id, f.seq")) {
                setTime(ps, 1, from);
                setTime(ps, 2, to);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CdrBuilder b = byId.get(rs.getString(1));
                        if (b == null) {
                            b = new CdrBuilder(rs);
                            byId.put(b.recordId, b);
                        }
                        if (rs.getString(16) != null) {
                            b.flows.add(new ChargingRecord.ChargedFlow(new FlowKey(rs.getInt(13), rs.getInt(14)),
                                    direction(rs.getString(15)), rs.getString(16), rs.getString(17), rs.getLong(18),
                                    rs.getInt(19), nullableInt(rs, 20)));
                        }
                    }
                }
            }
            return byId.values().stream().map(CdrBuilder::build).toList();
        });
    }

    private static final class CdrBuilder {
        final String recordId;
        final String sessionId;
        final String chargingId;
        final String subscriber;
        final String originHost;
        final Instant startedAt;
        final Instant committedAt;
        final Instant stoppedAt;
        final boolean modified;
        final String policyVersion;
        final String ruleId;
        final TerminationCause cause;
        final ChargingRecord.Kind kind;
        final int sequence;
        final List<ChargingRecord.ChargedFlow> flows = new ArrayList<>();

        CdrBuilder(ResultSet rs) throws SQLException {
            recordId = rs.getString(1);
            sessionId = rs.getString(2);
            chargingId = rs.getString(3);
            subscriber = rs.getString(4);
            originHost = rs.getString(5);
            startedAt = instant(rs, 6);
            committedAt = instant(rs, 7);
            stoppedAt = instant(rs, 8);
            modified = rs.getBoolean(9);
            policyVersion = rs.getString(10);
            ruleId = rs.getString(11);
            cause = rs.getString(12) == null ? null : TerminationCause.valueOf(rs.getString(12));
            kind = ChargingRecord.Kind.valueOf(rs.getString(21));
            sequence = rs.getInt(22);
        }

        ChargingRecord build() {
            return new ChargingRecord(recordId, sessionId, chargingId, subscriber, originHost, startedAt, committedAt,
                    stoppedAt, flows, modified, policyVersion, ruleId, cause, kind, sequence);
        }
    }

    /**
     * Sessions, newest first, optionally only those of one subscriber and/or one requesting AF
     * ({@code null} matches any).
     */
    public List<SessionSummary> sessions(String subscriber, String originHost, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return transact("listing sessions", tx -> {
            List<SessionSummary> out = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT session_id, origin_host, subscriber, created_at, "
                    + "committed_at, ended_at, policy_version, rule_id, modified FROM sessions "
                    + "WHERE (? IS NULL OR subscriber = ?) AND (? IS NULL OR origin_host = ?) "
                    + "ORDER BY created_at DESC, session_id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, subscriber);
                ps.setString(2, subscriber);
                ps.setString(3, originHost);
                ps.setString(4, originHost);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SessionSummary(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                instant(rs, 5), instant(rs, 6), rs.getString(7), rs.getString(8), rs.getBoolean(9)));
                    }
                }
            }
            return out;
        });
    }

    /** The most recent decisions of every session, newest first. */
    public List<AuditedDecision> recentDecisions(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return transact("reading recent decisions", tx -> {
            List<AuditedDecision> out = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT id, session_id, origin_host, decided_at, verdict, "
                    + "outcome, result_code, reason, policy_version, rule_id FROM decisions ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditedDecision(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                Verdict.valueOf(rs.getString(5)), rs.getString(6), nullableInt(rs, 7), rs.getString(8),
                                rs.getString(9), rs.getString(10)));
                    }
                }
            }
            return out;
        });
    }

    /** The audit trail of one Session-Id, oldest first. */
    public List<AuditedDecision> decisions(String sessionId) {
        return transact("reading decisions of session " + sessionId, tx -> {
            List<AuditedDecision> out = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT id, session_id, origin_host, decided_at, verdict, "
                    + "outcome, result_code, reason, policy_version, rule_id FROM decisions WHERE session_id = ? ORDER BY id")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditedDecision(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                Verdict.valueOf(rs.getString(5)), rs.getString(6), nullableInt(rs, 7), rs.getString(8),
                                rs.getString(9), rs.getString(10)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Compares every pool's use counters with the sum of its active holds. Cheap enough for
     * startup and diagnostics (one pass over the active holds), not for the hot path.
     *
     * @param repair when true, the counters are set to the sums (pools locked in order)
     * @return the pools that differed (before repair); empty for a consistent ledger
     */
    public List<CounterDrift> recount(boolean repair) {
        List<CounterDrift> drift = transact("recounting pool use", tx -> {
            if (repair) {
                try (PreparedStatement ps = tx.c.prepareStatement("SELECT id FROM pools ORDER BY id FOR UPDATE");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
            List<CounterDrift> out = new ArrayList<>();
            try (PreparedStatement ps = tx.c.prepareStatement("SELECT p.id, p.used_ul, p.used_dl, "
                    + "COALESCE(s.ul, 0), COALESCE(s.dl, 0) FROM pools p LEFT JOIN (SELECT pool_id, "
                    + "SUM(CASE WHEN direction = 'UL' THEN bandwidth_bps ELSE 0 END) AS ul, "
                    + "SUM(CASE WHEN direction = 'DL' THEN bandwidth_bps ELSE 0 END) AS dl "
                    + "FROM holds WHERE state IN " + ACTIVE + " GROUP BY pool_id) s ON s.pool_id = p.id ORDER BY p.id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) != rs.getLong(4)) {
                        out.add(new CounterDrift(rs.getString(1), Direction.UPLINK, rs.getLong(2), rs.getLong(4)));
                    }
                    if (rs.getLong(3) != rs.getLong(5)) {
                        out.add(new CounterDrift(rs.getString(1), Direction.DOWNLINK, rs.getLong(3), rs.getLong(5)));
                    }
                }
            }
            if (repair && !out.isEmpty()) {
                try (PreparedStatement ul = tx.c.prepareStatement("UPDATE pools SET used_ul = ? WHERE id = ?");
                     PreparedStatement dl = tx.c.prepareStatement("UPDATE pools SET used_dl = ? WHERE id = ?")) {
                    for (CounterDrift d : out) {
                        PreparedStatement ps = d.direction() == Direction.UPLINK ? ul : dl;
                        ps.setLong(1, d.holdsBps());
                        ps.setString(2, d.poolId());
                        ps.executeUpdate();
                    }
                }
                tx.wrote = true;
            }
            return out;
        });
        if (!drift.isEmpty()) {
            LOG.warn("pool use counters differ from active holds on {} pool direction(s){}: {}", drift.size(),
                    repair ? " (repaired)" : "", drift.subList(0, Math.min(10, drift.size())));
        }
        return drift;
    }

    /** The topology currently applied (as cached by this node). */
    public Topology topology() {
        return currentTopology().topology();
    }

    /** How many commits waited for durability and how many forces served them (H2 file mode). */
    String durabilityStats() {
        return sync.commits() + " durable commits, " + sync.forces() + " forces (" + sync.description() + ")";
    }

    long durabilityForces() {
        return sync.forces();
    }

    // ------------------------------------------------------------------------------------------
    // topology

    /**
     * Makes the ledger's pools and attachments equal to {@code next}, in one transaction.
     * Pools keep their use; a pool whose new admissible capacity is below its current use (or
     * that is removed while in use) is a conflict.
     *
     * @param force accept conflicts: such pools stay overbooked until their holds end (a removed one
     *     is kept, retired, with capacity 0)
     * @return what changed; {@link TopologyChange#isEmpty()} when {@code next} equals the stored one
     * @throws TopologyConflictException listing pool, current use and new capacity, when there are
     *     conflicts and {@code force} is false; nothing is changed then
     */
    public TopologyChange applyTopology(Topology next, boolean force) {
        Objects.requireNonNull(next, "next");
        Instant now = Instant.now();
        TopologyChange change = transact("applying the topology", tx -> TopologyApply.apply(tx.c, next, force, now,
                () -> tx.wrote = true));
        if (!change.isEmpty()) {
            LOG.info("topology applied: {}", change.summary());
        }
        reloadTopology();
        return change;
    }

    private TopologyView currentTopology() {
        TopologyView v = topology;
        long refresh = config.topologyRefresh().toNanos();
        if (System.nanoTime() - v.checkedAtNanos() < refresh) {
            return v;
        }
        synchronized (topologyLock) {
            v = topology;
            if (System.nanoTime() - v.checkedAtNanos() < refresh) {
                return v;
            }
            long stored = transact("reading the topology version", tx -> topologyVersion(tx.c));
            if (stored != v.version()) {
                reloadTopology();
            } else {
                topology = v.checkedAt(System.nanoTime());
            }
            return topology;
        }
    }

    private void reloadTopology() {
        synchronized (topologyLock) {
            topology = transact("loading the topology", tx -> {
                long version = topologyVersion(tx.c);
                List<PoolSpec> pools = new ArrayList<>();
                try (PreparedStatement ps = tx.c.prepareStatement("SELECT id, parent_id, capacity_ul, capacity_dl, "
                        + "admissible_fraction, device_id FROM pools WHERE retired = FALSE ORDER BY id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pools.add(new PoolSpec(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                                rs.getDouble(5), rs.getString(6)));
                    }
                }
                List<Attachment> attachments = new ArrayList<>();
                try (PreparedStatement ps = tx.c.prepareStatement("SELECT prefix, pool_id FROM attachments ORDER BY prefix");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attachments.add(new Attachment(IpPrefix.parse(rs.getString(1)), rs.getString(2)));
                    }
                }
                Topology t;
                try {
                    t = Topology.of(pools, attachments);
                } catch (Topology.TopologyException e) {
                    throw new LedgerException("the stored topology (version " + version + ") is inconsistent: "
                            + e.getMessage(), e);
                }
                return new TopologyView(t, new PrefixIndex(t.attachments()), version, System.nanoTime());
            });
        }
    }

    private static long topologyVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT topology_version FROM ledger_state WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("ledger_state has no row; the schema is damaged");
            }
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // sessions

    private record SessionRow(String sessionId, int generation, String originHost, String subscriber,
                              String chargingId, Instant createdAt, Instant committedAt, String policyVersion,
                              String ruleId, boolean modified) {}

    private static SessionRow lockSession(Tx tx, String sessionId) throws SQLException {
        return readSession(tx, sessionId, true);
    }

    private static SessionRow readSession(Tx tx, String sessionId, boolean lock) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM sessions "
                + "WHERE session_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new SessionRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9),
                        rs.getBoolean(10));
            }
        }
    }

    private static void insertSession(Tx tx, AdmissionRequest r) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("INSERT INTO sessions (session_id, generation, origin_host, "
                + "subscriber, charging_id, created_at, committed_at, ended_at, policy_version, rule_id, modified) "
                + "VALUES (?, 1, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)")) {
            ps.setString(1, r.sessionId());
            ps.setString(2, r.originHost());
            ps.setString(3, r.subscriber());
            ps.setString(4, r.chargingId());
            setTime(ps, 5, r.now());
            ps.setString(6, r.decision().policyVersion());
            ps.setString(7, r.decision().ruleId());
            ps.setBoolean(8, modified(r.decision()));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Dialect.isUniqueViolation(e)) {
                throw new Retry("session " + r.sessionId() + " was created concurrently", e);
            }
            throw e;
        }
    }

    private static void restartSession(Tx tx, AdmissionRequest r, int generation) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("UPDATE sessions SET generation = ?, origin_host = ?, "
                + "subscriber = ?, charging_id = ?, created_at = ?, committed_at = NULL, ended_at = NULL, "
                + "policy_version = ?, rule_id = ?, modified = ? WHERE session_id = ?")) {
            ps.setInt(1, generation);
            ps.setString(2, r.originHost());
            ps.setString(3, r.subscriber());
            ps.setString(4, r.chargingId());
            setTime(ps, 5, r.now());
            ps.setString(6, r.decision().policyVersion());
            ps.setString(7, r.decision().ruleId());
            ps.setBoolean(8, modified(r.decision()));
            ps.setString(9, r.sessionId());
            ps.executeUpdate();
        }
    }

    private static void updateSessionDecision(Tx tx, AdmissionRequest r) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement(
                "UPDATE sessions SET policy_version = ?, rule_id = ?, modified = ? WHERE session_id = ?")) {
            ps.setString(1, r.decision().policyVersion());
            ps.setString(2, r.decision().ruleId());
            ps.setBoolean(3, modified(r.decision()));
            ps.setString(4, r.sessionId());
            ps.executeUpdate();
        }
    }

    private static boolean modified(Decision d) {
        return d.grants().stream().anyMatch(FlowGrant::modified);
    }

    private static void refreshAuthorization(Tx tx, AdmissionRequest r, int generation) throws SQLException {
        setAuthorization(tx, r.sessionId(), generation, r.authorizedUntil(), r.now(), true);
    }

    private static void setAuthorization(Tx tx, String sessionId, int generation, Instant until, Instant now,
                                         boolean onlyLater) throws SQLException {
        String later = onlyLater ? " AND authorized_until < ?" : "";
        try (PreparedStatement c = tx.c.prepareStatement("UPDATE holds SET authorized_until = ?, expires_at = ?, "
                + "expiry_due = ?, updated_at = ? WHERE session_id = ? AND generation = ? AND state = 'COMMITTED'" + later);
             PreparedStatement r = tx.c.prepareStatement("UPDATE holds SET authorized_until = ?, updated_at = ? "
                     + "WHERE session_id = ? AND generation = ? AND state = 'RESERVED'" + later)) {
            setTime(c, 1, until);
            setTime(c, 2, until);
            setTime(c, 3, until);
            setTime(c, 4, now);
            c.setString(5, sessionId);
            c.setInt(6, generation);
            if (onlyLater) {
                setTime(c, 7, until);
            }
            c.executeUpdate();
            setTime(r, 1, until);
            setTime(r, 2, now);
            r.setString(3, sessionId);
            r.setInt(4, generation);
            if (onlyLater) {
                setTime(r, 5, until);
            }
            r.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------
    // holds and pools

    private static List<Hold> holdsOf(Tx tx, String sessionId, int generation, boolean activeOnly) throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("SELECT " + HOLD_COLUMNS + " WHERE h.session_id = ? "
                + "AND h.generation = ?" + (activeOnly ? " AND h.state IN " + ACTIVE : "") + " ORDER BY h.hold_id")) {
            ps.setString(1, sessionId);
            ps.setInt(2, generation);
            return holds(ps);
        }
    }

    private static List<Hold> holds(PreparedStatement ps) throws SQLException {
        List<Hold> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Hold(rs.getLong(1), rs.getString(2), new FlowKey(rs.getInt(3), rs.getInt(4)),
                        direction(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                        rs.getInt(10), nullableInt(rs, 11), HoldState.valueOf(rs.getString(12)), instant(rs, 13)));
            }
        }
        return out;
    }

    private static Map<Long, Hold> byId(Collection<Hold> holds) {
        return holds.stream().collect(Collectors.toMap(Hold::holdId, h -> h));
    }

    /**
     * Locks the pools in id order and reads their capacity and use. PostgreSQL locks the rows of
     * one {@code ... ORDER BY id FOR UPDATE} in the sorted order (its LockRows step runs above the
     * sort), so one round trip takes them all; for H2, whose lock order within a statement is not
     * specified, one statement per pool (an in-process call) keeps the order explicit.
     */
    private Map<String, AdmissionPlan.PoolState> lockPools(Tx tx, SortedSet<String> ids) throws SQLException {
        Map<String, AdmissionPlan.PoolState> out = new HashMap<>();
        String columns = "SELECT id, device_id, admissible_ul, admissible_dl, used_ul, used_dl FROM pools ";
        if (dialect == Dialect.POSTGRESQL) {
            String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
            try (PreparedStatement ps = tx.c.prepareStatement(columns + "WHERE id IN (" + marks + ") ORDER BY id FOR UPDATE")) {
                int i = 0;
                for (String id : ids) {
                    ps.setString(++i, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), poolState(rs));
                    }
                }
            }
        } else {
            try (PreparedStatement ps = tx.c.prepareStatement(columns + "WHERE id = ? FOR UPDATE")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.put(id, poolState(rs));
                        }
                    }
                }
            }
        }
        for (String id : ids) {
            if (!out.containsKey(id)) {
                throw new LedgerException("path names unknown pool '" + id + "'");
            }
        }
        return out;
    }

    private static AdmissionPlan.PoolState poolState(ResultSet rs) throws SQLException {
        return new AdmissionPlan.PoolState(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6));
    }

    /** Adds the deltas to the pools' counters, in pool id order (the lock order). */
    private static void applyDeltas(Tx tx, Map<AdmissionPlan.PoolDirection, Long> deltas) throws SQLException {
        Map<String, long[]> byPool = new TreeMap<>();
        deltas.forEach((k, v) -> byPool.computeIfAbsent(k.poolId(), id -> new long[2])[
                k.direction() == Direction.UPLINK ? 0 : 1] += v);
        if (byPool.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.c.prepareStatement(
                "UPDATE pools SET used_ul = used_ul + ?, used_dl = used_dl + ? WHERE id = ?")) {
            for (Map.Entry<String, long[]> e : byPool.entrySet()) {
                ps.setLong(1, e.getValue()[0]);
                ps.setLong(2, e.getValue()[1]);
                ps.setString(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A state change of one hold; {@link #recordTransitions} writes one row per session and change. */
    private record Transition(String sessionId, long holdId, HoldState from, HoldState to, String reason) {}

    /** Inserts new RESERVED holds; the device stored is the one the path named (the pool's at resolve time). */
    private static Map<String, Hold> insertHolds(Tx tx, AdmissionRequest r, int generation,
                                                 List<AdmissionPlan.Wanted> wanted,
                                                 List<Transition> transitions) throws SQLException {
        Map<String, Hold> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        Instant now = micros(r.now());
        Instant reservedUntil = micros(r.reservedUntil());
        try (PreparedStatement ps = tx.c.prepareStatement("INSERT INTO holds (session_id, generation, media_component, "
                + "flow_number, direction, party, pool_id, device_id, bandwidth_bps, dscp, max_latency_ms, state, "
                + "reserved_until, authorized_until, expires_at, expiry_due, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RESERVED', ?, ?, ?, ?, ?, ?)", new String[] {"hold_id"})) {
            for (AdmissionPlan.Wanted w : wanted) {
                ps.setString(1, r.sessionId());
                ps.setInt(2, generation);
                ps.setInt(3, w.request().flow().mediaComponent());
                ps.setInt(4, w.request().flow().flow());
                ps.setString(5, w.direction().label());
                ps.setString(6, w.request().path().address());
                ps.setString(7, w.poolId());
                ps.setString(8, w.hop().deviceId());
                ps.setLong(9, w.bandwidthBps());
                ps.setInt(10, w.request().dscp());
                ps.setObject(11, w.request().maxLatencyMs(), Types.INTEGER);
                setTime(ps, 12, reservedUntil);
                setTime(ps, 13, r.authorizedUntil());
                setTime(ps, 14, reservedUntil);
                setTime(ps, 15, reservedUntil);
                setTime(ps, 16, now);
                setTime(ps, 17, now);
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                for (AdmissionPlan.Wanted w : wanted) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned fewer hold ids than holds inserted");
                    }
                    long id = keys.getLong(1);
                    out.put(w.reservationId(), new Hold(id, r.sessionId(), w.request().flow(), w.direction(),
                            w.request().path().address(), w.poolId(), w.hop().deviceId(),
                            w.bandwidthBps(), w.request().dscp(), w.request().maxLatencyMs(), HoldState.RESERVED,
                            reservedUntil));
                    transitions.add(new Transition(r.sessionId(), id, null, HoldState.RESERVED, "admitted"));
                }
            }
        }
        return out;
    }

    private static void endHolds(Tx tx, List<Hold> holds, HoldState state, Instant now) throws SQLException {
        if (holds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.c.prepareStatement(
                "UPDATE holds SET state = ?, expiry_due = NULL, updated_at = ? WHERE hold_id = ?")) {
            for (Hold h : holds) {
                ps.setString(1, state.name());
                setTime(ps, 2, now);
                ps.setLong(3, h.holdId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Writes the transitions as rows of {@code hold_changes}: one row per session and change
     * (from, to, reason), listing the holds it covers in ascending id order. Rows follow the
     * order in which each change first appears.
     */
    private static void recordTransitions(Tx tx, List<Transition> transitions, Instant now) throws SQLException {
        if (transitions.isEmpty()) {
            return;
        }
        record Change(String sessionId, HoldState from, HoldState to, String reason) {}
        Map<Change, TreeSet<Long>> changes = new LinkedHashMap<>();
        for (Transition t : transitions) {
            changes.computeIfAbsent(new Change(t.sessionId(), t.from(), t.to(), t.reason()), k -> new TreeSet<>())
                    .add(t.holdId());
        }
        try (PreparedStatement ps = tx.c.prepareStatement("INSERT INTO hold_changes (session_id, hold_ids, from_state, "
                + "to_state, occurred_at, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Map.Entry<Change, TreeSet<Long>> e : changes.entrySet()) {
                Change c = e.getKey();
                ps.setString(1, c.sessionId());
                ps.setString(2, e.getValue().stream().map(String::valueOf).collect(Collectors.joining(" ")));
                ps.setString(3, c.from() == null ? null : c.from().name());
                ps.setString(4, c.to().name());
                setTime(ps, 5, now);
                ps.setString(6, c.reason());
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** A session to end with its active holds. */
    private record Ending(SessionRow session, List<Hold> active, HoldState finalState, TerminationCause cause) {}

    /**
     * Ends sessions whose rows the transaction has locked: finalises their holds, records the
     * transitions, writes one CDR each and, last, frees their pools (in lock order).
     */
    private static List<SessionRelease> endSessions(Tx tx, List<Ending> endings, Instant now) throws SQLException {
        Instant at = micros(now);
        Map<AdmissionPlan.PoolDirection, Long> freed = new HashMap<>();
        List<Transition> transitions = new ArrayList<>();
        for (Ending e : endings) {
            for (Hold h : e.active()) {
                freed.merge(new AdmissionPlan.PoolDirection(h.poolId(), h.direction()), -h.bandwidthBps(), Long::sum);
                transitions.add(new Transition(h.sessionId(), h.holdId(), h.state(), e.finalState(),
                        e.finalState() == HoldState.EXPIRED ? "expired: " + e.cause() : "released: " + e.cause()));
            }
        }
        for (Ending e : endings) {
            endHolds(tx, e.active(), e.finalState(), at);
        }
        recordTransitions(tx, transitions, at);
        List<SessionRelease> out = new ArrayList<>();
        try (PreparedStatement ended = tx.c.prepareStatement("UPDATE sessions SET ended_at = ? WHERE session_id = ?")) {
            for (Ending e : endings) {
                setTime(ended, 1, at);
                ended.setString(2, e.session().sessionId());
                ended.addBatch();
            }
            ended.executeBatch();
        }
        List<ChargingRecord> cdrs = new ArrayList<>();
        for (Ending e : endings) {
            SessionRow s = e.session();
            int sequence = interimsWritten(tx, s.sessionId()) + 1;
            List<ChargingRecord.ChargedFlow> flows = e.active().stream()
                    .map(h -> new ChargingRecord.ChargedFlow(h.flow(), h.direction(), h.partyAddress(), h.poolId(),
                            h.bandwidthBps(), h.dscp(), h.maxLatencyMs()))
                    .toList();
            ChargingRecord cdr = new ChargingRecord(UUID.randomUUID().toString(), s.sessionId(), s.chargingId(),
                    s.subscriber(), s.originHost(), s.createdAt(), s.committedAt(), at, flows, s.modified(),
                    s.policyVersion(), s.ruleId(), e.cause(), ChargingRecord.Kind.STOP, sequence);
            cdrs.add(cdr);
            out.add(new SessionRelease(s.sessionId(), s.originHost(), e.active(), cdr));
        }
        writeCdrs(tx, cdrs);
        applyDeltas(tx, freed);
        return out;
    }

    private static void writeCdrs(Tx tx, List<ChargingRecord> cdrs) throws SQLException {
        try (PreparedStatement c = tx.c.prepareStatement("INSERT INTO cdrs (record_id, session_id, charging_id, subscriber, "
                + "origin_host, started_at, committed_at, stopped_at, modified, policy_version, rule_id, cause, cause_code, "
                + "record_kind, record_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement f = tx.c.prepareStatement("INSERT INTO cdr_flows (record_id, seq, media_component, "
                     + "flow_number, direction, party, pool_id, bandwidth_bps, dscp, max_latency_ms) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ChargingRecord r : cdrs) {
                c.setString(1, r.recordId());
                c.setString(2, r.sessionId());
                c.setString(3, r.chargingId());
                c.setString(4, r.subscriber());
                c.setString(5, r.originHost());
                setTime(c, 6, r.startedAt());
                setTime(c, 7, r.committedAt());
                setTime(c, 8, r.stoppedAt());
                c.setBoolean(9, r.modified());
                c.setString(10, r.policyVersion());
                c.setString(11, r.ruleId());
                c.setString(12, r.cause() == null ? null : r.cause().name());
                c.setObject(13, r.cause() == null ? null : r.cause().code(), Types.INTEGER);
                c.setString(14, r.kind().name());
                c.setInt(15, r.sequence());
                c.addBatch();
                int seq = 0;
                for (ChargingRecord.ChargedFlow fl : r.flows()) {
                    f.setString(1, r.recordId());
                    f.setInt(2, ++seq);
                    f.setInt(3, fl.flow().mediaComponent());
                    f.setInt(4, fl.flow().flow());
                    f.setString(5, fl.direction().label());
                    f.setString(6, fl.partyAddress());
                    f.setString(7, fl.poolId());
                    f.setLong(8, fl.bandwidthBps());
                    f.setInt(9, fl.dscp());
                    f.setObject(10, fl.maxLatencyMs(), Types.INTEGER);
                    f.addBatch();
                }
            }
            c.executeBatch();
            f.executeBatch();
        }
    }

    private static void audit(Tx tx, String sessionId, String originHost, Decision d, String outcome, Instant now)
            throws SQLException {
        try (PreparedStatement ps = tx.c.prepareStatement("INSERT INTO decisions (session_id, origin_host, decided_at, "
                + "verdict, outcome, result_code, reason, policy_version, rule_id, enforce, grants, trace) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, sessionId);
            ps.setString(2, originHost);
            setTime(ps, 3, now == null ? Instant.now() : now);
            ps.setString(4, d.verdict().name());
            ps.setString(5, outcome);
            ps.setObject(6, d.rejectCode() == null ? null : d.rejectCode().code(), Types.INTEGER);
            ps.setString(7, d.reason() == null ? null : truncate(d.reason(), 1000));
            ps.setString(8, d.policyVersion());
            ps.setString(9, d.ruleId());
            ps.setBoolean(10, d.enforce());
            ps.setString(11, d.grants().stream().map(g -> g.key() + " class=" + g.sessionClass() + " ul="
                    + g.uplinkBps() + " dl=" + g.downlinkBps() + " dscp=" + g.dscp() + (g.modified() ? " modified" : ""))
                    .collect(Collectors.joining("; ")));
            ps.setString(12, String.join("\n", d.trace()));
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------
    // values

    static void checkSessionId(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (sessionId.isEmpty() || sessionId.length() > MAX_SESSION_ID) {
            throw new LedgerException("Session-Id must have 1.." + MAX_SESSION_ID + " characters, had "
                    + sessionId.length());
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** The database keeps microseconds; so does everything the ledger returns. */
    static Instant micros(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.MICROS);
    }

    static void setTime(PreparedStatement ps, int index, Instant i) throws SQLException {
        if (i == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(micros(i), ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Integer nullableInt(ResultSet rs, int index) throws SQLException {
        int v = rs.getInt(index);
        return rs.wasNull() ? null : v;
    }

    private static Direction direction(String label) {
        return switch (label.trim()) {
            case "UL" -> Direction.UPLINK;
            case "DL" -> Direction.DOWNLINK;
            default -> throw new LedgerException("unknown direction '" + label + "' in the ledger");
        };
    }

    /** The messages of an exception and its causes, with any password masked. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m);
            }
        }
        return LedgerConfig.redact(sb.isEmpty() ? e.getClass().getSimpleName() : sb.toString());
    }
}
