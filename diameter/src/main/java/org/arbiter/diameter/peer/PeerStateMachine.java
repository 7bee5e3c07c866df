package org.arbiter.diameter.peer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.InvalidMessage;
import org.arbiter.diameter.codec.ProtocolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The peer state machine (RFC 6733 §5.6) of one transport connection, as the last handler of its
 * pipeline.
 *
 * <pre>
 * accepted ──► WAIT_CER ──CER ok──► R_OPEN ──┐
 *                 │ CER refused: CEA 3010/5010/5005/4003, close
 * connected ─► WAIT_I_CEA ─CEA ok─► I_OPEN ──┤  (WAIT_CONN_ACK and CLOSED belong to the connector)
 *                 │ CEA refused or timeout: close, reconnect later
 *                                            ▼
 *      R_OPEN/I_OPEN ◄─any message─ SUSPECT (RFC 3539: DWR unanswered for Tw; closed after 2 Tw)
 *      R_OPEN/I_OPEN ──DPR sent or received──► CLOSING ──► closed
 * </pre>
 *
 * <p>Open states: DWR gets DWA, DPR gets DPA and the connection closes, Rx requests go to the
 * application, base requests we do not know get 3001, other applications 3007, and answers
 * complete the request waiting for them. Malformed frames are answered with their Result-Code
 * and Failed-AVP; when the framing is lost the connection closes after the answer. Every peer up
 * and down is logged at INFO, every refused or misbehaving peer at WARN.
 *
 * <p>Deliberate departures from RFC 6733 §5.6:
 * <ul>
 *   <li>One state machine per connection, not per peer: elections (§5.6.4) are decided
 *       synchronously by {@link PeerTable} when a CER or CEA arrives, so Wait-Conn-Ack/Elect and
 *       Wait-Returns never last. The connection initiated by the node with the higher Origin-Host
 *       survives; the other one gets CEA 4003 (DIAMETER_ELECTION_LOST) or is closed.</li>
 *   <li>A second connection from an open peer in the same direction replaces the first (the RFC
 *       rejects it): a P-CSCF that restarted without DPR (Kamailio never sends one) would
 *       otherwise stay locked out until the watchdog noticed, up to 2 Tw.</li>
 *   <li>The Relay application counts as common (§5.3), so a relay such as freeDiameterd can be a
 *       peer; a peer advertising neither Rx nor Relay gets 5010.</li>
 *   <li>A CER that is not the first message of a connection gets 5012, not a new exchange.</li>
 *   <li>No Inband-Security-Id: TLS is TLS/TCP on its own port (§13), never negotiated in-band.</li>
 * </ul>
 *
 * <p>Confined to the channel's event loop, except {@link #disconnect} and {@link #snapshot},
 * which may be called from any thread.
 */
final class PeerStateMachine extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PeerStateMachine.class);
    private static final Dictionary D = Dictionary.standard();
    private static final int ELECTION_LOST = 4003;
    /** An AAA carries Auth-Application-Id even when the AAR was malformed (TS 29.214 §5.6.2). */
    private static final int AA = D.command("AA");

    private final PeerTable table;
    private final DiameterConfig cfg;
    private final boolean inbound;
    private final DiameterConfig.ConnectPeer target;
    private volatile PeerState state = PeerState.CLOSED;
    private ChannelHandlerContext ctx;
    private PeerConnection conn;
    private Watchdog watchdog;
    private ScheduledFuture<?> ceTimer;
    private Disconnect.Cause peerCause;
    private boolean wasOpen;

    PeerStateMachine(PeerTable table, boolean inbound, DiameterConfig.ConnectPeer target) {
        this.table = table;
        this.cfg = table.config();
        this.inbound = inbound;
        this.target = target;
    }

    boolean inbound() {
        return inbound;
    }

    DiameterConfig.ConnectPeer target() {
        return target;
    }

    PeerConnection connection() {
        return conn;
    }

    boolean isOpen() {
        PeerState s = state;
        return s == PeerState.R_OPEN || s == PeerState.I_OPEN || s == PeerState.SUSPECT;
    }

    PeerSnapshot snapshot() {
        PeerConnection c = conn;
        String host = c != null && c.host() != null ? c.host() : target != null ? target.host() : null;
        return new PeerSnapshot(host, state, c != null ? c.remoteAddress() : null, inbound);
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext c) {
        this.ctx = c;
        conn = new PeerConnection(c.channel(), inbound, cfg.maxInFlight(), cfg.requestTimeout());
        table.register(this);
        ceTimer = c.executor().schedule(this::ceTimeout, cfg.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (inbound) {
            setState(PeerState.WAIT_CER);
        } else {
            setState(PeerState.WAIT_I_CEA);
            c.writeAndFlush(CapabilitiesExchange.request(cfg, local(), table.originStateId(), conn.nextHopByHop()));
        }
        c.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (ceTimer != null) {
            ceTimer.cancel(false);
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        conn.failAll();
        setState(PeerState.CLOSED);
        table.closed(this, wasOpen, peerCause);
        c.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            LOG.warn("TLS handshake with {} failed: {}", c.channel().remoteAddress(), e.cause().toString());
            c.close();
        }
        c.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            LOG.debug("connection {} to {} failed: {}", c.channel().remoteAddress(), conn != null ? conn.host() : null, cause.toString());
        } else {
            LOG.warn("connection {} to {} failed: {}", c.channel().remoteAddress(), conn != null ? conn.host() : null, cause.toString());
        }
        c.close();
    }

    private void ceTimeout() {
        if (state == PeerState.WAIT_CER || state == PeerState.WAIT_I_CEA) {
            LOG.warn("no {} from {} within {} ms; closing", inbound ? "CER" : "CEA", ctx.channel().remoteAddress(), cfg.requestTimeout().toMillis());
            ctx.close();
        }
    }

    /** Sends DPR (when open) and closes; completes when the connection is closed. Any thread. */
    CompletableFuture<Void> disconnect(Disconnect.Cause cause) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (ctx == null) {
            done.complete(null);
            return done;
        }
        ctx.channel().closeFuture().addListener(f -> done.complete(null));
        ctx.executor().execute(() -> {
            if (!isOpen()) {
                ctx.close();
                return;
            }
            setState(PeerState.CLOSING);
            long start = System.nanoTime();
            conn.request(Disconnect.request(cfg.originHost(), cfg.originRealm(), cause, 0)).whenComplete((a, e) -> {
                if (a != null) {
                    table.metrics().answerReceived(D.commandName(Disconnect.DPR), resultCode(a), Duration.ofNanos(System.nanoTime() - start));
                } else {
                    table.metrics().requestTimedOut(D.commandName(Disconnect.DPR));
                }
                ctx.close();
            });
        });
        return done;
    }

    void closeQuietly() {
        if (ctx != null) {
            ctx.close();
        }
    }

    // ---- input -----------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        String host = conn.host();
        if (host != null) {
            MDC.put("peer", host);
        }
        try {
            if (msg instanceof InvalidMessage im) {
                onInvalid(im);
            } else if (msg instanceof DiameterMessage m) {
                onMessage(m);
            }
        } catch (RuntimeException e) {
            LOG.error("failed to process {} from {}; answering 5012", msg, ctx.channel().remoteAddress(), e);
            if (msg instanceof DiameterMessage m && m.isRequest() && isOpen()) {
                send(m, answer(m).errorMessage("internal error").build(), System.nanoTime());
            } else {
                ctx.close();
            }
        } finally {
            MDC.remove("peer");
        }
    }

    private void onInvalid(InvalidMessage im) {
        table.metrics().invalidMessage(im.resultCode());
        LOG.warn("malformed {} from {} ({}): {} -> {}", im.isRequest() ? "request" : "answer",
                conn.host() != null ? conn.host() : ctx.channel().remoteAddress(), D.commandName(im.commandCode()), im.reason(), im.resultCode());
        if (im.isRequest()) {
            AnswerBuilder b = answer(im.partial()).resultCode(im.resultCode()).errorMessage(im.reason());
            if (im.failedAvp() != null) {
                b.failedAvp(im.failedAvp());
            }
            if (im.commandCode() == AA && im.applicationId() == CapabilitiesExchange.RX) {
                b.add(Avp.unsigned32(D.avp("Auth-Application-Id"), CapabilitiesExchange.RX));
            }
            send(im.partial(), b.build(), System.nanoTime());
        }
        if (im.framingLost() || !isOpen()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void onMessage(DiameterMessage m) {
        long received = System.nanoTime();
        if (watchdog != null) {
            watchdog.received(m, received);
        }
        switch (state) {
            case WAIT_CER -> {
                if (m.isRequest() && m.commandCode() == CapabilitiesExchange.CER) {
                    onCer(m, received);
                } else {
                    LOG.warn("{} sent {} before CER; closing", ctx.channel().remoteAddress(), D.commandName(m.commandCode()));
                    ctx.close();
                }
            }
            case WAIT_I_CEA -> {
                if (!m.isRequest() && m.commandCode() == CapabilitiesExchange.CER) {
                    onCea(m);
                } else {
                    LOG.warn("{} sent {} instead of CEA; closing", ctx.channel().remoteAddress(), D.commandName(m.commandCode()));
                    ctx.close();
                }
            }
            case R_OPEN, I_OPEN, SUSPECT, CLOSING -> onOpen(m, received);
            default -> LOG.debug("ignoring {} in state {}", m, state);
        }
    }

    private void onCer(DiameterMessage cer, long received) {
        ceTimer.cancel(false);
        CapabilitiesExchange.Verdict v = CapabilitiesExchange.judge(cer, cfg, remoteIp(), tlsSession(), null);
        if (v.accepted() && table.admit(this, v.host()) == PeerTable.Admission.REJECT) {
            v = new CapabilitiesExchange.Verdict(ELECTION_LOST, v.host(), v.realm(), v.originStateId(),
                    "election lost: the connection initiated by the higher Origin-Host survives");
            LOG.info("peer {}: keeping our own connection, refusing the one from {} (election, RFC 6733 5.6.4)", v.host(), ctx.channel().remoteAddress());
        } else if (!v.accepted()) {
            LOG.warn("peer {} from {} refused with {}: {}", v.host(), ctx.channel().remoteAddress(), v.resultCode(), v.reason());
        }
        DiameterMessage cea = CapabilitiesExchange.answer(cer, cfg, local(), table.originStateId(), v);
        if (!v.accepted()) {
            send(cer, cea, received).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        conn.identify(v.host(), v.realm());
        open(PeerState.R_OPEN, v);
        send(cer, cea, received);
    }

    private void onCea(DiameterMessage cea) {
        ceTimer.cancel(false);
        CapabilitiesExchange.Verdict v = CapabilitiesExchange.judge(cea, cfg, remoteIp(), tlsSession(), target.host());
        table.metrics().answerReceived(D.commandName(CapabilitiesExchange.CER), resultCode(cea), Duration.ZERO);
        if (!v.accepted()) {
            LOG.warn("peer {} at {} refused: {} ({})", target.host(), ctx.channel().remoteAddress(), v.reason(), v.resultCode());
            ctx.close();
            return;
        }
        if (table.admit(this, v.host()) == PeerTable.Admission.REJECT) {
            LOG.info("peer {}: keeping its connection to us, closing ours (election, RFC 6733 5.6.4)", v.host());
            ctx.close();
            return;
        }
        conn.identify(v.host(), v.realm());
        open(PeerState.I_OPEN, v);
    }

    private void open(PeerState s, CapabilitiesExchange.Verdict v) {
        wasOpen = true;
        setState(s);
        watchdog = new Watchdog(ctx.channel().eventLoop(), cfg.watchdogInterval(), new Watchdog.Hooks() {
            @Override
            public void sendDwr() {
                long start = System.nanoTime();
                String cmd = D.commandName(Watchdog.DWR);
                conn.request(Watchdog.request(cfg.originHost(), cfg.originRealm(), table.originStateId(), 0)).whenComplete((a, e) -> {
                    if (a != null) {
                        table.metrics().answerReceived(cmd, resultCode(a), Duration.ofNanos(System.nanoTime() - start));
                    } else {
                        table.metrics().requestTimedOut(cmd);
                    }
                });
            }

            @Override
            public void suspect() {
                LOG.warn("peer {} is suspect: no answer to DWR within {} ms", conn.host(), cfg.watchdogInterval().toMillis());
                setState(PeerState.SUSPECT);
            }

            @Override
            public void down() {
                LOG.warn("peer {} is down: silent for {} ms after DWR; closing", conn.host(), 2 * cfg.watchdogInterval().toMillis());
                ctx.close();
            }

            @Override
            public void recovered() {
                LOG.info("peer {} answers again", conn.host());
                setState(s);
            }
        });
        watchdog.start();
        table.opened(this, v.originStateId());
    }

    private void onOpen(DiameterMessage m, long received) {
        if (!m.isRequest()) {
            if (!conn.complete(m)) {
                LOG.debug("answer {} matches no pending request; dropped", m);
            }
            return;
        }
        if (m.applicationId() == 0) {
            int cmd = m.commandCode();
            if (cmd == Watchdog.DWR) {
                table.noteOriginStateId(conn.host(), m);
                send(m, Watchdog.answer(m, cfg.originHost(), cfg.originRealm(), table.originStateId()), received);
            } else if (cmd == Disconnect.DPR) {
                peerCause = Disconnect.causeOf(m);
                LOG.info("peer {} disconnects ({})", conn.host(), peerCause);
                setState(PeerState.CLOSING);
                send(m, Disconnect.answer(m, cfg.originHost(), cfg.originRealm()), received).addListener(ChannelFutureListener.CLOSE);
            } else if (cmd == CapabilitiesExchange.CER) {
                send(m, answer(m).errorMessage("capabilities were already exchanged on this connection").build(), received);
            } else {
                send(m, answer(m).resultCode(ProtocolResult.DIAMETER_COMMAND_UNSUPPORTED.code()).build(), received);
            }
        } else if (m.applicationId() == CapabilitiesExchange.RX) {
            table.deliver(conn, m, received);
        } else {
            send(m, answer(m).resultCode(ProtocolResult.DIAMETER_APPLICATION_UNSUPPORTED.code())
                    .errorMessage("application " + m.applicationId() + " is not supported").build(), received);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private AnswerBuilder answer(DiameterMessage request) {
        return AnswerBuilder.to(request, cfg.originHost(), cfg.originRealm());
    }

    private ChannelFuture send(DiameterMessage request, DiameterMessage answer, long receivedNanos) {
        ChannelFuture f = ctx.writeAndFlush(answer);
        table.metrics().requestAnswered(D.commandName(request.commandCode()), resultCode(answer), Duration.ofNanos(System.nanoTime() - receivedNanos));
        return f;
    }

    static long resultCode(DiameterMessage answer) {
        var rc = answer.find(D.avp("Result-Code"));
        if (rc != null) {
            return rc.unsigned32();
        }
        var er = answer.find(D.avp("Experimental-Result"));
        if (er != null) {
            var c = er.child(D.avp("Experimental-Result-Code"));
            if (c != null && c.dataLength() == 4) {
                return c.unsigned32();
            }
        }
        return -1;
    }

    private void setState(PeerState s) {
        state = s;
        if (conn != null && conn.host() != null) {
            table.metrics().peerStateChanged(conn.host(), s);
        }
    }

    private InetSocketAddress local() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    private InetAddress remoteIp() {
        InetSocketAddress r = (InetSocketAddress) ctx.channel().remoteAddress();
        return r != null ? r.getAddress() : null;
    }

    private SSLSession tlsSession() {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl != null ? ssl.engine().getSession() : null;
    }
}
