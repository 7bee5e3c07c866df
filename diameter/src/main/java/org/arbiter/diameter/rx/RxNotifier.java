package org.arbiter.diameter.rx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterMetrics;
import org.arbiter.diameter.RxHandler;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.peer.PeerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PDP-initiated Rx requests: RAR with Specific-Action (TS 29.214 §4.4.1-4.4.6) and ASR
 * (§4.4.4), sent to the session's Origin-Host over its open connection, inbound or outbound.
 *
 * <p>Never blocks: the request is written and its answer awaited asynchronously, bounded by the
 * connection's pending table and the request timeout. A peer that never answers RAR (Kamailio
 * 5.6) costs a timeout, counted and logged at DEBUG. An ASA other than success (the AF does not
 * know the session, so no STR will come) releases the session through the handler with cause
 * ABORTED; a successful ASA waits for the AF's STR.
 *
 * <p>Thread-safe.
 */
public final class RxNotifier implements AfNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(RxNotifier.class);
    private static final Dictionary D = Dictionary.standard();
    private static final int RAR = D.command("Re-Auth");
    private static final int ASR = D.command("Abort-Session");
    /** Abort-Cause BEARER_RELEASED (TS 29.214 §5.3.1). */
    private static final int BEARER_RELEASED = 0;

    private final DiameterConfig cfg;
    private final DiameterMetrics metrics;
    private final Function<String, PeerConnection> connections;
    private final RxHandler handler;

    public RxNotifier(DiameterConfig cfg, DiameterMetrics metrics, Function<String, PeerConnection> connections, RxHandler handler) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.connections = connections;
        this.handler = handler;
    }

    @Override
    public void notify(String sessionId, String originHost, SpecificAction action) {
        notify(connections.apply(originHost), sessionId, originHost, action);
    }

    void notify(PeerConnection to, String sessionId, String originHost, SpecificAction action) {
        List<Avp> a = common(sessionId, originHost, to);
        a.add(Avp.enumerated(D.avp("Re-Auth-Request-Type"), 0));
        a.add(Avp.enumerated(D.avp("Specific-Action"), action.code()));
        send(to, RAR, sessionId, originHost, a, false);
    }

    @Override
    public void abort(String sessionId, String originHost, String reason) {
        PeerConnection to = connections.apply(originHost);
        List<Avp> a = common(sessionId, originHost, to);
        a.add(Avp.enumerated(D.avp("Abort-Cause"), BEARER_RELEASED));
        LOG.debug("ASR for {} to {}: {}", sessionId, originHost, reason);
        send(to, ASR, sessionId, originHost, a, true);
    }

    private List<Avp> common(String sessionId, String originHost, PeerConnection to) {
        List<Avp> a = new ArrayList<>();
        a.add(Avp.utf8(D.avp("Session-Id"), sessionId));
        a.add(Avp.utf8(D.avp("Origin-Host"), cfg.originHost()));
        a.add(Avp.utf8(D.avp("Origin-Realm"), cfg.originRealm()));
        a.add(Avp.utf8(D.avp("Destination-Realm"), to != null && to.realm() != null ? to.realm() : cfg.originRealm()));
        a.add(Avp.utf8(D.avp("Destination-Host"), originHost));
        a.add(Avp.unsigned32(D.avp("Auth-Application-Id"), RxApplication.RX));
        return a;
    }

    private void send(PeerConnection to, int cmd, String sessionId, String originHost, List<Avp> avps, boolean releaseOnFailure) {
        String name = D.commandName(cmd);
        if (to == null) {
            LOG.warn("cannot send {} for session {}: no open connection to {}", name, sessionId, originHost);
            metrics.requestNotSent(name, "no connection");
            return;
        }
        DiameterMessage m = new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, cmd, RxApplication.RX,
                0, PeerConnection.nextEndToEnd(), avps);
        long start = System.nanoTime();
        to.request(m).whenComplete((answer, e) -> {
            if (answer != null) {
                long rc = RxApplication.resultOf(answer);
                metrics.answerReceived(name, rc, java.time.Duration.ofNanos(System.nanoTime() - start));
                LOG.debug("{} for {} answered {}", name, sessionId, rc);
                if (releaseOnFailure && (rc < 2000 || rc >= 3000)) {
                    release(sessionId);
                }
            } else if (e instanceof TimeoutException) {
                metrics.requestTimedOut(name);
                LOG.debug("{} for {} got no answer from {}", name, sessionId, originHost);
            } else {
                metrics.requestNotSent(name, e.getMessage());
                LOG.warn("{} for {} to {} failed: {}", name, sessionId, originHost, e.getMessage());
            }
        });
    }

    private void release(String sessionId) {
        Thread.ofVirtual().name("rx-asa-release").start(() -> {
            try {
                ReleaseResult r = handler.release(sessionId, TerminationCause.ABORTED);
                LOG.debug("session {} released after a failed ASA: {}", sessionId, r == null ? null : r.code());
            } catch (RuntimeException ex) {
                LOG.error("releasing session {} after a failed ASA failed", sessionId, ex);
            }
        });
    }
}
