package org.arbiter.diameter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;

/**
 * What the Rx front end asks of the PDP: the server binds it to the engine.
 *
 * <p>Threading: called on worker (virtual) threads, never on Netty I/O threads, concurrently, at
 * most {@link DiameterConfig#handlerConcurrency()} requests at a time (a request counts until its
 * answer, {@link #authorizeAsync} and {@link #releaseAsync} included); the methods may block (policy,
 * ledger, devices). Requests beyond that wait in a bounded queue ({@link DiameterConfig#maxInFlight()}
 * in all); one that waited longer than {@link DiameterConfig#queueDeadline()} is answered
 * DIAMETER_TOO_BUSY (3004) without a call. A handler that declares itself {@link #nonBlocking()}
 * is instead called on the I/O thread that decoded the request. A retransmitted request (T flag) is passed again: the answer must be idempotent on the
 * Session-Id, which the ledger guarantees; the front end keeps no duplicate cache of its own.
 *
 * <p>Errors: an exception or a {@code null} result becomes DIAMETER_UNABLE_TO_COMPLY (5012) and is
 * logged at ERROR.
 */
public interface RxHandler {

    /** Authorizes an initial or update AAR (same Session-Id for both). */
    AuthorizationResult authorize(RxRequest request);

    /** Ends a session on STR; DIAMETER_UNKNOWN_SESSION_ID (5002) when the ledger has none. */
    ReleaseResult release(String sessionId, TerminationCause cause);

    /**
     * Authorizes as {@link #authorize} does; the front end calls this one. A handler that returns
     * before its outcome is durable (the engine: once the devices are configured) frees the
     * worker thread for the next request; the answer goes out when the stage completes. The
     * stage may complete on another thread (the ledger's writer), on which the front end only
     * builds and sends the answer. The request counts against {@code handler-concurrency} until
     * then. A stage that completes exceptionally is answered 5012. Default: {@link #authorize},
     * complete on return.
     */
    default CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
        return CompletableFuture.completedFuture(authorize(request));
    }

    /** Releases as {@link #release} does; the front end calls this one, as {@link #authorizeAsync}. */
    default CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
        return CompletableFuture.completedFuture(release(sessionId, cause));
    }

    /**
     * True when {@link #authorize} and {@link #release} never block and return within
     * microseconds (no I/O, no waiting for locks, pools or other threads): they are then called on
     * the I/O thread that decoded the request, without a hand-off to a worker thread, and the answer
     * goes out with the others of the same read. Such calls are not counted against
     * {@code max-in-flight}. Default false: the methods run on worker threads and may block.
     */
    default boolean nonBlocking() {
        return false;
    }

    /**
     * A peer came back with another Origin-State-Id (RFC 6733 §8.16): it restarted and lost its
     * sessions. The server releases or revalidates that peer's sessions per policy. Default: nothing.
     */
    default void peerRestarted(String originHost) {}
}
