package org.arbiter.diameter;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.peer.PeerConnection;
import org.arbiter.diameter.peer.PeerSnapshot;
import org.arbiter.diameter.peer.PeerTable;
import org.arbiter.diameter.rx.RxApplication;
import org.arbiter.diameter.rx.RxNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Diameter Rx front end: our RFC 6733 stack on Netty serving TS 29.214 Rx to P-CSCFs.
 *
 * <p>It listens (TCP, and TLS/TCP when configured), accepts allow-listed peers, connects to
 * configured peers, answers AAR and STR through the {@link RxHandler}, and sends RAR and ASR
 * through {@link #notifier()}. It holds no session state: everything about a session is in the
 * handler's ledger, so any node can serve any request.
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread; the other methods from any.
 * Errors: {@link #start} throws {@link DiameterException} when a listener cannot bind or TLS
 * cannot be set up (nothing is left running then).
 */
public final class DiameterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiameterServer.class);

    private final PeerTable peers;
    private final RxApplication rx;
    private final RxNotifier notifier;

    private DiameterServer(DiameterConfig cfg, RxHandler handler, DiameterMetrics metrics, LongSupplier nanoClock) {
        this.peers = new PeerTable(cfg, metrics, this::dispatch, handler::peerRestarted);
        this.notifier = new RxNotifier(cfg, metrics, peers::connection, handler);
        this.rx = new RxApplication(cfg, handler, metrics, notifier, nanoClock);
    }

    private void dispatch(PeerConnection from, DiameterMessage request, long at) {
        rx.onRequest(from, request, at);
    }

    /** Starts a server that counts nothing. */
    public static DiameterServer start(DiameterConfig config, RxHandler handler) {
        return start(config, handler, DiameterMetrics.NONE);
    }

    /** Starts a server; returns once its listeners are bound. */
    public static DiameterServer start(DiameterConfig config, RxHandler handler, DiameterMetrics metrics) {
        return start(config, handler, metrics, System::nanoTime);
    }

    /** Starts a server whose queue deadline is measured on {@code nanoClock} (tests). */
    static DiameterServer start(DiameterConfig config, RxHandler handler, DiameterMetrics metrics, LongSupplier nanoClock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(metrics, "metrics");
        DiameterServer s = new DiameterServer(config, handler, metrics, nanoClock);
        try {
            s.peers.start();
        } catch (RuntimeException e) {
            s.rx.close();
            throw e;
        }
        return s;
    }

    /** The bound plain TCP port (the real one when configured as 0), or -1 when there is none. */
    public int port() {
        return peers.port();
    }

    /** The bound TLS/TCP port, or -1 when there is none. */
    public int tlsPort() {
        return peers.tlsPort();
    }

    /** RAR (Specific-Action) and ASR to a session's Origin-Host; never blocks. */
    public AfNotifier notifier() {
        return notifier;
    }

    /** A snapshot of every connection and every configured peer. */
    public List<PeerSnapshot> peers() {
        return peers.snapshot();
    }

    /**
     * Sends DPR to every connected peer, waits for their DPAs (at most the request timeout), then
     * stops the listeners, the connections and the workers.
     */
    @Override
    public void close() {
        peers.close();
        rx.close();
        LOG.debug("Diameter server closed");
    }
}
