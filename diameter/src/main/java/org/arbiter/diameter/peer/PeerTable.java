package org.arbiter.diameter.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterException;
import org.arbiter.diameter.DiameterMetrics;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of this node: listeners (TCP and TLS/TCP), connections to configured peers with
 * reconnect backoff, the table of open connections by Origin-Host with the election between two
 * connections to one peer (RFC 6733 §5.6.4), Origin-State-Id tracking (§8.16), and the orderly
 * shutdown with DPR.
 *
 * <p>Reconnect backoff for a configured peer: min(1 s, Tw), doubled after every attempt that
 * did not reach an open state, at most 30 s (the RFC's recommended Tc); the longest right after the
 * peer said BUSY or DO_NOT_WANT_TO_TALK_TO_YOU. While the peer is connected to us, no outbound
 * connection is attempted and requests to it use the inbound one.
 *
 * <p>Buffers come from Netty's pooled allocator: its adaptive default, in a small heap
 * ({@code -Xmx512m}), allocated most read buffers unpooled, each a native segment whose release
 * stops every thread for a handshake.
 *
 * <p>Thread-safe. Application requests are handed to the {@code application} callback on the
 * connection's I/O thread: it must not block.
 */
public final class PeerTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTable.class);
    private static final Dictionary D = Dictionary.standard();
    private static final long MAX_BACKOFF_MS = 30_000;
    /** The name prefix of the I/O threads (two per processor, Netty's default), all stopped by {@link #close()}. */
    public static final String IO_THREAD_PREFIX = "diameter-io";

    /** An application request: where it came from, the request, and when it was decoded. */
    public interface ApplicationRequests {
        void onRequest(PeerConnection from, DiameterMessage request, long receivedNanos);
    }

    enum Admission { ACCEPT, REJECT }

    private final DiameterConfig cfg;
    private final DiameterMetrics metrics;
    private final ApplicationRequests application;
    private final Consumer<String> restarted;
    private final long originStateId;
    private final Map<String, PeerStateMachine> open = new ConcurrentHashMap<>();
    private final Set<PeerStateMachine> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> stateIds = new ConcurrentHashMap<>();
    private final List<Connector> connectors = new ArrayList<>();
    private Channel tcpListener;
    private Channel tlsListener;
    private EventLoopGroup group;
    private SslContext serverTls;
    private SslContext clientTls;
    private volatile boolean closing;

    /**
     * @param cfg the configuration
     * @param metrics where to count
     * @param application receives Rx requests of open peers
     * @param restarted told the Origin-Host of a peer that came back with another Origin-State-Id
     */
    public PeerTable(DiameterConfig cfg, DiameterMetrics metrics, ApplicationRequests application, Consumer<String> restarted) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.application = application;
        this.restarted = restarted;
        this.originStateId = System.currentTimeMillis() / 1000;
    }

    /** Binds the listeners and starts connecting to configured peers; fails fast. */
    public void start() {
        if (cfg.tls() != null) {
            serverTls = cfg.tls().port() >= 0 ? TlsContexts.server(cfg.tls()) : null;
            clientTls = TlsContexts.client(cfg.tls());
        }
        // one event loop per core (Netty's default is two): the handlers that block run on
        // threads of their own, and fewer loops wake up less often for more messages each
        // (0.90x to 0.93x the full path's CPU per session at 5,000/s, BENCHMARKS.md)
        group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory(IO_THREAD_PREFIX), SocketTransport.current().ioHandler());
        try {
            if (cfg.listenPort() >= 0) {
                tcpListener = bind(cfg.listenPort(), null);
            }
            if (serverTls != null) {
                tlsListener = bind(cfg.tls().port(), serverTls);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (DiameterConfig.ConnectPeer p : cfg.connectPeers()) {
            Connector c = new Connector(p);
            connectors.add(c);
            c.schedule(0);
        }
    }

    private Channel bind(int port, SslContext tls) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(SocketTransport.current().serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(initializer(true, null, tls));
        ChannelFuture f = b.bind(cfg.listenAddress(), port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new DiameterException("cannot listen on " + cfg.listenAddress() + ":" + port + (tls != null ? " (TLS)" : "")
                    + ": " + f.cause().getMessage(), f.cause());
        }
        LOG.info("Diameter {} listening on {} as {} ({})", tls != null ? "TLS/TCP" : "TCP", f.channel().localAddress(), cfg.originHost(),
                transportName());
        return f.channel();
    }

    /** The socket transport, and why epoll is not it when it is not. */
    private static String transportName() {
        SocketTransport t = SocketTransport.current();
        return t == SocketTransport.EPOLL ? "epoll" : "NIO; epoll unavailable: " + SocketTransport.whyNotEpoll();
    }

    private ChannelInitializer<SocketChannel> initializer(boolean inbound, DiameterConfig.ConnectPeer target, SslContext tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // answers written while a read is in progress are flushed once, when it completes
                ch.pipeline().addLast("flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
                if (tls != null) {
                    ch.pipeline().addLast("tls", target != null
                            ? tls.newHandler(ch.alloc(), target.host(), target.port())
                            : tls.newHandler(ch.alloc()));
                }
                ch.pipeline().addLast("decoder", new DiameterDecoder(D, cfg.maxMessageSize()));
                ch.pipeline().addLast("encoder", DiameterEncoder.INSTANCE);
                ch.pipeline().addLast("peer", new PeerStateMachine(PeerTable.this, inbound, target));
            }
        };
    }

    /** The bound plain TCP port, or -1. */
    public int port() {
        return listenerPort(tcpListener);
    }

    /** The bound TLS port, or -1. */
    public int tlsPort() {
        return listenerPort(tlsListener);
    }

    private static int listenerPort(Channel listener) {
        return listener != null ? ((InetSocketAddress) listener.localAddress()).getPort() : -1;
    }

    /** The open connection to {@code host}, or {@code null}. */
    public PeerConnection connection(String host) {
        PeerStateMachine sm = host == null ? null : open.get(host.toLowerCase(Locale.ROOT));
        return sm != null && sm.isOpen() ? sm.connection() : null;
    }

    /** Every connection and every configured peer without one. */
    public List<PeerSnapshot> snapshot() {
        List<PeerSnapshot> out = new ArrayList<>();
        for (PeerStateMachine sm : all) {
            out.add(sm.snapshot());
        }
        for (Connector c : connectors) {
            if (out.stream().noneMatch(s -> c.peer.host().equalsIgnoreCase(s.host()))) {
                out.add(new PeerSnapshot(c.peer.host(), c.connecting ? PeerState.WAIT_CONN_ACK : PeerState.CLOSED, null, false));
            }
        }
        return out;
    }

    /** Our Origin-State-Id: the start time in seconds. */
    public long originStateId() {
        return originStateId;
    }

    DiameterConfig config() {
        return cfg;
    }

    DiameterMetrics metrics() {
        return metrics;
    }

    // ---- called by the state machines ----------------------------------------------------------

    void register(PeerStateMachine sm) {
        all.add(sm);
        if (closing) {
            sm.closeQuietly();
        }
    }

    synchronized Admission admit(PeerStateMachine candidate, String host) {
        String key = host.toLowerCase(Locale.ROOT);
        PeerStateMachine current = open.get(key);
        if (current == null || current == candidate || !current.connection().isActive()) {
            open.put(key, candidate);
            return Admission.ACCEPT;
        }
        if (current.inbound() == candidate.inbound()) {
            LOG.warn("peer {} opened another connection from {}; it replaces the one from {}", host,
                    candidate.connection().remoteAddress(), current.connection().remoteAddress());
            open.put(key, candidate);
            current.closeQuietly();
            return Admission.ACCEPT;
        }
        boolean weWin = cfg.originHost().compareTo(host) > 0;
        PeerStateMachine keep = weWin == !candidate.inbound() ? candidate : current;
        if (keep == candidate) {
            open.put(key, candidate);
            current.closeQuietly();
            return Admission.ACCEPT;
        }
        return Admission.REJECT;
    }

    void opened(PeerStateMachine sm, long peerStateId) {
        PeerConnection c = sm.connection();
        LOG.info("peer {} up ({} {})", c.host(), sm.inbound() ? "from" : "to", c.remoteAddress());
        for (Connector k : connectors) {
            if (k.peer.host().equalsIgnoreCase(c.host())) {
                k.failures = 0;
            }
        }
        noteOriginStateId(c.host(), peerStateId);
    }

    void noteOriginStateId(String host, DiameterMessage m) {
        Avp a = m.find(D.avp("Origin-State-Id"));
        if (a != null) {
            noteOriginStateId(host, a.unsigned32());
        }
    }

    private void noteOriginStateId(String host, long id) {
        if (id < 0 || host == null) {
            return;
        }
        Long before = stateIds.put(host.toLowerCase(Locale.ROOT), id);
        if (before != null && before != id) {
            LOG.info("peer {} restarted (Origin-State-Id {} -> {})", host, before, id);
            Thread.ofVirtual().name("peer-restart-" + host).start(() -> restarted.accept(host));
        }
    }

    void closed(PeerStateMachine sm, boolean wasOpen, Disconnect.Cause cause) {
        all.remove(sm);
        PeerConnection c = sm.connection();
        if (c.host() != null) {
            open.remove(c.host().toLowerCase(Locale.ROOT), sm);
        }
        if (wasOpen) {
            LOG.info("peer {} down ({} {})", c.host(), sm.inbound() ? "from" : "to", c.remoteAddress());
        }
        if (sm.target() != null) {
            for (Connector k : connectors) {
                if (k.peer == sm.target()) {
                    k.closed(cause);
                }
            }
        }
    }

    void deliver(PeerConnection from, DiameterMessage request, long receivedNanos) {
        application.onRequest(from, request, receivedNanos);
    }

    // ---- shutdown ------------------------------------------------------------------------------

    /** Sends DPR (REBOOTING) to every open peer, waits for the DPAs within the request timeout, and stops. */
    @Override
    public void close() {
        closing = true;
        for (Connector c : connectors) {
            c.stop();
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (PeerStateMachine sm : all) {
            done.add(sm.disconnect(Disconnect.Cause.REBOOTING));
        }
        Duration wait = cfg.requestTimeout().plusMillis(500);
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} peer(s) did not answer DPR within {} ms; closing anyway", done.stream().filter(f -> !f.isDone()).count(), wait.toMillis());
        } catch (ExecutionException e) {
            LOG.debug("disconnect failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Channel l : new Channel[] {tcpListener, tlsListener}) {
            if (l != null) {
                l.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        for (PeerStateMachine sm : all) {
            sm.closeQuietly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        LOG.info("Diameter {} stopped", cfg.originHost());
    }

    /** Keeps one configured peer connected. */
    private final class Connector {
        final DiameterConfig.ConnectPeer peer;
        volatile int failures;
        volatile boolean connecting;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;
        private Disconnect.Cause lastCause;

        Connector(DiameterConfig.ConnectPeer peer) {
            this.peer = peer;
        }

        void schedule(long delayMs) {
            if (!stopped && !closing) {
                next = group.schedule(this::attempt, delayMs, TimeUnit.MILLISECONDS);
            }
        }

        long backoff() {
            long base = Math.min(1000, cfg.watchdogInterval().toMillis());
            if (lastCause == Disconnect.Cause.BUSY || lastCause == Disconnect.Cause.DO_NOT_WANT_TO_TALK_TO_YOU) {
                lastCause = null;
                return MAX_BACKOFF_MS;
            }
            return Math.min(MAX_BACKOFF_MS, base << Math.min(failures, 6));
        }

        void attempt() {
            if (stopped || closing) {
                return;
            }
            if (connection(peer.host()) != null) {
                schedule(cfg.watchdogInterval().toMillis());
                return;
            }
            connecting = true;
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(SocketTransport.current().clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) cfg.requestTimeout().toMillis())
                    .handler(initializer(false, peer, peer.tls() ? clientTls : null));
            b.connect(peer.address(), peer.port()).addListener((ChannelFuture f) -> {
                connecting = false;
                if (!f.isSuccess()) {
                    if (failures == 0) {
                        LOG.warn("cannot connect to peer {} at {}:{}: {}", peer.host(), peer.address(), peer.port(), f.cause().getMessage());
                    } else {
                        LOG.debug("cannot connect to peer {} at {}:{}: {}", peer.host(), peer.address(), peer.port(), f.cause().getMessage());
                    }
                    long delay = backoff();
                    failures++;
                    schedule(delay);
                }
            });
        }

        void closed(Disconnect.Cause cause) {
            lastCause = cause;
            long delay = backoff();
            failures++;
            schedule(delay);
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> n = next;
            if (n != null) {
                n.cancel(false);
            }
        }
    }
}
