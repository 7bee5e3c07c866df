package org.arbiter.adapter.pcmm;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.arbiter.adapter.pcmm.cops.CopsDecoder;
import org.arbiter.adapter.pcmm.cops.CopsEncoder;
import org.arbiter.adapter.pcmm.cops.CopsErrorCode;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.arbiter.adapter.pcmm.cops.CopsMessage;
import org.arbiter.adapter.pcmm.cops.CopsObject;
import org.arbiter.adapter.pcmm.cops.CopsOpCode;
import org.arbiter.adapter.pcmm.cops.InvalidCopsMessage;
import org.arbiter.adapter.pcmm.mm.GateCommand;
import org.arbiter.adapter.pcmm.mm.PcmmCodec;
import org.arbiter.adapter.pcmm.mm.PcmmCommand;
import org.arbiter.adapter.pcmm.mm.PcmmDecoded;
import org.arbiter.adapter.pcmm.mm.PcmmFault;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.core.adapter.OutcomeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The COPS session of the Policy Server with one CMTS, as PacketCable Multimedia runs it over
 * RFC 2748.
 *
 * <pre>
 *  IDLE ──first call──► CONNECTING ──TCP up──► AWAIT_OPN ──OPN, client-type 0x800A / CAT(KA)──► AWAIT_REQ
 *                            ▲                                                                       │ REQ (Handle,
 *                            │ backoff delay                                                         ▼ Context R-Type 8)
 *                         BACKOFF ◄── CC · DRQ · connection lost · KA silence · malformed ── SYNCHRONIZING
 *                            ▲          message · timeout-ms before READY                            │ Synch-Complete
 *                            └───────────────────────────────── same causes ───────────── READY ◄────┘
 *  any state ──close()──► CLOSED (CC "Shutting down" sent when connected)
 * </pre>
 *
 * <ul>
 *   <li><b>Open</b> (RFC 2748 §3.6, §3.7, §4.3): the CMTS sends Client-Open with its PEPID and,
 *       as a Signaled ClientSI, its PacketCable Multimedia Version Info; the Policy Server answers
 *       Client-Accept with its Keep-Alive Timer ({@code keepalive-seconds}). A Client-Open for
 *       another client-type gets Client-Close, Error 6 Unsupported client.</li>
 *   <li><b>Request state</b> (§3.1, §4.5): the CMTS then sends one REQ, Context R-Type
 *       Configuration; its Handle carries every gate command of the connection as an unsolicited
 *       DEC (Context, Decision Flags Install, Client Specific Decision Data holding the PacketCable
 *       objects). The CMTS answers with RPT (Report-Type, Signaled ClientSI), matched to the request
 *       by the PacketCable TransactionID. Gate-Report-State RPTs are unsolicited and go to the gate
 *       logic ({@link #handlers}).</li>
 *   <li><b>Synchronization</b> (PKT-SP-MM Synch-Request/Synch-Report/Synch-Complete): before
 *       READY the gate logic rebuilds its mirror from the CMTS; only then may commands flow (the
 *       session is ready when the synchronization's future completes).</li>
 *   <li><b>Keep-alive</b> (§2.2.10, §4.6): the CMTS sends KA between 1/4 and 3/4 of the timer and
 *       the Policy Server echoes each one. No message at all for one KA interval declares the CMTS
 *       dead: the connection closes and the session reconnects.</li>
 *   <li><b>Reconnect</b>: after a failure the session waits {@code reconnect-min-ms}, doubling up to
 *       {@code reconnect-max-ms} while attempts keep failing, and resets after READY. A connection
 *       attempt that is not READY within {@code timeout-ms} counts as failed.</li>
 * </ul>
 *
 * <p>Deliberate departures from RFC 2748:
 * <ul>
 *   <li>The Policy Server (PDP) opens the TCP connection to the CMTS (PEP), port 3918, as PKT-SP-MM
 *       requires; §2.3 has the PEP connect to the PDP.</li>
 *   <li>No SSQ/SSC (§2.5, §3.5, §3.10): state is synchronized with the PacketCable Synch-Request
 *       over the REQ handle, which also reports gates made before a restart.</li>
 *   <li>A malformed COPS message from the CMTS closes the connection with Client-Close carrying
 *       the decoder's Error (3, 7 or 13); a RPT whose PacketCable data is malformed fails only the
 *       transaction it answers.</li>
 *   <li>Client-Close with Error 12 (redirect) is not followed: the session reconnects to the
 *       configured CMTS, which is the only peer a Policy Server connects to.</li>
 *   <li>A DRQ for the handle, or a second REQ, is taken as a lost session (close and reconnect)
 *       rather than a new request state on the same connection.</li>
 *   <li>No Integrity object (§2.2.16, §4.1) and no Accounting Timer in Client-Accept; PacketCable
 *       secures COPS with IPsec and accounts through its record keeping servers.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Every field below the constructor's is confined to the session's single
 * event loop thread. {@link #call}, {@link #whenReady}, {@link #snapshot} and
 * {@link #close} may be called from any thread; {@link #transact} only on the event loop.
 */
final class CmtsSession {

    private static final Logger LOG = LoggerFactory.getLogger(CmtsSession.class);

    /** The session states. */
    enum State { IDLE, CONNECTING, AWAIT_OPN, AWAIT_REQ, SYNCHRONIZING, READY, BACKOFF, CLOSED }

    /** What health reports: the state and what the CMTS said about itself. */
    record Snapshot(State state, String pepId, PcmmObject.VersionInfo version) {
    }

    private final PcmmConfig cfg;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private volatile Supplier<CompletableFuture<?>> synchronizer = () -> CompletableFuture.completedFuture(null);
    private volatile Consumer<PcmmCommand> reports = r -> { };
    private volatile Snapshot snapshot = new Snapshot(State.IDLE, null, null);
    private volatile boolean closed;

    private State state = State.IDLE;
    private Channel channel;
    private CopsObject.Handle handle;
    private String pepId;
    private PcmmObject.VersionInfo version;
    private CompletableFuture<Void> attempt;
    private String lastFailure = "not connected yet";
    private int failures;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> attemptTimer;
    private long nextAttemptNanos;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private int nextTransactionId = 1;

    CmtsSession(PcmmConfig cfg) {
        this.cfg = cfg;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pcmm-" + cfg.deviceId(), true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cfg.timeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("decoder", new CopsDecoder(CopsDecoder.DEFAULT_MAX_MESSAGE_SIZE))
                                .addLast("encoder", CopsEncoder.INSTANCE)
                                .addLast("session", new Inbound());
                    }
                });
        loop.execute(() -> {
            MDC.put("adapter", PcmmAdapterProvider.NAME);
            MDC.put("peer", cfg.deviceId());
        });
    }

    /**
     * The gate logic, called on the event loop.
     *
     * @param synchronize runs when the handshake is done and rebuilds the gate mirror; the session is
     *     READY when its future completes
     * @param gateReports takes every unsolicited Gate-Report-State
     */
    void handlers(Supplier<CompletableFuture<?>> synchronize, Consumer<PcmmCommand> gateReports) {
        this.synchronizer = synchronize;
        this.reports = gateReports;
    }

    EventLoop loop() {
        return loop;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Runs {@code task} on the event loop and returns its future; after {@link #close} the future
     * fails with UNREACHABLE instead.
     */
    <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    task.get().whenComplete((v, e) -> {
                        if (e != null) {
                            out.completeExceptionally(e);
                        } else {
                            out.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(new SessionFailure(OutcomeStatus.UNREACHABLE, "the adapter is closed"));
        }
        return out;
    }

    /**
     * Completes when the session is READY; fails with UNREACHABLE when the current connection
     * attempt fails or the session is waiting to reconnect. The first call starts the session: the
     * CMTS is not contacted before.
     */
    CompletableFuture<Void> whenReady() {
        return call(() -> switch (state) {
            case READY -> CompletableFuture.completedFuture(null);
            case IDLE -> {
                connect();
                yield attempt.copy();
            }
            case CONNECTING, AWAIT_OPN, AWAIT_REQ, SYNCHRONIZING -> attempt.copy();
            case BACKOFF -> CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.UNREACHABLE, "no session with the CMTS: "
                    + lastFailure + "; next attempt in "
                    + Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextAttemptNanos - System.nanoTime())) + " ms"));
            case CLOSED -> CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.UNREACHABLE, "the adapter is closed"));
        });
    }

    /**
     * Sends a gate command as a DEC on the session's handle and collects the answers: every
     * Synch-Report, then the answer that ends the transaction (Ack, Err, Synch-Complete,
     * Gate-Cmd-Err). Fails with UNREACHABLE when there is no session or it is lost, with TIMEOUT
     * when the CMTS has not answered after {@code lifetime}. Event loop only.
     */
    CompletableFuture<List<PcmmCommand>> transact(GateCommand command, List<PcmmObject> body, Duration lifetime) {
        if (channel == null || handle == null || (state != State.READY && state != State.SYNCHRONIZING)) {
            return CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.UNREACHABLE,
                    "no session with the CMTS (" + state + ")"));
        }
        int tid = allocateTransactionId();
        if (tid < 0) {
            return CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.FAILED, "65535 transactions are outstanding"));
        }
        CopsMessage dec;
        try {
            PcmmCommand cmd = new PcmmCommand(new PcmmObject.TransactionId(tid, command), body);
            dec = new CopsMessage(false, CopsOpCode.DEC, CopsMessage.CLIENT_TYPE_PCMM, List.of(handle,
                    new CopsObject.Context(CopsObject.Context.CONFIGURATION, 0),
                    new CopsObject.DecisionFlags(CopsObject.DecisionFlags.Command.INSTALL, 0),
                    new CopsObject.DecisionData(CopsObject.DecisionData.CLIENT_SPECIFIC, PcmmCodec.encode(cmd))));
        } catch (CopsException e) {
            return CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.FAILED, e.getMessage()));
        }
        Pending p = new Pending(tid, command);
        pending.put(tid, p);
        p.expiry = loop.schedule(() -> {
            if (pending.remove(tid, p)) {
                p.future.completeExceptionally(new SessionFailure(OutcomeStatus.TIMEOUT, command.specName() + " (TransactionID " + tid
                        + ") unanswered after " + lifetime.toMillis() + " ms"));
            }
        }, lifetime.toNanos(), TimeUnit.NANOSECONDS);
        Channel ch = channel;
        LOG.debug("DEC {} TransactionID {} to {}", command.specName(), tid, pepId);
        ch.writeAndFlush(dec).addListener(f -> {
            if (!f.isSuccess() && pending.remove(tid, p)) {
                p.expiry.cancel(false);
                p.future.completeExceptionally(new SessionFailure(OutcomeStatus.UNREACHABLE, "cannot send " + command.specName() + ": "
                        + f.cause()));
            }
        });
        return p.future;
    }

    private int allocateTransactionId() {
        for (int i = 0; i < 0xFFFF; i++) {
            int tid = nextTransactionId;
            nextTransactionId = nextTransactionId == 0xFFFF ? 1 : nextTransactionId + 1;
            if (!pending.containsKey(tid)) {
                return tid;
            }
        }
        return -1;
    }

    /** Stops the session: CC "Shutting down" when connected, every request fails, the thread ends. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> farewell = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                State was = state;
                setState(State.CLOSED);
                cancelTimers();
                Channel ch = channel;
                channel = null;
                if (ch != null && ch.isActive()) {
                    ch.writeAndFlush(new CopsMessage(false, CopsOpCode.CC, CopsMessage.CLIENT_TYPE_PCMM,
                            List.of(new CopsObject.ErrorObject(CopsErrorCode.SHUTTING_DOWN, 0)))).addListener(f -> {
                                ch.close();
                                farewell.complete(null);
                            });
                } else {
                    farewell.complete(null);
                }
                failAll(new SessionFailure(OutcomeStatus.UNREACHABLE, "the adapter is closed"));
                if (was != State.IDLE) {
                    LOG.info("PCMM session with CMTS {}:{} closed", cfg.host(), cfg.port());
                }
            });
            // the loop closes its channels as soon as it shuts down: let the Client-Close go first
            farewell.get(1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.debug("no Client-Close sent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- state machine (event loop)

    private void setState(State s) {
        state = s;
        snapshot = new Snapshot(s, pepId, version);
    }

    private void connect() {
        if (attempt == null || attempt.isDone()) {
            attempt = new CompletableFuture<>();
        }
        setState(State.CONNECTING);
        attemptTimer = loop.schedule(() -> lose(null, "no PCMM session within timeout-ms (" + cfg.timeout().toMillis() + " ms, stuck in "
                + state + ")"), cfg.timeout().toNanos(), TimeUnit.NANOSECONDS);
        LOG.debug("connecting to CMTS {}:{}", cfg.host(), cfg.port());
        bootstrap.connect(cfg.host(), cfg.port()).addListener((ChannelFutureListener) f -> {
            if (state != State.CONNECTING) {
                f.channel().close();
                return;
            }
            if (!f.isSuccess()) {
                lose(null, "cannot connect to " + cfg.host() + ":" + cfg.port() + ": " + f.cause().getMessage());
                return;
            }
            channel = f.channel();
            setState(State.AWAIT_OPN);
        });
    }

    private void cancelTimers() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
    }

    /**
     * The session is lost: close the connection (after {@code farewell}, a Client-Close to send),
     * fail what waits for it and schedule the next attempt.
     */
    private void lose(CopsMessage farewell, String reason) {
        if (state == State.CLOSED || state == State.BACKOFF) {
            return;
        }
        boolean wasReady = state == State.READY;
        Channel ch = channel;
        channel = null;
        handle = null;
        if (ch != null) {
            if (farewell != null && ch.isActive()) {
                ch.writeAndFlush(farewell).addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.close();
            }
        }
        cancelTimers();
        lastFailure = reason;
        failures++;
        long delay = Math.min(cfg.reconnectMax().toNanos(),
                cfg.reconnectMin().toNanos() << Math.min(failures - 1, 30));
        delay = Math.max(delay, cfg.reconnectMin().toNanos());
        nextAttemptNanos = System.nanoTime() + delay;
        setState(State.BACKOFF);
        SessionFailure failure = new SessionFailure(OutcomeStatus.UNREACHABLE, reason);
        failAll(failure);
        if (attempt != null && !attempt.isDone()) {
            attempt.completeExceptionally(failure);
        }
        if (wasReady) {
            LOG.warn("PCMM session with CMTS {} ({}:{}) lost: {}; reconnecting in {} ms", pepId, cfg.host(), cfg.port(), reason,
                    TimeUnit.NANOSECONDS.toMillis(delay));
        } else {
            LOG.warn("no PCMM session with CMTS {}:{}: {}; next attempt in {} ms", cfg.host(), cfg.port(), reason,
                    TimeUnit.NANOSECONDS.toMillis(delay));
        }
        reconnectTimer = loop.schedule(() -> {
            reconnectTimer = null;
            if (state == State.BACKOFF) {
                connect();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void failAll(SessionFailure failure) {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            if (p.expiry != null) {
                p.expiry.cancel(false);
            }
            p.future.completeExceptionally(failure);
        }
    }

    private void received(Channel ch, Object msg) {
        if (ch != channel) {
            return;
        }
        if (msg instanceof InvalidCopsMessage bad) {
            LOG.warn("malformed COPS message from CMTS {}:{}: {} ({})", cfg.host(), cfg.port(), bad.reason(), bad.error());
            lose(clientClose(bad.error()), "malformed message from the CMTS: " + bad.reason());
            return;
        }
        CopsMessage m = (CopsMessage) msg;
        LOG.debug("{} from CMTS in {}", m.opCode(), state);
        switch (m.opCode()) {
            case KA -> ch.writeAndFlush(new CopsMessage(true, CopsOpCode.KA, 0, List.of()));
            case CC -> {
                String error = m.first(CopsObject.ErrorObject.class).map(Object::toString).orElse("no Error");
                lose(null, "the CMTS sent Client-Close: " + error);
            }
            case OPN -> opened(m);
            case REQ -> requested(m);
            case RPT -> reported(m);
            case DRQ -> lose(null, "the CMTS deleted the request state: " + m.first(CopsObject.Reason.class).map(Object::toString).orElse(""));
            case SSC -> LOG.debug("ignoring SSC from the CMTS (PacketCable synchronizes with Synch-Request)");
            default -> LOG.warn("ignoring {} from CMTS {}:{} in state {}: a PEP does not send it", m.opCode(), cfg.host(), cfg.port(), state);
        }
    }

    private void opened(CopsMessage m) {
        if (state != State.AWAIT_OPN) {
            lose(clientClose(new CopsObject.ErrorObject(CopsErrorCode.BAD_MESSAGE_FORMAT, 0)), "a second Client-Open in " + state);
            return;
        }
        if (m.clientType() != CopsMessage.CLIENT_TYPE_PCMM) {
            LOG.warn("CMTS {}:{} opened client-type 0x{}, not PacketCable Multimedia", cfg.host(), cfg.port(),
                    Integer.toHexString(m.clientType()));
            lose(clientClose(new CopsObject.ErrorObject(CopsErrorCode.UNSUPPORTED_CLIENT, 0)), "Client-Open for client-type 0x"
                    + Integer.toHexString(m.clientType()));
            return;
        }
        pepId = m.first(CopsObject.PepId.class).map(CopsObject.PepId::id).orElse("?");
        version = null;
        for (CopsObject.ClientSI si : m.all(CopsObject.ClientSI.class)) {
            if (PcmmCodec.decodeObjects(si.data()) instanceof List<?> objects) {
                for (Object o : objects) {
                    if (o instanceof PcmmObject.VersionInfo v) {
                        version = v;
                    }
                }
            }
        }
        channel.pipeline().addFirst("keepalive", new IdleStateHandler(cfg.keepAliveSeconds(), 0, 0, TimeUnit.SECONDS));
        channel.writeAndFlush(new CopsMessage(true, CopsOpCode.CAT, CopsMessage.CLIENT_TYPE_PCMM,
                List.of(new CopsObject.KaTimer(cfg.keepAliveSeconds()))));
        setState(State.AWAIT_REQ);
    }

    private void requested(CopsMessage m) {
        if (state != State.AWAIT_REQ) {
            lose(null, "a second REQ in " + state);
            return;
        }
        int rType = m.first(CopsObject.Context.class).map(CopsObject.Context::rType).orElse(0);
        if (rType != CopsObject.Context.CONFIGURATION) {
            lose(clientClose(new CopsObject.ErrorObject(CopsErrorCode.UNABLE_TO_PROCESS, 0)), "REQ with R-Type 0x"
                    + Integer.toHexString(rType) + " (PacketCable uses Configuration, 0x08)");
            return;
        }
        handle = m.first(CopsObject.Handle.class).orElseThrow();
        setState(State.SYNCHRONIZING);
        Channel ch = channel;
        CompletableFuture<?> synch;
        try {
            synch = synchronizer.get();
        } catch (RuntimeException e) {
            synch = CompletableFuture.failedFuture(e);
        }
        synch.whenComplete((v, e) -> {
            if (ch != channel || state != State.SYNCHRONIZING) {
                return;
            }
            if (e != null) {
                lose(null, "synchronization failed: " + (e instanceof SessionFailure f ? f.getMessage() : e.toString()));
                return;
            }
            cancelTimers();
            failures = 0;
            lastFailure = "";
            setState(State.READY);
            LOG.info("PCMM session with CMTS {} ({}:{}, PCMM {}) ready", pepId, cfg.host(), cfg.port(),
                    version == null ? "version not announced" : version.major() + "." + version.minor());
            attempt.complete(null);
        });
    }

    private void reported(CopsMessage m) {
        if (handle == null || !handle.equals(m.first(CopsObject.Handle.class).orElse(null))) {
            LOG.warn("ignoring RPT from CMTS {} for an unknown handle in {}", pepId, state);
            return;
        }
        CopsObject.ClientSI si = m.first(CopsObject.ClientSI.class).orElse(null);
        if (si == null) {
            LOG.warn("ignoring RPT without ClientSI from CMTS {}", pepId);
            return;
        }
        PcmmDecoded decoded = PcmmCodec.decode(si.data());
        if (decoded instanceof PcmmFault fault) {
            LOG.warn("malformed PacketCable data from CMTS {}: {} ({})", pepId, fault.reason(), fault.error());
            Pending p = fault.transactionId() < 0 ? null : pending.remove(fault.transactionId());
            if (p != null) {
                p.expiry.cancel(false);
                p.future.completeExceptionally(new SessionFailure(OutcomeStatus.FAILED, "malformed answer to " + p.command.specName()
                        + ": " + fault.reason()));
            }
            return;
        }
        PcmmCommand c = (PcmmCommand) decoded;
        LOG.debug("RPT {} TransactionID {} from {}", c.command().specName(), c.transactionId().id(), pepId);
        if (c.command() == GateCommand.GATE_REPORT_STATE) {
            reports.accept(c);
            return;
        }
        Pending p = pending.get(c.transactionId().id());
        if (p == null) {
            LOG.warn("{} from CMTS {} answers no outstanding request (TransactionID {}); a late answer?", c.command().specName(), pepId,
                    c.transactionId().id());
            return;
        }
        if (c.command() == GateCommand.SYNCH_REPORT && p.command == GateCommand.SYNCH_REQUEST) {
            p.answers.add(c);
            return;
        }
        pending.remove(p.tid);
        p.expiry.cancel(false);
        p.answers.add(c);
        p.future.complete(List.copyOf(p.answers));
    }

    private static CopsMessage clientClose(CopsObject.ErrorObject error) {
        return new CopsMessage(false, CopsOpCode.CC, CopsMessage.CLIENT_TYPE_PCMM, List.of(error));
    }

    private static final class Pending {
        final int tid;
        final GateCommand command;
        final List<PcmmCommand> answers = new ArrayList<>();
        final CompletableFuture<List<PcmmCommand>> future = new CompletableFuture<>();
        ScheduledFuture<?> expiry;

        Pending(int tid, GateCommand command) {
            this.tid = tid;
            this.command = command;
        }
    }

    /** The last handler of a connection's pipeline. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received(ctx.channel(), msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && ctx.channel() == channel) {
                lose(null, "no message from the CMTS for " + cfg.keepAliveSeconds() + " s (keep-alive interval)");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                lose(null, "the CMTS closed the connection");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                lose(null, "connection error: " + cause);
            } else {
                ctx.close();
            }
        }
    }
}
