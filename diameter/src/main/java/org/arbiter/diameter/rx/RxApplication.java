package org.arbiter.diameter.rx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterMetrics;
import org.arbiter.diameter.RxHandler;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.ProtocolResult;
import org.arbiter.diameter.peer.PeerConnection;
import org.arbiter.diameter.peer.PeerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Rx reference point (TS 29.214) on the PDP side: AAR/AAA and STR/STA in, RAR and ASR out
 * (through {@link RxNotifier}).
 *
 * <p>Every request gets exactly one answer. The answer starts as DIAMETER_UNABLE_TO_COMPLY (5012)
 * and becomes what the handler decided only when decoding and the handler both succeeded.
 * Commands other than AA and Session-Termination get 3001. Decoding faults get 5005/5004 with
 * Failed-AVP. The AAA carries Session-Id, Origin-Host/Realm, Auth-Application-Id and Result-Code
 * or Experimental-Result, never Auth-Session-State (Kamailio 5.6 takes NO_STATE_MAINTAINED as a
 * failure); a 5063 carries Acceptable-Service-Info.
 *
 * <p>Threading: {@link #onRequest} runs on an I/O thread and, unless the handler is
 * {@link RxHandler#nonBlocking()}, only hands off: the handler runs on virtual threads, at most
 * {@code handlerConcurrency} requests at once. A request whose handler's stage is still pending
 * when the call returns (the engine's, waiting for the ledger's disk) keeps its place without a
 * thread: the thread that completes the stage sends the answer and starts the next queued request
 * on a new worker thread. Requests beyond that wait in a queue, which those
 * threads drain in arrival order, STRs before AARs (a release frees capacity, and an STR refused
 * would leave its session's reservations until they expire); the queue and the calls hold at most
 * {@code maxInFlight} requests, beyond that the answer is DIAMETER_TOO_BUSY (3004) at once, except
 * that an STR arriving at a full queue takes the place of the oldest queued AAR, which gets the
 * 3004 instead (an STR is refused only when the queue holds nothing but STRs). A request that waited in the queue longer
 * than {@code queueDeadline} also gets 3004, without the handler: its peer stopped waiting, or
 * will before a handler could answer, and work spent on it would be lost for the requests behind
 * it. A non-blocking handler is called on the I/O thread itself. No session state is kept here:
 * a retransmission (T flag) goes to the handler again, whose ledger makes it idempotent.
 */
public final class RxApplication implements PeerTable.ApplicationRequests, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RxApplication.class);
    private static final Dictionary D = Dictionary.standard();
    static final int AA = D.command("AA");
    static final int STR = D.command("Session-Termination");
    static final long RX = D.application("Rx");
    private static final AvpDef AUTH_APPLICATION_ID = D.avp("Auth-Application-Id");
    private static final AvpDef TERMINATION_CAUSE = D.avp("Termination-Cause");
    private static final AvpDef ACCEPTABLE_SERVICE_INFO = D.avp("Acceptable-Service-Info");
    private static final AvpDef MCD = D.avp("Media-Component-Description");
    private static final AvpDef MEDIA_COMPONENT_NUMBER = D.avp("Media-Component-Number");
    private static final AvpDef MAX_UL = D.avp("Max-Requested-Bandwidth-UL");
    private static final AvpDef MAX_DL = D.avp("Max-Requested-Bandwidth-DL");
    private static final AvpDef RESULT_CODE = D.avp("Result-Code");
    private static final AvpDef EXPERIMENTAL_RESULT = D.avp("Experimental-Result");
    private static final AvpDef EXPERIMENTAL_RESULT_CODE = D.avp("Experimental-Result-Code");

    private final DiameterConfig cfg;
    private final RxHandler handler;
    private final DiameterMetrics metrics;
    private final RxNotifier notifier;
    private final boolean onIoThread;
    private final LongSupplier nanoClock;
    private final long deadlineNanos;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rx-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    /** AARs waiting for a handler call, oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
    /** STRs waiting for a handler call, oldest first, served before the AARs; guarded by {@link #lock}. */
    private final ArrayDeque<Queued> waitingReleases = new ArrayDeque<>();
    /**
     * Requests holding a place among the {@code handlerConcurrency}: on a worker thread, or waiting
     * for the handler's stage; guarded by {@link #lock}. Each worker drains the queues before it ends.
     */
    private int running;
    /** Signalled when {@link #running} falls to 0. */
    private final Condition idle = lock.newCondition();
    /** The stage of a request answered at once. */
    private static final CompletableFuture<Void> ANSWERED = CompletableFuture.completedFuture(null);

    /** A request handed off by the I/O thread, with the time it entered the queue. */
    private record Queued(PeerConnection from, DiameterMessage request, long receivedNanos, long queuedNanos) {}

    public RxApplication(DiameterConfig cfg, RxHandler handler, DiameterMetrics metrics, RxNotifier notifier) {
        this(cfg, handler, metrics, notifier, System::nanoTime);
    }

    /**
     * @param nanoClock the clock that measures how long a request waited in the queue, in
     *     nanoseconds ({@link System#nanoTime()} in production)
     */
    public RxApplication(DiameterConfig cfg, RxHandler handler, DiameterMetrics metrics, RxNotifier notifier, LongSupplier nanoClock) {
        this.cfg = cfg;
        this.handler = handler;
        this.metrics = metrics;
        this.notifier = notifier;
        this.onIoThread = handler.nonBlocking();
        this.nanoClock = nanoClock;
        this.deadlineNanos = cfg.queueDeadline().toNanos();
    }

    @Override
    public void onRequest(PeerConnection from, DiameterMessage request, long receivedNanos) {
        int cmd = request.commandCode();
        if (cmd != AA && cmd != STR) {
            send(from, request, answer(request).resultCode(ProtocolResult.DIAMETER_COMMAND_UNSUPPORTED.code())
                    .errorMessage(D.commandName(cmd) + " is not served by this node").build(), receivedNanos);
            return;
        }
        if (onIoThread) {
            handle(from, request, receivedNanos);
            return;
        }
        Queued q = new Queued(from, request, receivedNanos, nanoClock.getAsLong());
        Queued shed = null;
        lock.lock();
        try {
            if (running >= cfg.handlerConcurrency()) {
                if (waiting.size() + waitingReleases.size() < cfg.maxInFlight() - cfg.handlerConcurrency()) {
                    (cmd == STR ? waitingReleases : waiting).addLast(q);
                    return;
                }
                if (cmd == STR && !waiting.isEmpty()) {
                    // a full queue gives way to a release: the oldest queued AAR (whose peer
                    // is the nearest to giving up on it) is answered 3004 instead
                    shed = waiting.pollFirst();
                    waitingReleases.addLast(q);
                } else {
                    q = null;
                }
            } else {
                running++;
            }
        } finally {
            lock.unlock();
        }
        if (shed != null) {
            send(shed.from(), shed.request(), busy(shed.request(), "too busy: " + cfg.maxInFlight()
                    + " requests in flight, a release took this request's place"), shed.receivedNanos());
            return;
        }
        if (q == null) {
            send(from, request, busy(request, "too busy: " + cfg.maxInFlight() + " requests in flight"), receivedNanos);
            return;
        }
        start(q);
    }

    /**
     * Starts a worker thread on a request that holds a place among the {@code handlerConcurrency}.
     * Shutting down: the request and those queued get 3004, and the place is given up.
     */
    private void start(Queued first) {
        try {
            workers.execute(() -> work(first));
        } catch (RejectedExecutionException e) {
            for (Queued q = first; q != null; q = next()) {
                send(q.from(), q.request(), busy(q.request(), "too busy: shutting down"), q.receivedNanos());
            }
        }
    }

    /** The next queued request, STRs first, which takes the place of the one answered; or none, and the place is given up. */
    private Queued next() {
        lock.lock();
        try {
            Queued q = waitingReleases.pollFirst();
            if (q == null) {
                q = waiting.pollFirst();
            }
            if (q == null && --running == 0) {
                idle.signalAll();
            }
            return q;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker thread: handles its request, then the queued ones, until the queue is empty. A
     * request whose answer waits for the handler's stage keeps its place: the thread ends, and the
     * stage's completion starts the next queued request on a new one.
     */
    private void work(Queued first) {
        Queued q = first;
        while (q != null) {
            CompletableFuture<?> answered = null;
            try {
                long waited = nanoClock.getAsLong() - q.queuedNanos();
                if (waited > deadlineNanos) {
                    LOG.debug("{} waited {} ms for a handler; answering 3004", D.commandName(q.request().commandCode()), waited / 1_000_000);
                    send(q.from(), q.request(), busy(q.request(), "too busy: waited " + waited / 1_000_000 + " ms for a handler (queue deadline "
                            + cfg.queueDeadline().toMillis() + " ms)"), q.receivedNanos());
                } else {
                    answered = handle(q.from(), q.request(), q.receivedNanos());
                }
            } catch (RuntimeException | Error e) {
                LOG.error("Rx request from {} failed outside the handler", q.from().host(), e);
            }
            if (answered != null && !answered.isDone()) {
                answered.whenComplete((v, e) -> {
                    Queued after = next();
                    if (after != null) {
                        start(after);
                    }
                });
                return;
            }
            q = next();
        }
    }

    private DiameterMessage busy(DiameterMessage request, String reason) {
        AnswerBuilder b = answer(request).resultCode(ProtocolResult.DIAMETER_TOO_BUSY.code()).errorMessage(reason);
        if (request.commandCode() == AA) {
            b.add(Avp.unsigned32(AUTH_APPLICATION_ID, RX));
        }
        return b.build();
    }

    /** Handles a request: the stage completes once it is answered. */
    private CompletableFuture<?> handle(PeerConnection from, DiameterMessage request, long receivedNanos) {
        String sid = request.text(AaRequestReader.SESSION_ID);
        MDC.put("peer", from.host());
        if (sid != null) {
            MDC.put("session", sid);
        }
        try {
            if (request.commandCode() == AA) {
                return authorize(from, request, receivedNanos);
            }
            return terminate(from, request, receivedNanos);
        } finally {
            MDC.remove("peer");
            MDC.remove("session");
        }
    }

    private CompletableFuture<?> authorize(PeerConnection from, DiameterMessage aar, long receivedNanos) {
        AnswerBuilder b = answer(aar).add(Avp.unsigned32(AUTH_APPLICATION_ID, RX));
        RxRequest request;
        CompletionStage<AuthorizationResult> decided;
        try {
            AaRequestReader.Result read = AaRequestReader.read(aar, Instant.now());
            if (read.fault() != null) {
                fault(b, read.fault());
                LOG.debug("AAR refused: {}", read.fault().reason());
                send(from, aar, b.build(), receivedNanos);
                return ANSWERED;
            }
            request = read.request();
            decided = handler.authorizeAsync(request);
            if (decided == null) {
                throw new IllegalStateException("the Rx handler returned no stage");
            }
        } catch (RuntimeException e) {
            unableToComply(b, "AAR", aar, e);
            send(from, aar, b.build(), receivedNanos);
            return ANSWERED;
        }
        return decided.toCompletableFuture().handle((result, e) -> {
            authorized(from, aar, b, request, e == null ? result : null, e, receivedNanos);
            return null;
        });
    }

    /** Answers an AAR with the handler's result, or 5012 on its failure; on the thread that completed it. */
    private void authorized(PeerConnection from, DiameterMessage aar, AnswerBuilder b, RxRequest request,
                            AuthorizationResult result, Throwable failure, long receivedNanos) {
        try {
            if (failure != null) {
                unableToComply(b, "AAR", aar, failure);
            } else if (result == null) {
                LOG.error("the Rx handler returned no result for AAR {}", request.sessionId());
            } else {
                decided(b, result.code(), result.message());
                if (result.code() == ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED && !result.acceptable().isEmpty()) {
                    b.add(acceptableServiceInfo(result.acceptable()));
                }
            }
        } catch (RuntimeException e) {
            unableToComply(b, "AAR", aar, e);
            result = null;
        }
        send(from, aar, b.build(), receivedNanos);
        if (result != null && result.success()) {
            SpecificAction event = result.provisioned() ? SpecificAction.INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION
                    : SpecificAction.INDICATION_OF_FAILED_RESOURCES_ALLOCATION;
            if (request.specificActions().contains(event)) {
                notifier.notify(from, request.sessionId(), request.originHost(), event);
            }
        }
    }

    private CompletableFuture<?> terminate(PeerConnection from, DiameterMessage str, long receivedNanos) {
        AnswerBuilder b = answer(str);
        String sid = str.text(AaRequestReader.SESSION_ID);
        CompletionStage<ReleaseResult> released;
        try {
            Avp tc = str.find(TERMINATION_CAUSE);
            TerminationCause cause = tc != null ? TerminationCause.fromCode(tc.enumerated()) : null;
            if (sid == null || sid.isEmpty()) {
                fault(b, AaRequestReader.missing(AaRequestReader.SESSION_ID, ""));
            } else if (tc == null) {
                fault(b, AaRequestReader.missing(TERMINATION_CAUSE, ""));
            } else if (cause == null) {
                fault(b, new AaRequestReader.Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), tc,
                        "Termination-Cause " + tc.enumerated() + " is not defined (1..8)"));
            }
            if (cause == null || sid == null || sid.isEmpty()) {
                send(from, str, b.build(), receivedNanos);
                return ANSWERED;
            }
            released = handler.releaseAsync(sid, cause);
            if (released == null) {
                throw new IllegalStateException("the Rx handler returned no stage");
            }
        } catch (RuntimeException e) {
            unableToComply(b, "STR", str, e);
            send(from, str, b.build(), receivedNanos);
            return ANSWERED;
        }
        return released.toCompletableFuture().handle((r, e) -> {
            try {
                if (e != null) {
                    unableToComply(b, "STR", str, e);
                } else if (r == null || r.code() == null) {
                    LOG.error("the Rx handler returned no result for STR {}", sid);
                } else {
                    decided(b, r.code(), r.code() == ResultCode.DIAMETER_UNKNOWN_SESSION_ID ? "unknown session " + sid : null);
                }
            } catch (RuntimeException x) {
                unableToComply(b, "STR", str, x);
            }
            send(from, str, b.build(), receivedNanos);
            return null;
        });
    }

    /** The answer becomes 5012 for a handler's failure, which is logged with its cause. */
    private static void unableToComply(AnswerBuilder b, String command, DiameterMessage request, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        LOG.error("{} {} failed in the handler; answering 5012", command, request.text(AaRequestReader.SESSION_ID), cause);
        b.resultCode(ProtocolResult.DIAMETER_UNABLE_TO_COMPLY.code()).errorMessage("internal error");
    }

    private static void fault(AnswerBuilder b, AaRequestReader.Fault f) {
        b.resultCode(f.resultCode()).errorMessage(f.reason());
        if (f.failedAvp() != null) {
            b.failedAvp(f.failedAvp());
        }
    }

    private static void decided(AnswerBuilder b, ResultCode code, String message) {
        if (code.experimental()) {
            b.experimentalResult(code.vendorId(), code.code());
        } else {
            b.resultCode(code.code());
        }
        if (!code.success() && message != null) {
            b.errorMessage(message);
        }
    }

    /** Acceptable-Service-Info (TS 29.214 §5.3.24): per media component, what could be granted. */
    static Avp acceptableServiceInfo(List<FlowGrant> grants) {
        Map<Integer, long[]> byComponent = new TreeMap<>();
        long ul = 0;
        long dl = 0;
        for (FlowGrant g : grants) {
            long[] sum = byComponent.computeIfAbsent(g.key().mediaComponent(), k -> new long[2]);
            sum[0] += g.uplinkBps();
            sum[1] += g.downlinkBps();
            ul += g.uplinkBps();
            dl += g.downlinkBps();
        }
        List<Avp> children = new java.util.ArrayList<>();
        for (Map.Entry<Integer, long[]> e : byComponent.entrySet()) {
            children.add(Avp.grouped(MCD,
                    Avp.unsigned32(MEDIA_COMPONENT_NUMBER, e.getKey()),
                    Avp.unsigned32(MAX_UL, clamp(e.getValue()[0])),
                    Avp.unsigned32(MAX_DL, clamp(e.getValue()[1]))));
        }
        children.add(Avp.unsigned32(MAX_UL, clamp(ul)));
        children.add(Avp.unsigned32(MAX_DL, clamp(dl)));
        return Avp.grouped(ACCEPTABLE_SERVICE_INFO, children);
    }

    private static long clamp(long bps) {
        return Math.min(bps, 0xFFFFFFFFL);
    }

    private AnswerBuilder answer(DiameterMessage request) {
        return AnswerBuilder.to(request, cfg.originHost(), cfg.originRealm());
    }

    private void send(PeerConnection to, DiameterMessage request, DiameterMessage answer, long receivedNanos) {
        to.send(answer);
        if (metrics != DiameterMetrics.NONE) {
            metrics.requestAnswered(D.commandName(request.commandCode()), resultOf(answer), Duration.ofNanos(System.nanoTime() - receivedNanos));
        }
    }

    static long resultOf(DiameterMessage answer) {
        Avp rc = answer.find(RESULT_CODE);
        if (rc != null) {
            return rc.unsigned32();
        }
        Avp er = answer.find(EXPERIMENTAL_RESULT);
        Avp code = er != null ? er.child(EXPERIMENTAL_RESULT_CODE) : null;
        return code != null && code.dataLength() == 4 ? code.unsigned32() : -1;
    }

    /**
     * Stops taking work and waits up to the request timeout for the requests in flight (those
     * waiting for the handler's stage included) and the queue.
     */
    @Override
    public void close() {
        workers.shutdown();
        long deadline = System.nanoTime() + cfg.requestTimeout().toNanos();
        try {
            boolean finished = workers.awaitTermination(cfg.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            lock.lock();
            try {
                long left;
                while (running > 0 && (left = deadline - System.nanoTime()) > 0) {
                    idle.awaitNanos(left);
                }
                if (!finished || running > 0) {
                    LOG.warn("{} Rx requests still in the handler or waiting for it at shutdown",
                            running + waiting.size() + waitingReleases.size());
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
