package org.arbiter.ledger;

import java.io.IOException;
import java.nio.file.Path;
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
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 * change is made durable as one compact journal row before the call returns. Rows are stored in
 * blocks ({@code journal_block}, {@link JournalBlock}), one or a few per group transaction, and
 * {@code journal_session} names the row where each run of a session started and each rejection.
 * It is the single-writer ledger ({@code ledger.journal: true}), on H2 or PostgreSQL.
 *
 * <p><b>Why.</b> The relational ledger ({@link JdbcLedger}) writes and indexes about 70 rows per
 * session; the journal ledger writes 3 (admission, commit, end) into blocks, and one commit and
 * one force serve every change waiting at that moment. Admission is checked against counters per pool and
 * direction (core's {@link InMemoryLedger}), so it costs the same however many sessions run.
 *
 * <p><b>Change → journal row.</b> Under one lock the change is applied to the state and its row
 * appended to the writer's queue, so the journal's order is the order of the changes. The caller
 * then waits, outside the lock, until the {@link Writer} has written a group holding its row and
 * forced it to disk. A change that changed nothing still waits for every row appended before it,
 * so no caller acts on state that is not yet durable. The {@code ...BeforeDurable} changes return
 * once their row is queued; their caller waits without a thread, on {@link #whenDurable}, whose
 * dependents the writer runs once the group is forced (the engine's: sending the answer).
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
 * <p><b>Journal logs.</b> On a local H2 file a group is made durable by appending its blocks to a
 * {@link JournalLog} and forcing that, not by an H2 commit. Every 200 ms the writer hands the
 * blocks logged so far to the {@link Marker} and moves on to the other log; the marker moves them
 * into {@code journal_block} with the mark, forces the H2 file and empties the log they came from,
 * while the writer goes on. Opening moves what the logs hold beyond the table into it first.
 *
 * <p><b>Limits.</b> One writer: the state is this node's. On H2 the file lock keeps other processes
 * out; on PostgreSQL, {@link LedgerClaim} lets one journal ledger write a database and fences a node
 * another one took the journal over from (several writing nodes need {@link JdbcLedger}). Ended
 * sessions are not kept in memory: {@link #session} knows running sessions only, and the billing
 * records are read from the journal ({@link #chargingRecords}). Journal rows are never deleted.
 *
 * <p><b>Errors.</b> When a journal write fails, every waiting caller and every later call gets a
 * {@link LedgerException}, and every pending {@link #whenDurable} completes with one: the
 * in-memory state may then be ahead of the disk, and the ledger fails closed until it is opened
 * again from the journal.
 */
public final class JournalLedger implements OperatorLedger {

    private static final Logger LOG = LoggerFactory.getLogger(JournalLedger.class);

    /** A group's rows go into blocks of about this many bytes (a row is never split). */
    private static final int BLOCK_BYTES = 256 * 1024;
    /** H2's page cache for the journal ledger's local file, in KB ({@link #smallPageCache}). */
    static final int H2_CACHE_KB = 2048;
    /** The largest admission or rejection a journal row takes, in characters. */
    static final int MAX_ROW_CHARS = 512 * 1024;
    /** How often the writer moves the replay mark (and, with journal logs, the rows logged since into the table). */
    static final Duration MARK_EVERY = Duration.ofMillis(200);
    /**
     * With journal logs, the writer starts at most one log force in this time: at 2,500 sessions/s
     * it forced about 3,000 times a second, each force costing the kernel and the disk's queue CPU
     * whatever its size; a pause after each lets the groups of the next millisecond share one
     * force. Not on PostgreSQL, whose commit is the force: there the pause cost throughput
     * (BENCHMARKS.md, "One force a millisecond").
     */
    static final Duration FORCE_EVERY = Duration.ofMillis(1);
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    private final JdbcLedger store;
    /** The exclusive claim and ownership of a PostgreSQL database; {@link LedgerClaim#NONE} on H2. */
    private final LedgerClaim claim;
    private final String key;
    private final Ids ids = new Ids();
    private final InMemoryLedger state;
    /**
     * Orders the changes: a change is applied and its rows queued under it. A lock rather than the
     * state's monitor: hundreds of handler threads queue for it, and a monitor spins before it
     * parks (6% of the handlers' CPU at 512 in flight).
     */
    private final ReentrantLock changes = new ReentrantLock();
    /** Run start row per running session; guarded by {@link #changes}. */
    private final Map<String, Long> runStarts = new HashMap<>();
    /** Run starts of sessions whose end is not yet durable, and of running sessions; guarded by itself. */
    private final TreeSet<Long> starts = new TreeSet<>();
    /** (end row, start row) of ended sessions, oldest first; guarded by {@link #starts}. */
    private final ArrayDeque<long[]> endings = new ArrayDeque<>();
    private final Writer writer;
    private final Thread writerThread;
    /** Opened by the command-line tools: the state is rebuilt, nothing is written. */
    private final boolean readOnly;
    /**
     * The two journal logs of a local H2 file ({@link JournalLog}), which make the groups durable;
     * the writer appends to one while the other is emptied. Null on PostgreSQL, H2 in memory or
     * over TCP, and when opened for reading.
     */
    private final JournalLog[] logs;
    /** Where a reader finds the rows logged but not yet in {@code journal_block}; null when there are no logs. */
    private final Path[] logPaths;
    /** Blocks logged but not yet in {@code journal_block}, in row order; guarded by itself. */
    private final ArrayList<JournalBlock.Data> logged = new ArrayList<>();
    private final Marker marker = new Marker();
    private final Thread markerThread;
    private final long markEveryNanos;
    private final long forceEveryNanos;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JournalLedger(JdbcLedger store, LedgerClaim claim, String key, long lastSeq, boolean readOnly, JournalLog[] logs,
                          Path[] logPaths, Duration markEvery, Duration forceEvery) {
        this.store = store;
        this.markEveryNanos = markEvery.toNanos();
        this.forceEveryNanos = forceEvery.toNanos();
        this.claim = claim;
        this.key = key;
        this.readOnly = readOnly;
        this.logs = logs;
        this.logPaths = logPaths;
        this.markerThread = Thread.ofPlatform().daemon().name("journal-mark").unstarted(marker);
        this.state = new InMemoryLedger(store.topology(), false, ids);
        this.writer = new Writer(lastSeq);
        this.writerThread = Thread.ofPlatform().daemon().name("journal-writer").unstarted(writer);
    }

    /**
     * Opens the journal ledger: migrates the database, claims it (PostgreSQL: {@link LedgerClaim}),
     * rebuilds the state from the journal and starts the writer.
     *
     * @throws LedgerException when the database is open in this process or by another ledger already, holds
     *     sessions of the relational ledger, or its journal cannot be applied again
     */
    public static JournalLedger open(LedgerConfig config) {
        return open(config, MARK_EVERY);
    }

    /** {@link #open(LedgerConfig)}, the writer moving the mark every {@code markEvery}. */
    static JournalLedger open(LedgerConfig config, Duration markEvery) {
        return open(config, markEvery, FORCE_EVERY);
    }

    /**
     * {@link #open(LedgerConfig, Duration)}, the writer starting at most one log force every
     * {@code forceEvery}.
     */
    static JournalLedger open(LedgerConfig config, Duration markEvery, Duration forceEvery) {
        Objects.requireNonNull(config, "config");
        String key = config.jdbcUrl().split(";", 2)[0];
        if (!OPEN.add(key)) {
            throw new LedgerException("the journal ledger on " + config.redactedUrl() + " is open in this process already");
        }
        JdbcLedger store = null;
        LedgerClaim claim = LedgerClaim.NONE;
        JournalLog[] logs = null;
        try {
            store = JdbcLedger.open(config, true);
            // before anything is read: a journal taken over since is read after its last owner's last write
            claim = LedgerClaim.take(config, true);
            refuseRelationalSessions(store);
            Path[] logPaths = logPaths(store);
            if (logPaths != null) {
                smallPageCache(store);
                logs = new JournalLog[logPaths.length];
                for (int i = 0; i < logs.length; i++) {
                    logs[i] = JournalLog.open(logPaths[i]);
                }
                recover(store, logs);
            }
            long[] mark = readMark(store);
            long lastSeq = lastSeq(store);
            JournalLedger ledger = new JournalLedger(store, claim, key, lastSeq, false, logs, logPaths, markEvery, forceEvery);
            long started = System.nanoTime();
            int replayed = ledger.replay(mark[0]);
            ledger.starts.addAll(ledger.runStarts.values());
            ledger.ids.atLeast(mark[1]);
            ledger.reindex(mark[2]);
            ledger.writeMark(mark[0] < 0, true);
            ledger.writerThread.start();
            if (logs != null) {
                ledger.markerThread.start();
            }
            LOG.info("journal ledger open on {}: {} journal row(s) from {} applied in {} ms, {} running session(s){}",
                    config.redactedUrl(), replayed, Math.max(0, mark[0]), (System.nanoTime() - started) / 1_000_000,
                    ledger.state.activeSessions(), claim.epoch() == 0 ? "" : ", owner " + claim.epoch());
            return ledger;
        } catch (RuntimeException e) {
            OPEN.remove(key);
            closeLogs(logs);
            if (store != null) {
                store.close();
            }
            claim.close();
            throw e;
        }
    }

    private static void closeLogs(JournalLog[] logs) {
        if (logs != null) {
            for (JournalLog l : logs) {
                if (l != null) {
                    l.close();
                }
            }
        }
    }

    /**
     * Shrinks H2's page cache of a local file to {@link #H2_CACHE_KB}. The journal ledger reads its
     * tables at opening and for the operator's queries only, while every page it writes would stay
     * in the cache (by default 64 MB per GB of heap) until pushed out: on the heap, those pages
     * outlive a young collection or several, and the collector copies them each time.
     */
    private static void smallPageCache(JdbcLedger store) {
        try (Connection c = store.connection(); Statement s = c.createStatement()) {
            s.execute("SET CACHE_SIZE " + H2_CACHE_KB);
            c.commit();
        } catch (SQLException e) {
            throw new LedgerException("setting the page cache of " + store.config().redactedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The two journal logs of a local H2 file database: {@code <database path>.journal.log.0} and
     * {@code .1}; null on PostgreSQL, H2 in memory, and H2 over TCP (whose files are another host's).
     */
    private static Path[] logPaths(JdbcLedger store) {
        String url = store.config().jdbcUrl();
        if (!url.startsWith("jdbc:h2:") || Dialect.inMemory(url) || url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:")) {
            return null;
        }
        try (Connection c = store.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE_PATH()")) {
            String path = rs.next() ? rs.getString(1) : null;
            c.rollback();
            return path == null ? null : new Path[] {JournalLog.pathOf(path, 0), JournalLog.pathOf(path, 1)};
        } catch (SQLException e) {
            throw new LedgerException("finding the files of " + store.config().redactedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * At opening: the blocks of the logs that {@code journal_block} does not hold yet (the last
     * writer stopped or crashed before it moved them) go into it, in one transaction that is
     * forced before the logs are emptied. A block that is not exactly its rows, or rows that do
     * not follow the table's last, stop the opening: nothing is dropped.
     */
    private static void recover(JdbcLedger store, JournalLog[] logs) {
        List<JournalLog.Entry> entries = new ArrayList<>();
        for (JournalLog log : logs) {
            entries.addAll(log.contents().entries());
        }
        entries.sort(Comparator.comparingLong(JournalLog.Entry::firstSeq));
        String where = "the journal logs " + logs[0].path() + " and " + logs[1].path();
        long last = lastSeq(store);
        List<JournalBlock.Data> missing = new ArrayList<>();
        for (JournalLog.Entry e : entries) {
            if (e.lastSeq() <= last) {
                continue;
            }
            long expected = missing.isEmpty() ? last + 1 : missing.getLast().lastSeq() + 1;
            if (e.firstSeq() != expected) {
                throw new LedgerException(where + " hold rows " + e.firstSeq() + " to " + e.lastSeq()
                        + " where row " + expected + " follows the journal of " + store.config().redactedUrl()
                        + "; the ledger stays closed rather than open with rows missing");
            }
            try {
                missing.add(JournalBlock.Data.of(e.firstSeq(), e.lastSeq(), e.block()));
            } catch (IllegalArgumentException x) {
                throw new LedgerException(where + " hold a malformed block of rows " + e.firstSeq()
                        + " to " + e.lastSeq() + ": " + x.getMessage(), x);
            }
        }
        try {
            if (!missing.isEmpty()) {
                try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(JournalBlock.INSERT)) {
                    storeBlocks(ps, missing);
                    c.commit();
                } catch (SQLException x) {
                    throw new LedgerException("moving " + missing.size() + " block(s) of " + where
                            + " into " + store.config().redactedUrl() + " failed: " + x.getMessage(), x);
                }
                store.awaitDurable();
                LOG.info("{}: rows {} to {} moved into the ledger database", where,
                        missing.getFirst().firstSeq(), missing.getLast().lastSeq());
            }
            for (JournalLog log : logs) {
                if (!log.isEmpty()) {
                    log.clear();
                }
            }
        } catch (IOException x) {
            throw new LedgerException("emptying " + where + " failed: " + x.getMessage(), x);
        }
    }

    /**
     * Opens the journal ledger for reading, as the command-line tools do while the server may
     * run: the state is rebuilt from the journal; every change is refused, nothing is written.
     */
    public static JournalLedger openReadOnly(LedgerConfig config) {
        Objects.requireNonNull(config, "config");
        JdbcLedger store = JdbcLedger.open(config, true);
        try {
            JournalLedger ledger = new JournalLedger(store, LedgerClaim.NONE, null, lastSeq(store), true, null, logPaths(store), MARK_EVERY,
                    FORCE_EVERY);
            ledger.replay(readMark(store)[0]);
            ledger.writer.stop();
            return ledger;
        } catch (RuntimeException e) {
            store.close();
            throw e;
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

    /** {replay_from, next_hold_id, indexed_to}; {-1, 1, 0} when the journal ledger never opened this database. */
    private static long[] readMark(JdbcLedger store) {
        return row(store, "reading the journal mark",
                "SELECT replay_from, next_hold_id, indexed_to FROM journal_mark WHERE id = 1", -1, 1, 0);
    }

    private static long lastSeq(JdbcLedger store) {
        return row(store, "reading the journal", "SELECT last_seq FROM journal_block ORDER BY first_seq DESC LIMIT 1", 0)[0];
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
        int[] rows = {0};
        long[] seq = {-1};
        try {
            forEachRow("reading the journal", Math.max(0, from), r -> {
                seq[0] = r.seq();
                apply(r.seq(), r.kind(), r.sessionId(), r.body(), Math.max(0, from));
                rows[0]++;
                return true;
            });
        } catch (LedgerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LedgerException("the journal of " + store.config().redactedUrl() + " cannot be applied again at row "
                    + seq[0] + ": " + e.getMessage() + "; the ledger stays closed rather than start from another state", e);
        }
        return rows[0];
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
        return admit(request, true);
    }

    /** The admission's row is queued; the commit or release that follows waits for it to be durable. */
    @Override
    public Admission admitBeforeCommit(AdmissionRequest request) {
        return admit(request, false);
    }

    private Admission admit(AdmissionRequest request, boolean durable) {
        Objects.requireNonNull(request, "request");
        JdbcLedger.checkSessionId(request.sessionId());
        // encoded here, in parallel with other callers, not by the one writer thread
        String requestFields = JournalCodec.fields(o -> JournalCodec.request(o, withoutTrace(request)));
        checkRowSize(request.sessionId(), "admission", requestFields);
        return change(durable, () -> {
            long firstHold = ids.peek();
            Admission a = state.admit(request);
            if (!a.admitted()) {
                return a;
            }
            String outcome = a.status().name();
            Long run = runStarts.get(request.sessionId());
            long continues = run == null ? 0 : run;
            // sized to its fields: the encoder's default is for the fields alone
            RowBody body = o -> o.num(firstHold).str(outcome).fields(requestFields).num(continues).text();
            if (run == null) {
                // a new run: its first row holds the replay mark from the moment it is queued,
                // before the writer can make it durable and move the mark past it
                synchronized (starts) {
                    long seq = writer.append("ADMIT", request.sessionId(), request.now(), body, true);
                    if (!a.holds().isEmpty()) {
                        runStarts.put(request.sessionId(), seq);
                        starts.add(seq);
                    }
                }
            } else {
                long seq = writer.append("ADMIT", request.sessionId(), request.now(), body, false);
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
        return commit(sessionId, now, true);
    }

    /** The commit's row is queued; {@link #whenDurable} completes once it is durable. */
    @Override
    public boolean commitBeforeDurable(String sessionId, Instant now) {
        return commit(sessionId, now, false);
    }

    /**
     * Completes when the group of the last row queued is on disk, on the writer's thread, which
     * runs the dependents there and then: between its force and the next group's write. They
     * must not block.
     */
    @Override
    public CompletionStage<Void> whenDurable() {
        return writer.lastGroup().stage();
    }

    private boolean commit(String sessionId, Instant now, boolean durable) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(now, "now");
        return change(durable, () -> {
            boolean committed = state.commit(sessionId, now);
            if (committed) {
                writer.append("COMMIT", sessionId, now, o -> o.time(now).text(), false);
            }
            return committed;
        });
    }

    @Override
    public Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now) {
        return release(sessionId, cause, now, true);
    }

    /** The release's row is queued; {@link #whenDurable} completes once it is durable. */
    @Override
    public Optional<SessionRelease> releaseBeforeDurable(String sessionId, TerminationCause cause, Instant now) {
        return release(sessionId, cause, now, false);
    }

    private Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now, boolean durable) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(now, "now");
        return change(durable, () -> {
            Optional<SessionRelease> r = state.release(sessionId, cause, now);
            r.ifPresent(ended -> ended(sessionId,
                    writer.append("RELEASE", sessionId, now, recordRow(cause, now, ended.record()), false)));
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
                ended(r.sessionId(), writer.append("EXPIRE", r.sessionId(), now, recordRow(null, now, r.record()), false));
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
                writer.append("INTERIM", cdr.sessionId(), now, recordRow(null, now, cdr), false);
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
        return change(true, apply);
    }

    /** As {@link #change(Supplier)}; without {@code durable}, returns once the rows are queued. */
    private <T> T change(boolean durable, Supplier<T> apply) {
        Group group;
        T result;
        changes.lock();
        try {
            writer.check();
            result = apply.get();
            group = writer.lastGroup();
        } finally {
            changes.unlock();
        }
        if (durable) {
            group.await();
        }
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
    private static RowBody recordRow(TerminationCause cause, Instant now, ChargingRecord cdr) {
        return o -> {
            if (cause != null) {
                o.name(cause);
            }
            JournalCodec.record(o.time(now), cdr);
            return o.text();
        };
    }

    /** Refuses a row the journal would not take, before anything changes. */
    private static void checkRowSize(String sessionId, String what, String body) {
        if (body.length() > MAX_ROW_CHARS) {
            throw new LedgerException("the " + what + " of session " + sessionId + " is " + body.length()
                    + " characters as a journal row, more than the journal takes (" + MAX_ROW_CHARS + ")");
        }
    }

    /**
     * Whether a journal row gets an entry in the session index: a rejection, or an admission that
     * continues no run (its last field, the row that started its run, is 0).
     */
    static boolean startsEntry(String kind, String body) {
        return kind.equals("REJECT")
                || kind.equals("ADMIT") && body.substring(body.lastIndexOf(JournalCodec.SEP) + 1).equals("0");
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
        checkRowSize(sessionId, "rejection", body);
        change(() -> writer.append("REJECT", sessionId, now, record -> body, true));
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
    public Optional<String> failure() {
        LedgerException f = writer.failure;
        return f == null ? Optional.empty() : Optional.of(writer.failedClosed(f));
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
        changes.lock();
        try {
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
        } finally {
            changes.unlock();
        }
    }

    @Override
    public List<ChargingRecord> chargingRecords(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit <= 0) {
            return new ArrayList<>();
        }
        // the records in order of their rows' times (a record's stop time) and numbers; the
        // heap keeps the first limit of them
        Comparator<JournalBlock.Row> order = Comparator.comparing(JournalBlock.Row::at).thenComparingLong(JournalBlock.Row::seq);
        PriorityQueue<JournalBlock.Row> first = new PriorityQueue<>(order.reversed());
        Map<Long, ChargingRecord> records = new HashMap<>();
        // a block's first_at and last_at are stored to the microsecond: widen by a millisecond,
        // then compare the exact instants
        blocks("reading billing records", "SELECT first_seq, last_seq, data FROM journal_block WHERE first_seq > ? "
                + "AND last_at >= ? AND first_at < ? ORDER BY first_seq LIMIT " + PAGE, false, ps -> {
            ps.setTimestamp(2, Timestamp.from(from.minusMillis(1)));
            ps.setTimestamp(3, Timestamp.from(to.plusMillis(1)));
        }, -1, r -> {
            if (!r.kind().equals("RELEASE") && !r.kind().equals("EXPIRE") && !r.kind().equals("INTERIM")) {
                return true;
            }
            JournalCodec.In in = new JournalCodec.In(r.body());
            if (r.kind().equals("RELEASE")) {
                in.name(TerminationCause.class);
            }
            in.time();
            ChargingRecord cdr = JournalCodec.record(in);
            if (cdr.stoppedAt().isBefore(from) || !cdr.stoppedAt().isBefore(to)) {
                return true;
            }
            first.add(r);
            records.put(r.seq(), cdr);
            if (first.size() > limit) {
                records.remove(first.poll().seq());
            }
            return true;
        });
        List<JournalBlock.Row> kept = new ArrayList<>(first);
        kept.sort(order);
        List<ChargingRecord> out = new ArrayList<>(kept.size());
        for (JournalBlock.Row r : kept) {
            out.add(records.get(r.seq()));
        }
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
        blocks("reading recent decisions", "SELECT first_seq, last_seq, data FROM journal_block WHERE first_seq < ? "
                + "ORDER BY first_seq DESC LIMIT " + PAGE, true, ps -> { }, Long.MAX_VALUE, r -> {
            if (r.kind().equals("ADMIT") || r.kind().equals("REJECT")) {
                out.add(audited(r).decision());
            }
            return out.size() < limit;
        });
        return out;
    }

    /**
     * The decisions of one session, oldest first: the session index names where each of its runs
     * started and each of its rejections up to the mark's {@code indexed_to}; the rows from the
     * first of them are read until the session's last run has ended (or the journal's end, while
     * it runs), and the rows after {@code indexed_to}, which the index does not cover yet, are
     * read to the journal's end.
     */
    @Override
    public List<AuditedDecision> decisions(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<Long> entries = new ArrayList<>();
        long indexedTo;
        try (Connection c = store.connection();
             PreparedStatement mark = c.prepareStatement("SELECT indexed_to FROM journal_mark WHERE id = 1");
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM journal_session WHERE session_id = ? ORDER BY seq")) {
            // the mark first: the entries it covers were committed with it, so the query after it sees them
            try (ResultSet rs = mark.executeQuery()) {
                indexedTo = rs.next() ? rs.getLong(1) : 0;
            }
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(rs.getLong(1));
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new LedgerException("reading the session index of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
        List<AuditedDecision> out = new ArrayList<>();
        boolean[] running = {false};
        long[] seen = {indexedTo};
        Predicate<JournalBlock.Row> collect = r -> {
            seen[0] = Math.max(seen[0], r.seq());
            if (r.sessionId().equals(sessionId)) {
                switch (r.kind()) {
                    case "ADMIT" -> {
                        Audited a = audited(r);
                        out.add(a.decision());
                        if (a.continues() == 0) {
                            running[0] = a.holds();
                        } else if (!a.holds()) {
                            running[0] = false;
                        }
                    }
                    case "REJECT" -> out.add(audited(r).decision());
                    case "RELEASE", "EXPIRE" -> running[0] = false;
                    default -> { }
                }
            }
            return true;
        };
        if (!entries.isEmpty()) {
            long lastEntry = entries.getLast();
            forEachRow("reading decisions of session " + sessionId, entries.getFirst(),
                    r -> collect.test(r) && (r.seq() < lastEntry || running[0]));
        }
        forEachRow("reading decisions of session " + sessionId, seen[0] + 1, collect);
        return out;
    }

    /** An ADMIT or REJECT row as an audit trail entry; for an ADMIT, its run and whether it held anything. */
    private record Audited(AuditedDecision decision, long continues, boolean holds) {}

    private static Audited audited(JournalBlock.Row row) {
        JournalCodec.In in = new JournalCodec.In(row.body());
        String originHost;
        String outcome;
        Decision d;
        long continues = 0;
        boolean holds = false;
        if (row.kind().equals("ADMIT")) {
            in.num();
            outcome = in.str();
            AdmissionRequest r = JournalCodec.request(in);
            continues = in.num();
            originHost = r.originHost();
            d = r.decision();
            holds = !r.holds().isEmpty();
        } else {
            originHost = in.str();
            in.time();
            d = JournalCodec.decision(in);
            outcome = "REFUSED";
        }
        return new Audited(new AuditedDecision(row.seq(), row.sessionId(), originHost, row.at(), d.verdict(), outcome,
                d.rejectCode() == null ? null : d.rejectCode().code(), d.reason(), d.policyVersion(), d.ruleId()),
                continues, holds);
    }

    @FunctionalInterface
    private interface Bind {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Journal blocks read per query. */
    private static final int PAGE = 16;

    /** The rows from row {@code from} on, in order, until {@code sink} returns false. */
    private void forEachRow(String what, long from, Predicate<JournalBlock.Row> sink) {
        long start = row(store, what, "SELECT first_seq FROM journal_block WHERE first_seq <= " + from
                + " ORDER BY first_seq DESC LIMIT 1", from)[0];
        blocks(what, "SELECT first_seq, last_seq, data FROM journal_block WHERE first_seq > ? ORDER BY first_seq LIMIT "
                + PAGE, false, ps -> { }, start - 1, r -> r.seq() < from || sink.test(r));
    }

    /**
     * Reads blocks a page at a time ({@code sql} takes the last block's first row as its first
     * parameter, starting with {@code after}, then what {@code bind} sets) in one read-only
     * transaction, and gives their rows, backwards when {@code descending}, to {@code sink} until
     * it returns false. A malformed block fails naming it.
     */
    private void blocks(String what, String sql, boolean descending, Bind bind, long after, Predicate<JournalBlock.Row> sink) {
        // the logged blocks before the table: a block moved into it meanwhile is read there
        List<JournalBlock.Data> tail = tail();
        boolean[] stopped = {false};
        // descending: the lowest row read from the logs; ascending: the highest read from the table
        long[] edge = {descending ? Long.MAX_VALUE : Long.MIN_VALUE};
        Predicate<JournalBlock.Row> pass = r -> {
            stopped[0] = !sink.test(r);
            return !stopped[0];
        };
        if (descending) {
            for (int i = tail.size() - 1; i >= 0 && !stopped[0]; i--) {
                List<JournalBlock.Row> rows = tailRows(what, tail.get(i));
                for (int j = rows.size() - 1; j >= 0 && !stopped[0]; j--) {
                    JournalBlock.Row r = rows.get(j);
                    if (r.seq() < after) {
                        edge[0] = r.seq();
                        pass.test(r);
                    }
                }
            }
            if (!stopped[0]) {
                tableBlocks(what, sql, true, bind, after, r -> r.seq() >= edge[0] || pass.test(r));
            }
            return;
        }
        tableBlocks(what, sql, false, bind, after, r -> {
            edge[0] = Math.max(edge[0], r.seq());
            return pass.test(r);
        });
        for (int i = 0; i < tail.size() && !stopped[0]; i++) {
            for (JournalBlock.Row r : tailRows(what, tail.get(i))) {
                if (r.seq() > edge[0] && !pass.test(r)) {
                    break;
                }
            }
        }
    }

    private List<JournalBlock.Row> tailRows(String what, JournalBlock.Data d) {
        try {
            return JournalBlock.decode(d.firstSeq(), d.lastSeq(), d.bytes());
        } catch (IllegalArgumentException e) {
            throw new LedgerException(what + ": the logged journal block of row " + d.firstSeq() + " is malformed: "
                    + e.getMessage(), e);
        }
    }

    /** {@link #blocks}, from {@code journal_block} alone. */
    private void tableBlocks(String what, String sql, boolean descending, Bind bind, long after, Predicate<JournalBlock.Row> sink) {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            long next = after;
            boolean more = true;
            while (more) {
                ps.setLong(1, next);
                int read = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        long first = rs.getLong(1);
                        next = first;
                        List<JournalBlock.Row> rows;
                        try {
                            rows = JournalBlock.decode(first, rs.getLong(2), rs.getBytes(3));
                        } catch (IllegalArgumentException e) {
                            throw new LedgerException(what + ": the journal block of row " + first + " on "
                                    + store.config().redactedUrl() + " is malformed: " + e.getMessage(), e);
                        }
                        for (int i = 0; i < rows.size() && more; i++) {
                            more = sink.test(rows.get(descending ? rows.size() - 1 - i : i));
                        }
                        if (!more) {
                            break;
                        }
                    }
                }
                more &= read == PAGE;
            }
            c.rollback();
        } catch (SQLException e) {
            throw new LedgerException(what + " from the journal of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns once the mark the writer offered last (with journal logs) is in the table, or has
     * failed: for tests that look at the table.
     */
    void awaitMarked() {
        try {
            marker.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Journal rows made durable since opening, the group transactions that wrote them and the
     * forces that made them durable: rows per group is how many changes shared one write and one
     * force.
     */
    public record WriterCounts(long rows, long groups, long forces) {}

    /** The writer's counts since this ledger was opened. */
    public WriterCounts writerCounts() {
        return new WriterCounts(writer.rows.get(), writer.groups.get(), writer.forces.get());
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
                if (logs != null) {
                    marker.stop();
                    markerThread.join(Duration.ofSeconds(30));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writerThread.isAlive() || markerThread.isAlive()) {
                LOG.warn("closing the journal ledger on {}: the {} did not stop within 30 s; the mark is left as it "
                        + "was (the next open replays from it)", store.config().redactedUrl(),
                        writerThread.isAlive() ? "writer" : "marker");
            } else if (writer.failure == null) {
                try {
                    writeMark(false, true);
                } catch (LedgerException e) {
                    // the next open replays from the last mark written: more rows, nothing lost
                    LOG.warn("closing the journal ledger on {}: {}", store.config().redactedUrl(), e.getMessage());
                }
            }
            LOG.info("journal ledger closed on {} ({} journal row(s) in {} group transaction(s))",
                    store.config().redactedUrl(), writer.rows.get(), writer.groups.get());
        } finally {
            closeLogs(logs);
            store.close();
            claim.close();
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

    /**
     * Writes the replay mark with the session index entries it covers and, with journal logs, the
     * blocks logged since the last mark, in one transaction; {@code force}: then forces the
     * database and empties the logs (opening and closing). The writer's thread, or the opener's
     * and closer's while it does not run.
     */
    private void writeMark(boolean insert, boolean force) {
        moveAndMark(logs == null ? List.of() : tail(), writer.unindexed, replayFrom(writer.durable), writer.written, insert);
        writer.unindexed.clear();
        if (force) {
            store.awaitDurable();
            if (logs != null) {
                for (JournalLog l : logs) {
                    try {
                        l.clear();
                    } catch (IOException e) {
                        throw new LedgerException("emptying the journal log " + l.path() + " failed: " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /**
     * One transaction: the logged blocks {@code moving} (the first of {@link #logged}) into the
     * table, the session index entries {@code index}, and the mark; then drops the blocks moved
     * from {@link #logged}.
     */
    private void moveAndMark(List<JournalBlock.Data> moving, List<IndexEntry> index, long replayFrom, long indexedTo,
                             boolean insert) {
        try (Connection c = store.connection()) {
            claim.fence(c);
            if (!moving.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(JournalBlock.INSERT)) {
                    storeBlocks(ps, moving);
                }
            }
            index(c, index);
            mark(c, replayFrom, insert, indexedTo);
            c.commit();
        } catch (SQLException e) {
            throw new LedgerException("writing the journal mark of " + store.config().redactedUrl() + " failed: "
                    + e.getMessage(), e);
        }
        if (!moving.isEmpty()) {
            synchronized (logged) {
                logged.subList(0, moving.size()).clear();
            }
        }
    }

    /**
     * Stores logged blocks in {@code journal_block}, consecutive ones joined up to
     * {@link #BLOCK_BYTES}: fewer, larger rows for the database's B-tree.
     */
    private static void storeBlocks(PreparedStatement ps, List<JournalBlock.Data> blocks) throws SQLException {
        List<JournalBlock.Data> run = new ArrayList<>();
        int bytes = 0;
        for (JournalBlock.Data d : blocks) {
            if (!run.isEmpty() && bytes + d.bytes().length > BLOCK_BYTES) {
                JournalBlock.insert(ps, JournalBlock.Data.join(run));
                run.clear();
                bytes = 0;
            }
            run.add(d);
            bytes += d.bytes().length;
        }
        if (!run.isEmpty()) {
            JournalBlock.insert(ps, JournalBlock.Data.join(run));
        }
    }

    /**
     * The blocks logged but not yet in {@code journal_block}, in row order: this writer's; opened
     * for reading, those of the logs' files (some may be in the table by now). Empty without logs.
     */
    private List<JournalBlock.Data> tail() {
        if (logs != null) {
            synchronized (logged) {
                return new ArrayList<>(logged);
            }
        }
        if (logPaths == null) {
            return List.of();
        }
        List<JournalLog.Entry> entries = new ArrayList<>();
        for (Path p : logPaths) {
            entries.addAll(JournalLog.readFile(p).entries());
        }
        entries.sort(Comparator.comparingLong(JournalLog.Entry::firstSeq));
        List<JournalBlock.Data> out = new ArrayList<>(entries.size());
        for (JournalLog.Entry e : entries) {
            try {
                out.add(JournalBlock.Data.of(e.firstSeq(), e.lastSeq(), e.block()));
            } catch (IllegalArgumentException x) {
                throw new LedgerException("the journal log block of rows " + e.firstSeq() + " to " + e.lastSeq()
                        + " is malformed: " + x.getMessage(), x);
            }
        }
        return out;
    }

    /** @param indexedTo the last row whose session index entry, if it has one, is in {@code journal_session} */
    private void mark(Connection c, long replayFrom, boolean insert, long indexedTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert
                ? "INSERT INTO journal_mark (replay_from, next_hold_id, indexed_to, written_at, id) VALUES (?, ?, ?, ?, 1)"
                : "UPDATE journal_mark SET replay_from = ?, next_hold_id = ?, indexed_to = ?, written_at = ? WHERE id = 1")) {
            ps.setLong(1, replayFrom);
            ps.setLong(2, ids.peek());
            ps.setLong(3, indexedTo);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** Writes the session index entries {@code rows} (in the transaction of the mark that covers them). */
    private static void index(Connection c, List<IndexEntry> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO journal_session (session_id, seq) VALUES (?, ?)")) {
            for (IndexEntry e : rows) {
                ps.setString(1, e.sessionId());
                ps.setLong(2, e.seq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * At opening: the session index entries of the rows after {@code indexed_to}, which the last
     * writer wrote without a mark to cover them (it stopped or crashed first); the opening mark
     * writes them.
     */
    private void reindex(long indexedTo) {
        forEachRow("indexing the journal after row " + indexedTo, indexedTo + 1, r -> {
            if (startsIndexedRun(r)) {
                writer.unindexed.add(new IndexEntry(r.sessionId(), r.seq()));
            }
            return true;
        });
    }

    /** Whether a row gets a session index entry: an admission that starts a run, or a rejection. */
    private static boolean startsIndexedRun(JournalBlock.Row r) {
        return r.kind().equals("REJECT") || (r.kind().equals("ADMIT") && audited(r).continues() == 0);
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

    /** An entry of the session index: where a run of the session started, or a rejection of it. */
    private record IndexEntry(String sessionId, long seq) {}

    /** A queued row; {@code indexed} rows get an entry in {@code journal_session}. */
    private record Entry(long seq, String kind, String sessionId, Instant at, RowBody body, boolean indexed) {}

    /**
     * A row's body, encoded by the writer when it writes the row: into {@code record}, an empty
     * record the writer keeps for every row, whose text it returns (or text made before).
     */
    @FunctionalInterface
    private interface RowBody {
        CharSequence text(JournalCodec.Out record);
    }

    /**
     * The rows of one group transaction: its callers wait for {@link #await}, which returns once
     * the group is on disk or throws the failure that lost it.
     */
    private static final class Group {
        private static final int WAITER_STRIPES = 8;
        // waiters park at once and are woken one by one: hundreds of callers spinning before they
        // park (a future's join) or checking their interrupt status on every wake (a latch) cost
        // more CPU than the group's write; they queue in stripes by thread, as hundreds of callers
        // adding to one queue retry their CAS (3% of the handlers' CPU at 512 in flight)
        private final List<ConcurrentLinkedQueue<Thread>> waiters = new ArrayList<>(WAITER_STRIPES);
        private volatile boolean done;
        private volatile Throwable failure;
        /** For callers that do not wait on a thread ({@link #whenDurable}); completed after the waiters are woken. */
        private final CompletableFuture<Void> stage = new CompletableFuture<>();

        Group() {
            for (int i = 0; i < WAITER_STRIPES; i++) {
                waiters.add(new ConcurrentLinkedQueue<>());
            }
        }

        void complete() {
            done = true;
            for (ConcurrentLinkedQueue<Thread> stripe : waiters) {
                for (Thread t : stripe) {
                    LockSupport.unpark(t);
                }
            }
            Throwable cause = failure;
            // the dependents run here; one that throws fails its own stage, not this thread
            if (cause == null) {
                stage.complete(null);
            } else {
                stage.completeExceptionally(lost(cause));
            }
        }

        void fail(Throwable cause) {
            failure = cause;
            complete();
        }

        CompletionStage<Void> stage() {
            return stage;
        }

        private static LedgerException lost(Throwable cause) {
            return new LedgerException("the journal did not reach disk: " + cause.getMessage(), cause);
        }

        void await() {
            if (!done) {
                waiters.get((int) (Thread.currentThread().threadId() % WAITER_STRIPES)).add(Thread.currentThread());
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
                throw lost(cause);
            }
        }
    }

    /**
     * The journal writer: one thread takes every queued row, in order, writes them in one group
     * transaction, forces it to disk and releases the group's callers; the rows queued meanwhile
     * form the next group. The force: a journal log's, or the database's ({@link
     * JdbcLedger#awaitDurable}: nothing on PostgreSQL, whose commit forces its own log). A journal
     * log's force starts at most every {@link #FORCE_EVERY}: after a shorter one the writer pauses
     * for the rest, and the rows queued meanwhile share the next force. Rows are encoded outside
     * the ledger's lock: an admission's request by its caller, the rest by this thread.
     *
     * <p>Why one thread: a second one forcing while this one wrote the next group cost every
     * durable call one more thread wake-up, 100 to 250 µs on a virtual machine, more than the
     * overlap saved (BENCHMARKS.md, "The journal writer forcing the log itself").
     *
     * <p>States: running → (stop) draining, which writes and forces what is queued and ends;
     * running → (a failed write or force) failed, which fails the group written and the group
     * filling, and refuses every later append.
     */
    private final class Writer implements Runnable {
        /** The block being built and the row being encoded: this thread's, used again for every group. */
        private final JournalBlock.Builder block = new JournalBlock.Builder();
        private final JournalCodec.Out record = new JournalCodec.Out();
        private ArrayDeque<Entry> queue = new ArrayDeque<>();
        private Group open = new Group();
        private Group last;
        private long lastSeq;
        private volatile long durable;
        private volatile LedgerException failure;
        private boolean stopping;
        private long markedAt = System.nanoTime();
        /** The last row of the last group written (this thread's, or the opener's before it starts). */
        private long written;
        /**
         * Session index entries of rows written but not yet in {@code journal_session}: they go in
         * with the next replay mark, whose {@code indexed_to} then names the last row they cover.
         * One batch per mark instead of one per group (0.85x the writer's CPU with 16 callers).
         * Only the Session-Id and row number are kept, not the row. This thread's, or the
         * opener's and closer's while it does not run.
         */
        private ArrayList<IndexEntry> unindexed = new ArrayList<>();
        /** The journal log this thread appends to (0 or 1), with logs. */
        private int current;
        final AtomicLong rows = new AtomicLong();
        final AtomicLong groups = new AtomicLong();
        final AtomicLong forces = new AtomicLong();

        Writer(long lastSeq) {
            this.lastSeq = lastSeq;
            this.written = lastSeq;
            this.durable = lastSeq;
            this.last = new Group();
            this.last.complete();
        }

        /**
         * Queues a row; its body is encoded when it is written. Returns the row's number.
         *
         * @param indexed whether the row starts a session's run or records a rejection: the
         *     session index lists those rows
         */
        synchronized long append(String kind, String sessionId, Instant at, RowBody body, boolean indexed) {
            check();
            if (readOnly) {
                throw new LedgerException("the journal ledger on " + store.config().redactedUrl()
                        + " is open for reading only (the command-line tools): it changes nothing");
            }
            if (stopping) {
                throw new LedgerException("the journal ledger is closed");
            }
            long seq = ++lastSeq;
            queue.add(new Entry(seq, kind, sessionId, at, body, indexed));
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
                throw new LedgerException(failedClosed(f), f);
            }
        }

        String failedClosed(LedgerException f) {
            return "the journal ledger failed closed after a journal write failed: " + f.getMessage();
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
                long forceStart;
                try {
                    // the log appended to: the writer may move on to the other one while writing
                    JournalLog log = logs == null ? null : logs[current];
                    write(rowsToWrite);
                    forceStart = System.nanoTime();
                    force(log);
                } catch (Exception | Error e) {
                    // whatever ends the writer fails its callers: none may wait for a row never written
                    LOG.error("journal write of {} row(s) failed on {}; the ledger fails closed: {}", rowsToWrite.size(),
                            store.config().redactedUrl(), e.getMessage());
                    LedgerException f = e instanceof LedgerException le ? le
                            : new LedgerException("writing " + rowsToWrite.size() + " journal row(s) to "
                                    + store.config().redactedUrl() + " failed: " + e.getMessage(), e);
                    // failed first: a caller released by its group's failure must find every later call refused
                    fail(f);
                    group.fail(f);
                    return;
                }
                durable = rowsToWrite.getLast().seq();
                rows.addAndGet(rowsToWrite.size());
                groups.incrementAndGet();
                forces.incrementAndGet();
                group.complete();
                // the rows that arrive meanwhile wait for the next force together
                long rest = forceEveryNanos - (System.nanoTime() - forceStart);
                if (logs != null && rest > 0) {
                    LockSupport.parkNanos(rest);
                }
            }
        }

        /** Forces the group written: to its journal log {@code log}, or to the database (no log). */
        private void force(JournalLog log) {
            if (log == null) {
                store.awaitDurable();
                return;
            }
            try {
                log.force();
            } catch (IOException e) {
                throw new LedgerException("forcing the journal log " + log.path() + " to disk failed: " + e.getMessage(), e);
            }
        }

        /** Fails the group filling, and every later append. */
        synchronized void fail(LedgerException f) {
            if (failure == null) {
                failure = f;
            }
            open.fail(f);
        }

        /**
         * With journal logs: appends the group's blocks to the current log; every 200 ms, once the
         * marker is idle, hands it the blocks logged so far and moves on to the other log.
         */
        private void writeLogged(ArrayDeque<Entry> group) {
            JournalLog log = logs[current];
            List<JournalBlock.Data> blocks = encode(group);
            try {
                log.append(blocks);
            } catch (IOException e) {
                throw new LedgerException("appending " + group.size() + " journal row(s) to the journal log " + log.path()
                        + " failed: " + e.getMessage(), e);
            }
            synchronized (logged) {
                logged.addAll(blocks);
            }
            written = group.getLast().seq();
            long now = System.nanoTime();
            if (now - markedAt >= markEveryNanos && marker.idle()) {
                List<JournalBlock.Data> moving = tail();
                // the other log is empty once the marker is idle (it emptied it last); this one is
                // emptied once its rows are in the table and the table is on disk
                JournalLog other = logs[1 - current];
                boolean moveOn = other.isEmpty();
                marker.offer(new Mark(moving, unindexed, replayFrom(durable), written, moveOn ? log : null));
                unindexed = new ArrayList<>();
                markedAt = now;
                if (moveOn) {
                    current = 1 - current;
                }
            }
        }

        /**
         * The group's rows as blocks of about {@link JournalLedger#BLOCK_BYTES} (a row is never split); the
         * rows the session index lists join {@link #unindexed}.
         */
        private List<JournalBlock.Data> encode(ArrayDeque<Entry> group) {
            List<JournalBlock.Data> blocks = new ArrayList<>(1);
            JournalBlock.Builder b = block.reset();
            for (Entry e : group) {
                b.add(e.seq(), e.kind(), e.sessionId(), e.at(), e.body().text(record.reset()));
                if (e.indexed()) {
                    unindexed.add(new IndexEntry(e.sessionId(), e.seq()));
                }
                if (b.size() >= BLOCK_BYTES) {
                    blocks.add(b.build());
                    b.reset();
                }
            }
            if (!b.isEmpty()) {
                blocks.add(b.build());
            }
            return blocks;
        }

        private void write(ArrayDeque<Entry> group) throws SQLException {
            if (logs != null) {
                writeLogged(group);
                return;
            }
            List<JournalBlock.Data> encoded = encode(group);
            try (Connection c = store.connection();
                 PreparedStatement blocks = c.prepareStatement(JournalBlock.INSERT)) {
                claim.fence(c);
                for (JournalBlock.Data d : encoded) {
                    JournalBlock.insert(blocks, d);
                }
                long now = System.nanoTime();
                boolean marked = now - markedAt >= markEveryNanos;
                if (marked) {
                    index(c, unindexed);
                    mark(c, replayFrom(durable), false, group.getLast().seq());
                }
                c.commit();
                written = group.getLast().seq();
                if (marked) {
                    unindexed.clear();
                    markedAt = now;
                }
            }
        }
    }

    /**
     * What the writer hands the {@link Marker}: the blocks logged up to row {@code indexedTo}, the
     * session index entries of the rows written since the last mark, where a replay may start, and
     * the log the writer moved on from ({@code emptied}, null when it stayed on it).
     */
    private record Mark(List<JournalBlock.Data> moving, List<IndexEntry> index, long replayFrom, long indexedTo,
                        JournalLog emptied) {}

    /**
     * Moves the logged blocks into {@code journal_block} with the replay mark (one H2 transaction,
     * {@link #moveAndMark}), then, when the writer moved on from a log, forces the H2 file and
     * empties that log: all of it is in the table and on disk by then. On its own thread, so that
     * the writer goes on logging groups meanwhile (on the writer, each mark held every caller for
     * 13 ms, median, at 2,500 sessions/s, and up to 29 ms).
     *
     * <p>Crash safety: a row leaves the logs only after the table holding it is forced, and the
     * writer appends to an empty log, so the logs always hold every row after the table's last:
     * opening ({@link #recover}) finds them in order.
     *
     * <p>States: idle → (offer) marking → idle; any → (stop) ends once the mark offered is
     * written, leaving the rest to the closing mark; marking → (a failed transaction, force or
     * truncation) failed, which fails the ledger closed and keeps the logs' rows for the next open.
     */
    private final class Marker implements Runnable {
        private Mark offered;
        private boolean busy;
        private boolean stopping;
        private boolean failed;

        /** Whether a mark may be offered: none is being written (only the writer offers). */
        synchronized boolean idle() {
            return offered == null && !busy;
        }

        synchronized void offer(Mark mark) {
            if (!idle()) {
                throw new IllegalStateException("a journal mark is being written already");
            }
            offered = mark;
            notifyAll();
        }

        synchronized void stop() {
            stopping = true;
            notifyAll();
        }

        /** Returns once the mark offered last is written, or has failed. */
        synchronized void await() throws InterruptedException {
            while ((offered != null || busy) && !failed) {
                wait();
            }
        }

        @Override
        public void run() {
            while (true) {
                Mark mark;
                synchronized (this) {
                    while (offered == null && !stopping) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            stopping = true;
                        }
                    }
                    if (offered == null) {
                        return;
                    }
                    mark = offered;
                    offered = null;
                    busy = true;
                }
                try {
                    moveAndMark(mark.moving(), mark.index(), mark.replayFrom(), mark.indexedTo(), false);
                    if (mark.emptied() != null) {
                        store.awaitDurable();
                        mark.emptied().clear();
                    }
                } catch (Exception | Error e) {
                    LOG.error("writing the journal mark of {} failed; the ledger fails closed: {}", store.config().redactedUrl(),
                            e.getMessage());
                    writer.fail(e instanceof LedgerException le ? le
                            : new LedgerException("writing the journal mark of " + store.config().redactedUrl() + " failed: "
                                    + e.getMessage(), e));
                    synchronized (this) {
                        // busy for good: the writer offers no other mark
                        failed = true;
                        notifyAll();
                    }
                    return;
                }
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }
}
