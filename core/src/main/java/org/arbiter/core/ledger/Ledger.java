package org.arbiter.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arbiter.core.session.TerminationCause;

/**
 * Port: the reservation ledger, the source of truth for what is reserved where.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #admit} checks every pool on every path and writes all holds of the session, or
 *       none. No pool's active holds ever exceed its admissible capacity, whatever the
 *       concurrency, including several ledger instances on one database. Admission is idempotent
 *       on (Session-Id, flow, direction, party): repeating a request changes nothing; a request
 *       with different bandwidths adjusts the holds atomically.</li>
 *   <li>A method returns only after its transaction is durable ({@link #admitBeforeCommit} leaves
 *       that to the commit or release that follows it, the {@code ...BeforeDurable} methods to
 *       {@link #whenDurable}).</li>
 *   <li>{@link #release} writes the CDR in the transaction that ends the session. Releasing twice
 *       returns empty the second time (idempotent).</li>
 *   <li>{@link #expire} moves RESERVED holds past their timer, and COMMITTED holds past their
 *       authorization, to EXPIRED, ending their sessions with a CDR.</li>
 *   <li>{@link #writeInterim} writes at most one interim CDR per due session and call, never two
 *       for the same due time, whatever the concurrency; the final CDR then carries the next
 *       sequence number.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Implementations are thread-safe and called from many worker threads.
 *
 * <p><b>Errors.</b> Storage failures surface as {@link LedgerException}; the PDP then fails closed.
 */
public interface Ledger extends AutoCloseable {

    /** The access path of a subscriber address, or empty when no attachment covers it. */
    Optional<AccessPath> resolve(String address);

    /**
     * Admits a request: all holds or none. The answer lists the session's active holds afterwards
     * and the holds the admission released (an update that shrank the session), so that the
     * caller can take those off the devices without reading the session.
     */
    Admission admit(AdmissionRequest request);

    /**
     * Admits as {@link #admit} does, for a caller that commits or releases the session next (the
     * engine: admit, configure the devices, commit): the admission may still be on its way to disk
     * when this returns, and the {@link #commit} or {@link #release} that follows returns only once
     * both are durable (or, after {@link #commitBeforeDurable}, {@link #whenDurable} completes
     * once they are), so the answer to the AF still rests on durable state. A process that dies
     * in between loses an admission whose AF was never answered; the devices' reconciliation takes
     * off what was configured for it. By default the same as {@link #admit}.
     */
    default Admission admitBeforeCommit(AdmissionRequest request) {
        return admit(request);
    }

    /**
     * Moves the session's RESERVED holds to COMMITTED, their expiry becoming the
     * {@link AdmissionRequest#authorizedUntil()} of the admission that wrote them; false when the
     * session has no RESERVED hold.
     */
    boolean commit(String sessionId, Instant now);

    /** Ends a session: holds to RELEASED, CDR written. Empty when the session is unknown or ended. */
    Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now);

    /**
     * Commits as {@link #commit} does, for a caller that waits for {@link #whenDurable} next
     * instead of on its own thread: the commit may still be on its way to disk when this returns.
     * By default the same as {@link #commit}.
     */
    default boolean commitBeforeDurable(String sessionId, Instant now) {
        return commit(sessionId, now);
    }

    /**
     * Releases as {@link #release} does, for a caller that waits for {@link #whenDurable} next: the
     * release may still be on its way to disk when this returns, and the caller may take the
     * session's reservations off the devices meanwhile. A process that dies before the release is
     * durable keeps the session, whose AF was never answered and repeats its request; the devices'
     * reconciliation puts back what was taken off. By default the same as {@link #release}.
     */
    default Optional<SessionRelease> releaseBeforeDurable(String sessionId, TerminationCause cause, Instant now) {
        return release(sessionId, cause, now);
    }

    /**
     * Completes once every change this ledger returned before the call is durable, or
     * exceptionally with a {@link LedgerException} when one of them cannot be made durable. It may
     * complete on the ledger's own thread, which runs the stage's dependents: they must not block.
     * By default complete at once: a ledger whose changes are durable when they return.
     */
    default CompletionStage<Void> whenDurable() {
        return CompletableFuture.completedFuture(null);
    }

    /** Expires stale holds (at most {@code limit} sessions) and returns the sessions ended. */
    List<SessionRelease> expire(Instant now, int limit);

    /**
     * Writes the interim billing records that are due (at most {@code limit} sessions) and returns
     * them. A session is due when it is committed, still runs, and its last record point (the
     * commit, or its last interim record) is {@code interval} or more before {@code now}; its
     * interim record is cumulative from admission to {@code now} and numbered after the session's
     * previous records. Sessions whose authorization has passed are left to {@link #expire}.
     *
     * <p>The default writes nothing: a ledger without interim records.
     *
     * @param interval the interim interval, positive
     */
    default List<ChargingRecord> writeInterim(Instant now, Duration interval, int limit) {
        return List.of();
    }

    /** One session with its holds, or empty. */
    Optional<SessionView> session(String sessionId);

    /** Capacity, use and headroom of every pool. */
    List<PoolUsage> pools();

    /** Active holds whose pool is enforced by the device, for reconcile. */
    List<Hold> activeHoldsOn(String deviceId);

    /** Records a decision that admitted nothing (a reject), for the audit trail. */
    void recordRejection(String sessionId, String originHost, org.arbiter.core.policy.Decision decision, Instant now);

    @Override
    void close();

    /** A storage failure. The message carries state; the cause is chained. */
    final class LedgerException extends RuntimeException {
        public LedgerException(String message, Throwable cause) {
            super(message, cause);
        }

        public LedgerException(String message) {
            super(message);
        }
    }
}
