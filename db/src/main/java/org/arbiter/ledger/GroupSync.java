package org.arbiter.ledger;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.ledger.Ledger.LedgerException;

/**
 * Group commit for databases whose commit does not force the log to disk by itself (H2: a commit
 * reaches the operating system, {@code CHECKPOINT SYNC} forces it to the device).
 *
 * <p>A caller asks for durability after its transaction committed. It takes a ticket; one caller
 * at a time leads and forces everything committed so far, covering every ticket taken before it
 * started; the others wait for a force that covers their ticket. Under load one force serves many
 * commits, and no caller returns before a force that started after its commit has finished.
 *
 * <p>Thread-safe. A failed force fails its leader; each waiter then retries as leader, so a
 * caller either returns durable or gets a {@link LedgerException}.
 */
final class GroupSync {

    /** Forces everything committed so far to stable storage. */
    @FunctionalInterface
    interface Force {
        void force() throws SQLException;
    }

    /** Nothing to force: the database's own commit is durable (PostgreSQL) or nothing is (H2 in memory). */
    static final GroupSync NONE = new GroupSync(null, "none");

    private final Force force;
    private final String description;
    private long requested;
    private long forced;
    private boolean leading;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();

    GroupSync(Force force, String description) {
        this.force = force;
        this.description = description;
    }

    /** Returns once everything this thread committed before the call is on stable storage. */
    void awaitDurable() {
        if (force == null) {
            return;
        }
        waits.incrementAndGet();
        long ticket;
        synchronized (this) {
            ticket = ++requested;
        }
        while (true) {
            long target;
            synchronized (this) {
                while (forced < ticket && leading) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new LedgerException("interrupted while waiting for the ledger to reach disk");
                    }
                }
                if (forced >= ticket) {
                    return;
                }
                leading = true;
                target = requested;
            }
            boolean ok = false;
            try {
                force.force();
                forces.incrementAndGet();
                ok = true;
            } catch (SQLException e) {
                throw new LedgerException("forcing the ledger to disk (" + description + ") failed: " + e.getMessage(), e);
            } finally {
                synchronized (this) {
                    leading = false;
                    if (ok && target > forced) {
                        forced = target;
                    }
                    notifyAll();
                }
            }
        }
    }

    /** How many forces ran. */
    long forces() {
        return forces.get();
    }

    /** How many commits asked for durability. */
    long commits() {
        return waits.get();
    }

    String description() {
        return description;
    }
}
