package org.arbiter.diameter.rx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * <p>Threading: {@link #onRequest} runs on an I/O thread and only hands off. The handler runs on
 * a virtual thread; at most {@code maxInFlight} requests are handled at once, beyond that the
 * answer is DIAMETER_TOO_BUSY (3004) at once. No session state is kept here: a retransmission
 * (T flag) goes to the handler again, whose ledger makes it idempotent.
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

    private final DiameterConfig cfg;
    private final RxHandler handler;
    private final DiameterMetrics metrics;
    private final RxNotifier notifier;
    private final Semaphore permits;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rx-", 0).factory());

    public RxApplication(DiameterConfig cfg, RxHandler handler, DiameterMetrics metrics, RxNotifier notifier) {
        this.cfg = cfg;
        this.handler = handler;
        this.metrics = metrics;
        this.notifier = notifier;
        this.permits = new Semaphore(cfg.maxInFlight());
    }

    @Override
    public void onRequest(PeerConnection from, DiameterMessage request, long receivedNanos) {
        int cmd = request.commandCode();
        if (cmd != AA && cmd != STR) {
            send(from, request, answer(request).resultCode(ProtocolResult.DIAMETER_COMMAND_UNSUPPORTED.code())
                    .errorMessage(D.commandName(cmd) + " is not served by this node").build(), receivedNanos);
            return;
        }
        if (!permits.tryAcquire()) {
            send(from, request, busy(request), receivedNanos);
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    handle(from, request, receivedNanos);
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            send(from, request, busy(request), receivedNanos);
        }
    }

    private DiameterMessage busy(DiameterMessage request) {
        AnswerBuilder b = answer(request).resultCode(ProtocolResult.DIAMETER_TOO_BUSY.code())
                .errorMessage("too busy: " + cfg.maxInFlight() + " requests in flight");
        if (request.commandCode() == AA) {
            b.add(Avp.unsigned32(AUTH_APPLICATION_ID, RX));
        }
        return b.build();
    }

    private void handle(PeerConnection from, DiameterMessage request, long receivedNanos) {
        String sid = request.text(AaRequestReader.SESSION_ID);
        MDC.put("peer", from.host());
        if (sid != null) {
            MDC.put("session", sid);
        }
        try {
            if (request.commandCode() == AA) {
                authorize(from, request, receivedNanos);
            } else {
                terminate(from, request, receivedNanos);
            }
        } finally {
            MDC.remove("peer");
            MDC.remove("session");
        }
    }

    private void authorize(PeerConnection from, DiameterMessage aar, long receivedNanos) {
        AnswerBuilder b = answer(aar).add(Avp.unsigned32(AUTH_APPLICATION_ID, RX));
        RxRequest request = null;
        AuthorizationResult result = null;
        try {
            AaRequestReader.Result read = AaRequestReader.read(aar, Instant.now());
            if (read.fault() != null) {
                fault(b, read.fault());
                LOG.debug("AAR refused: {}", read.fault().reason());
            } else {
                request = read.request();
                result = handler.authorize(request);
                if (result == null) {
                    LOG.error("the Rx handler returned no result for AAR {}", request.sessionId());
                } else {
                    decided(b, result.code(), result.message());
                    if (result.code() == ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED && !result.acceptable().isEmpty()) {
                        b.add(acceptableServiceInfo(result.acceptable()));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("AAR {} failed in the handler; answering 5012", aar.text(AaRequestReader.SESSION_ID), e);
            b.resultCode(ProtocolResult.DIAMETER_UNABLE_TO_COMPLY.code()).errorMessage("internal error");
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

    private void terminate(PeerConnection from, DiameterMessage str, long receivedNanos) {
        AnswerBuilder b = answer(str);
        try {
            String sid = str.text(AaRequestReader.SESSION_ID);
            Avp tc = str.find(TERMINATION_CAUSE);
            TerminationCause cause = tc != null ? TerminationCause.fromCode(tc.enumerated()) : null;
            if (sid == null || sid.isEmpty()) {
                fault(b, AaRequestReader.missing(AaRequestReader.SESSION_ID, ""));
            } else if (tc == null) {
                fault(b, AaRequestReader.missing(TERMINATION_CAUSE, ""));
            } else if (cause == null) {
                fault(b, new AaRequestReader.Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), tc,
                        "Termination-Cause " + tc.enumerated() + " is not defined (1..8)"));
            } else {
                ReleaseResult r = handler.release(sid, cause);
                if (r == null || r.code() == null) {
                    LOG.error("the Rx handler returned no result for STR {}", sid);
                } else {
                    decided(b, r.code(), r.code() == ResultCode.DIAMETER_UNKNOWN_SESSION_ID ? "unknown session " + sid : null);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("STR {} failed in the handler; answering 5012", str.text(AaRequestReader.SESSION_ID), e);
            b.resultCode(ProtocolResult.DIAMETER_UNABLE_TO_COMPLY.code()).errorMessage("internal error");
        }
        send(from, str, b.build(), receivedNanos);
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
        metrics.requestAnswered(D.commandName(request.commandCode()), resultOf(answer), Duration.ofNanos(System.nanoTime() - receivedNanos));
    }

    static long resultOf(DiameterMessage answer) {
        Avp rc = answer.find(D.avp("Result-Code"));
        if (rc != null) {
            return rc.unsigned32();
        }
        Avp er = answer.find(D.avp("Experimental-Result"));
        Avp code = er != null ? er.child(D.avp("Experimental-Result-Code")) : null;
        return code != null && code.dataLength() == 4 ? code.unsigned32() : -1;
    }

    /** Stops taking work and waits up to the request timeout for the handlers in flight. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(cfg.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} Rx requests still in the handler at shutdown", cfg.maxInFlight() - permits.availablePermits());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
