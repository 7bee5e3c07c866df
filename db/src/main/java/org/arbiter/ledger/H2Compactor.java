package org.arbiter.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.arbiter.core.ledger.Ledger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an H2 database file from growing with dead pages while the ledger runs.
 *
 * <h2>Why</h2>
 * Every H2 commit writes the pages it changed into a new chunk of the file; the older copies of
 * those pages stay in their chunks as dead space. With {@code WRITE_DELAY 0} (the ledger's
 * durability) H2 runs no background thread, so nothing rewrites the live pages of mostly dead
 * chunks and nothing is freed: a journal ledger under load kept about a quarter of its chunks'
 * bytes live and grew by about 7.5 KB per session for about 2.5 KB of rows, and H2 kept a record
 * per chunk in memory.
 *
 * <h2>Design</h2>
 * One daemon thread, every {@link #EVERY}: while the live share of the chunks is below {@link
 * #TARGET_FILL_PERCENT}, H2 rewrites at most {@link #WRITE_BYTES} of the live pages of the emptiest
 * chunks ({@code MVStore.compact}); a chunk left without live pages is reused once H2's retention
 * time has passed. 5 MB/s keeps up with about 2,000 journal sessions per second (each leaves
 * about 2.5 KB of live rows in chunks otherwise dead) and costs little at saturation (BENCHMARKS.md). Durability is H2's own: the rewritten pages are committed like any change, and
 * the next group force ({@code CHECKPOINT SYNC}) writes them. A pass that fails is logged and
 * tried again at the next tick; compaction never fails the ledger.
 *
 * <pre>
 *   RUNNING --close()--> STOPPED (the thread ends before the connections close; it is woken,
 *                                  not interrupted: an interrupt closes H2's file channel)
 * </pre>
 */
final class H2Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compactor.class);

    static final Duration EVERY = Duration.ofMillis(200);
    static final int TARGET_FILL_PERCENT = 80;
    static final int WRITE_BYTES = 1 << 20;

    private final MVStore store;
    private final String url;
    private final Thread thread;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private volatile boolean stopping;

    private H2Compactor(MVStore store, String url) {
        this.store = store;
        this.url = url;
        this.thread = Thread.ofPlatform().daemon().name("h2-compactor").unstarted(this::run);
    }

    /**
     * Starts compacting the database behind {@code dataSource}, or returns null when its
     * connections are not embedded in this process (a client of another process's database
     * through {@code AUTO_SERVER}: that process compacts).
     */
    static H2Compactor start(DataSource dataSource, String redactedUrl) {
        MVStore store;
        try (Connection c = dataSource.getConnection()) {
            if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
                return null;
            }
            store = local.getDatabase().getStore().getMvStore();
            c.rollback();
        } catch (SQLException e) {
            throw new Ledger.LedgerException("reading the H2 store of " + redactedUrl + " failed: " + e.getMessage(), e);
        }
        H2Compactor compactor = new H2Compactor(store, redactedUrl);
        compactor.thread.start();
        return compactor;
    }

    private void run() {
        while (!stopping) {
            // parked, never interrupted: an interrupt closes the FileChannel H2 may be writing
            LockSupport.parkNanos(EVERY.toNanos());
            if (stopping || store.isClosed()) {
                return;
            }
            long started = System.nanoTime();
            try {
                store.compact(TARGET_FILL_PERCENT, WRITE_BYTES);
            } catch (RuntimeException e) {
                if (stopping || store.isClosed()) {
                    return;
                }
                LOG.warn("compacting the H2 file of {} failed; trying again in {} ms: {}", url, EVERY.toMillis(), e.getMessage());
            }
            passes.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - started);
        }
    }

    /** Passes run, and the time they took in nanoseconds. */
    long[] counts() {
        return new long[] {passes.get(), nanos.get()};
    }

    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("H2 compaction of {} stopped after {} pass(es), {} ms in all", url, passes.get(), nanos.get() / 1_000_000);
    }
}
