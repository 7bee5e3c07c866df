package org.arbiter.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.value.VersionedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the commits that a crash left half applied in an H2 file, which H2 2.5.252 leaves
 * unfinished at open.
 *
 * <h2>Why</h2>
 * H2 (MVStore) commits a transaction in three steps: it appends a commit marker to the
 * transaction's undo log, turns each of the transaction's uncommitted map entries into a committed
 * one, and clears the undo log. A chunk that another thread writes in between (a group force's
 * {@code CHECKPOINT SYNC}, an {@link H2Compactor} pass) holds the marker, the entries not yet
 * turned, and the undo log. If the process dies before the next chunk, the next open finds a
 * <em>leftover</em> transaction in state COMMITTED ({@code TransactionStore.init}), and
 * {@code TransactionStore.endLeftoverTransactions} is meant to finish it with
 * {@code Transaction.commit()}. Since H2 commit 7fbdc03a ("minor simplification", December 2025,
 * after 2.4.240), that method applies a commit only to a transaction that was OPEN or PREPARED:
 * the leftover is neither applied nor ended. It stays registered as COMMITTED with its undo log,
 * every reader sees its rows as they were before it (or, for the entries turned before the chunk,
 * after it), and a writer that locks one of its rows spins at 100% CPU for ever:
 * {@code TransactionMap.set} finds the row uncommitted, waits for the blocker with
 * {@code Transaction.waitFor}, which returns at once for a transaction that is no longer active,
 * and tries again; the lock timeout is checked only while waiting, so it never applies.
 *
 * <h2>Design</h2>
 * The ledger opens an H2 file first through one connection of its own, before the pool, and calls
 * {@link #finish}: when that connection's session is the database's only one (this process has
 * just opened the file, so no transaction of ours is running), every transaction registered in
 * state COMMITTED is a leftover. For each, it walks the undo log ({@code Transaction.getChanges})
 * and turns every entry the leftover still holds into a committed one with its new value, or
 * removes it when the transaction deleted it: what H2's own post-commit step
 * ({@code CommitDecisionMaker}) does. Then it clears the undo log, so the next open finds
 * nothing. The rows become what the commit marker says was committed; nothing the killed process
 * told a caller is lost (a caller is told only after the group force that follows its commit, and
 * that force writes a chunk with the commit finished).
 *
 * <p>Safe to repeat: the undo log is cleared last, so a crash during the repair leaves a file on
 * which the next open finishes what is left (entries already committed are skipped). The repair
 * writes nothing itself; the next chunk H2 writes (the ledger forces the file at open) holds it.
 * When the session is not the only one (the file was already open in this process, whose first
 * ledger finished it), or not embedded ({@code AUTO_SERVER}: the owning process finishes it), it
 * does nothing.
 *
 * <pre>
 *   leftover COMMITTED --finish: entries turned committed, undo log cleared--> applied
 *                      (H2 keeps it registered until the database closes; it holds no row)
 * </pre>
 */
final class H2LeftoverTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(H2LeftoverTransactions.class);

    /** Names of H2's undo logs: the prefix, a dot for a log not renamed as committed, the transaction id. */
    private static final String UNDO_LOG = TransactionStore.UNDO_LOG_NAME_PREFIX + ".";

    private H2LeftoverTransactions() {
    }

    /** One leftover transaction that was finished: its id and how many entries it still held. */
    record Finished(int transactionId, int entries) {}

    /**
     * Finishes every leftover committed transaction of the database behind {@code c}, a
     * connection opened before any other of this process.
     *
     * @return the transactions finished, none when there was nothing to do
     * @throws LedgerException naming the database, the transaction and the cause when a leftover
     *     cannot be read or finished; the open must fail then rather than hang later
     */
    static List<Finished> finish(Connection c, String redactedUrl) {
        SessionLocal session;
        try {
            if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
                return List.of();
            }
            session = local;
        } catch (SQLException e) {
            throw new LedgerException("reading the H2 session of " + redactedUrl + " failed: " + e.getMessage(), e);
        }
        Database database = session.getDatabase();
        if (database.getSessions(false).length != 1) {
            LOG.debug("{} was already open in this process; its leftover transactions were finished then", redactedUrl);
            return List.of();
        }
        MVStore store = database.getStore().getMvStore();
        List<Finished> finished = new ArrayList<>();
        for (Transaction t : database.getStore().getTransactionStore().getOpenTransactions()) {
            if (t.getStatus() != Transaction.STATUS_COMMITTED) {
                continue;
            }
            try {
                finished.add(new Finished(t.getId(), apply(store, t)));
            } catch (RuntimeException e) {
                throw new LedgerException("finishing H2 transaction " + t.getId() + " of " + redactedUrl
                        + ", which a crash left committed but not applied, failed: " + JdbcLedger.describe(e), e);
            }
        }
        if (!finished.isEmpty()) {
            LOG.info("finished {} transaction(s) of {} that a crash left committed but not applied: {}", finished.size(),
                    redactedUrl, finished);
        }
        return finished;
    }

    /** Turns the entries {@code t} still holds into committed ones, then clears its undo log. */
    private static int apply(MVStore store, Transaction t) {
        int entries = 0;
        for (Iterator<TransactionStore.Change> changes = t.getChanges(0); changes.hasNext(); ) {
            TransactionStore.Change change = changes.next();
            // getChanges opened the map with its own types: openMap by name returns that instance
            MVMap<Object, VersionedValue<Object>> map = store.openMap(change.mapName);
            TransactionMap<Object, Object> held = t.openMapX(map);
            Object key = change.key;
            if (!held.isSameTransaction(key)) {
                continue; // turned before the crash, or written again by this transaction and seen already
            }
            Object value = map.get(key).getCurrentValue();
            if (value == null) {
                map.remove(key);
            } else {
                held.putCommitted(key, value);
            }
            entries++;
        }
        String undoLog = UNDO_LOG + t.getId();
        if (!store.hasMap(undoLog)) {
            throw new IllegalStateException("H2 has no undo log '" + undoLog + "' for transaction " + t);
        }
        store.openMap(undoLog).clear();
        return entries;
    }
}
