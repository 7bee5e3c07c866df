package org.arbiter.diameter;

import static org.arbiter.diameter.TestPeer.resultCode;
import static org.arbiter.diameter.TestPeer.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.codec.DiameterMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler whose stage is still pending when its call returns (the engine's, waiting for the
 * ledger's disk): the answer goes out when the stage completes, from the thread that completes
 * it, and the request keeps its place among the handler concurrency until then.
 */
@Timeout(30)
class PendingAnswerIT {

    private static final String HOST = "pcscf.rx.test";
    /** The stages of the sessions whose name ends in {@code ;pending}, by Session-Id. */
    private final Map<String, CompletableFuture<AuthorizationResult>> pendingAars = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ReleaseResult>> pendingStrs = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** The Session-Ids whose stage the handler has just returned, in order. */
    private final BlockingQueue<String> reached = new LinkedBlockingQueue<>();
    private DiameterServer server;

    private TestPeer start(int maxInFlight) throws Exception {
        RxHandler handler = new RxHandler() {
            @Override
            public AuthorizationResult authorize(RxRequest request) {
                throw new AssertionError("the front end calls authorizeAsync");
            }

            @Override
            public ReleaseResult release(String sessionId, TerminationCause cause) {
                throw new AssertionError("the front end calls releaseAsync");
            }

            @Override
            public CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
                calls.add("AAR " + request.sessionId());
                if (request.sessionId().endsWith(";pending")) {
                    CompletableFuture<AuthorizationResult> stage = pendingAars.computeIfAbsent(request.sessionId(),
                            k -> new CompletableFuture<>());
                    reached.add(request.sessionId());
                    return stage;
                }
                return CompletableFuture.completedFuture(StubHandler.success(true));
            }

            @Override
            public CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
                calls.add("STR " + sessionId);
                CompletableFuture<ReleaseResult> stage = pendingStrs.computeIfAbsent(sessionId, k -> new CompletableFuture<>());
                reached.add(sessionId);
                return stage;
            }
        };
        DiameterConfig cfg = DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow(HOST)
                .maxInFlight(maxInFlight).handlerConcurrency(1).queueDeadline(Duration.ofSeconds(10)).build();
        server = DiameterServer.start(cfg, handler, DiameterMetrics.NONE);
        return TestPeer.open(server.port(), HOST);
    }

    @AfterEach
    void stop() {
        pendingAars.values().forEach(f -> f.complete(StubHandler.success(true)));
        pendingStrs.values().forEach(f -> f.complete(new ReleaseResult(ResultCode.DIAMETER_SUCCESS, null, List.of())));
        if (server != null) {
            server.close();
        }
    }

    private CompletableFuture<AuthorizationResult> awaitAar(String sessionId) throws InterruptedException {
        return awaitStage(pendingAars, sessionId);
    }

    /** The stage the handler returned for the session, once the request reached it (at most 5 s). */
    private <T> CompletableFuture<T> awaitStage(Map<String, CompletableFuture<T>> stages, String sessionId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stages.containsKey(sessionId)) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("the handler was called for " + sessionId).isPositive();
            reached.poll(left, TimeUnit.NANOSECONDS);
        }
        return stages.get(sessionId);
    }

    @Test
    void thePendingRequestKeepsItsPlaceAndItsAnswerGoesOutWhenTheStageCompletes() throws Exception {
        try (TestPeer p = start(2)) {
            p.send(p.aar("pcscf.rx.test;1;pending"));
            CompletableFuture<AuthorizationResult> first = awaitAar("pcscf.rx.test;1;pending");
            // the handler returned, but its request still holds the one place: the next one queues,
            // and the one after that finds the queue full
            p.send(p.aar("pcscf.rx.test;2;queued"));
            DiameterMessage beyond = p.exchange(p.aar("pcscf.rx.test;3;beyond"));
            assertThat(resultCode(beyond)).isEqualTo(3004);
            assertThat(calls).containsExactly("AAR pcscf.rx.test;1;pending");

            Thread completer = Thread.ofPlatform().name("ledger-writer").start(() -> first.complete(StubHandler.success(true)));
            completer.join();
            DiameterMessage a1 = p.receiveSkippingWatchdog();
            DiameterMessage a2 = p.receiveSkippingWatchdog();

            assertThat(text(a1, "Session-Id")).isEqualTo("pcscf.rx.test;1;pending");
            assertThat(resultCode(a1)).isEqualTo(2001);
            assertThat(text(a2, "Session-Id")).isEqualTo("pcscf.rx.test;2;queued");
            assertThat(resultCode(a2)).isEqualTo(2001);
            assertThat(calls).containsExactly("AAR pcscf.rx.test;1;pending", "AAR pcscf.rx.test;2;queued");
        }
    }

    @Test
    void noAnswerGoesOutBeforeTheStageCompletes() throws Exception {
        try (TestPeer p = start(4)) {
            p.send(p.aar("pcscf.rx.test;1;pending"));
            CompletableFuture<AuthorizationResult> first = awaitAar("pcscf.rx.test;1;pending");
            p.timeout(300);
            try {
                p.receiveSkippingWatchdog();
                throw new AssertionError("an answer went out before the handler's stage completed");
            } catch (SocketTimeoutException expected) {
                // nothing yet
            }
            p.timeout(5000);
            first.complete(StubHandler.failure(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, "no room"));
            DiameterMessage a = p.receiveSkippingWatchdog();
            assertThat(text(a, "Session-Id")).isEqualTo("pcscf.rx.test;1;pending");
            assertThat(resultCode(a)).isEqualTo(5063);
        }
    }

    @Test
    void aStageThatFailsIsAnswered5012() throws Exception {
        try (TestPeer p = start(4)) {
            p.send(p.aar("pcscf.rx.test;1;pending"));
            awaitAar("pcscf.rx.test;1;pending").completeExceptionally(new IllegalStateException("the disk is gone"));
            DiameterMessage aaa = p.receiveSkippingWatchdog();
            assertThat(resultCode(aaa)).isEqualTo(5012);
            assertThat(text(aaa, "Error-Message")).isEqualTo("internal error");

            p.send(p.str("pcscf.rx.test;2;s", 1));
            awaitStage(pendingStrs, "pcscf.rx.test;2;s").completeExceptionally(new IllegalStateException("the disk is gone"));
            DiameterMessage sta = p.receiveSkippingWatchdog();
            assertThat(text(sta, "Session-Id")).isEqualTo("pcscf.rx.test;2;s");
            assertThat(resultCode(sta)).isEqualTo(5012);
        }
    }

    @Test
    void closeWaitsForAPendingStage() throws Exception {
        try (TestPeer p = start(4)) {
            p.send(p.aar("pcscf.rx.test;1;pending"));
            CompletableFuture<AuthorizationResult> first = awaitAar("pcscf.rx.test;1;pending");
            DiameterServer closing = server;
            server = null;
            Thread closer = Thread.ofPlatform().start(closing::close);

            closer.join(300);
            assertThat(closer.isAlive()).as("close returned with a request still waiting for its stage").isTrue();
            first.complete(StubHandler.success(true));
            closer.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(closer.isAlive()).isFalse();
        }
    }
}
