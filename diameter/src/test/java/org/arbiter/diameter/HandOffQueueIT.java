package org.arbiter.diameter;

import static org.arbiter.diameter.TestPeer.D;
import static org.arbiter.diameter.TestPeer.resultCode;
import static org.arbiter.diameter.TestPeer.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.peer.PeerTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of Rx requests to the handler: handler concurrency, the bounded queue behind it,
 * the queue deadline (on a clock the test moves), and non-blocking handlers on the I/O thread.
 */
class HandOffQueueIT {

    private static final String HOST = "pcscf.rx.test";
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private StubHandler handler;
    private DiameterServer server;

    /** One handler call at once, {@code maxInFlight} accepted, deadline 1 s; the first AAR blocks until {@link #release}. */
    private TestPeer start(int maxInFlight) throws Exception {
        handler = new StubHandler(r -> {
            if (r.sessionId().endsWith(";blocking")) {
                entered.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return StubHandler.success(true);
        });
        RxHandler recording = new RxHandler() {
            @Override
            public AuthorizationResult authorize(RxRequest request) {
                calls.add("AAR " + request.sessionId());
                return handler.authorize(request);
            }

            @Override
            public ReleaseResult release(String sessionId, TerminationCause cause) {
                calls.add("STR " + sessionId);
                return handler.release(sessionId, cause);
            }
        };
        DiameterConfig cfg = DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow(HOST)
                .maxInFlight(maxInFlight).handlerConcurrency(1).queueDeadline(Duration.ofSeconds(1)).build();
        server = DiameterServer.start(cfg, recording, DiameterMetrics.NONE, clock::get);
        return TestPeer.open(server.port(), HOST);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    /**
     * Sends the blocking AAR, then {@code queued}, then one AAR beyond max-in-flight whose
     * immediate 3004 proves {@code queued} is in the queue (one connection, read in order).
     */
    private void blockAndQueue(TestPeer p, DiameterMessage queued) throws Exception {
        p.send(p.aar("pcscf.rx.test;1;blocking"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        p.send(queued);
        DiameterMessage beyond = p.exchange(p.aar("pcscf.rx.test;3;beyond"));
        assertThat(resultCode(beyond)).isEqualTo(3004);
    }

    private static DiameterMessage answerTo(List<DiameterMessage> answers, String sessionId) {
        return answers.stream().filter(a -> sessionId.equals(text(a, "Session-Id"))).findFirst().orElseThrow();
    }

    @Test
    void queuedRequestOlderThanTheDeadlineGets3004WithoutTheHandler() throws Exception {
        try (TestPeer p = start(2)) {
            blockAndQueue(p, p.aar("pcscf.rx.test;2;late"));

            clock.addAndGet(Duration.ofMillis(1001).toNanos());
            release.countDown();
            List<DiameterMessage> answers = List.of(p.receiveSkippingWatchdog(), p.receiveSkippingWatchdog());

            assertThat(resultCode(answerTo(answers, "pcscf.rx.test;1;blocking"))).isEqualTo(2001);
            DiameterMessage late = answerTo(answers, "pcscf.rx.test;2;late");
            assertThat(resultCode(late)).isEqualTo(3004);
            assertThat(late.isError()).isTrue();
            assertThat(late.find(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236);
            assertThat(text(late, "Error-Message")).contains("queue deadline 1000 ms");
            assertThat(handler.authorized).extracting(RxRequest::sessionId).doesNotContain("pcscf.rx.test;2;late");
        }
    }

    @Test
    void queuedRequestWithinTheDeadlineIsHandledAfterTheOneBeforeIt() throws Exception {
        try (TestPeer p = start(2)) {
            blockAndQueue(p, p.aar("pcscf.rx.test;2;waiting"));

            clock.addAndGet(Duration.ofMillis(999).toNanos());
            release.countDown();
            List<DiameterMessage> answers = List.of(p.receiveSkippingWatchdog(), p.receiveSkippingWatchdog());

            assertThat(resultCode(answerTo(answers, "pcscf.rx.test;2;waiting"))).isEqualTo(2001);
            assertThat(handler.authorized).extracting(RxRequest::sessionId)
                    .containsExactly("pcscf.rx.test;1;blocking", "pcscf.rx.test;2;waiting");
        }
    }

    @Test
    void strAtAFullQueueTakesThePlaceOfTheOldestQueuedAar() throws Exception {
        try (TestPeer p = start(3)) {
            p.send(p.aar("pcscf.rx.test;1;blocking"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            p.send(p.aar("pcscf.rx.test;2;oldest"));
            p.send(p.aar("pcscf.rx.test;3;newer"));
            p.send(p.str("pcscf.rx.test;1;blocking", 1));
            DiameterMessage shed = p.receiveSkippingWatchdog();
            assertThat(text(shed, "Session-Id")).isEqualTo("pcscf.rx.test;2;oldest");
            assertThat(resultCode(shed)).isEqualTo(3004);
            assertThat(text(shed, "Error-Message")).contains("a release took this request's place");

            release.countDown();
            List<DiameterMessage> answers = List.of(p.receiveSkippingWatchdog(), p.receiveSkippingWatchdog(),
                    p.receiveSkippingWatchdog());

            assertThat(answers).extracting(TestPeer::resultCode).containsOnly(2001L);
            assertThat(calls).containsExactly("AAR pcscf.rx.test;1;blocking", "STR pcscf.rx.test;1;blocking",
                    "AAR pcscf.rx.test;3;newer");
        }
    }

    @Test
    void queuedStrIsHandledBeforeAnAarQueuedEarlier() throws Exception {
        try (TestPeer p = start(3)) {
            p.send(p.aar("pcscf.rx.test;1;blocking"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            p.send(p.aar("pcscf.rx.test;2;aar"));
            p.send(p.str("pcscf.rx.test;1;blocking", 1));
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;3;beyond")))).isEqualTo(3004);

            release.countDown();
            List<DiameterMessage> answers = List.of(p.receiveSkippingWatchdog(), p.receiveSkippingWatchdog(), p.receiveSkippingWatchdog());

            assertThat(answers).extracting(TestPeer::resultCode).containsOnly(2001L);
            assertThat(calls).containsExactly("AAR pcscf.rx.test;1;blocking", "STR pcscf.rx.test;1;blocking", "AAR pcscf.rx.test;2;aar");
        }
    }

    @Test
    void nonBlockingHandlerIsCalledOnTheIoThread() throws Exception {
        Map<String, String> threads = new ConcurrentHashMap<>();
        RxHandler onIo = new RxHandler() {
            @Override
            public boolean nonBlocking() {
                return true;
            }

            @Override
            public AuthorizationResult authorize(RxRequest request) {
                threads.put("AAR", Thread.currentThread().getName());
                return StubHandler.success(true);
            }

            @Override
            public ReleaseResult release(String sessionId, TerminationCause cause) {
                threads.put("STR", Thread.currentThread().getName());
                return new ReleaseResult(ResultCode.DIAMETER_SUCCESS, null, List.of());
            }
        };
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow(HOST).build(), onIo);
        try (TestPeer p = TestPeer.open(server.port(), HOST)) {
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;9;1")))).isEqualTo(2001);
            assertThat(resultCode(p.exchange(p.str("pcscf.rx.test;9;1", 1)))).isEqualTo(2001);
        }

        assertThat(threads).containsOnlyKeys("AAR", "STR");
        assertThat(threads.values()).allSatisfy(name -> assertThat(name).startsWith(PeerTable.IO_THREAD_PREFIX));
    }
}
