package org.arbiter.adapter.pcmm;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.arbiter.adapter.pcmm.cops.CopsDecoder;
import org.arbiter.adapter.pcmm.cops.CopsEncoder;
import org.arbiter.adapter.pcmm.cops.CopsErrorCode;
import org.arbiter.adapter.pcmm.cops.CopsMessage;
import org.arbiter.adapter.pcmm.cops.CopsObject;
import org.arbiter.adapter.pcmm.cops.CopsOpCode;
import org.arbiter.adapter.pcmm.cops.InvalidCopsMessage;
import org.arbiter.adapter.pcmm.mm.Classifier;
import org.arbiter.adapter.pcmm.mm.GateCommand;
import org.arbiter.adapter.pcmm.mm.GateSpec;
import org.arbiter.adapter.pcmm.mm.GateStateValue;
import org.arbiter.adapter.pcmm.mm.PcmmCodec;
import org.arbiter.adapter.pcmm.mm.PcmmCommand;
import org.arbiter.adapter.pcmm.mm.PcmmDecoded;
import org.arbiter.adapter.pcmm.mm.PcmmErrorCode;
import org.arbiter.adapter.pcmm.mm.PcmmFault;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.adapter.pcmm.mm.TrafficProfile;

/**
 * A CMTS for tests: it accepts Policy Server connections on 127.0.0.1 (a free port), opens each
 * with Client-Open (PEPID {@value #PEP_ID}, PCMM Version Info 5.0), sends its REQ after the
 * Client-Accept and Keep-Alives at a random point between 1/4 and 3/4 of the KA timer, and keeps
 * gates with the PacketCable gate state machine:
 *
 * <pre>
 * Gate-Set, Envelope 1 ──► AUTHORIZED ──T1 (0 = 200 s)──► closed, Gate-Report-State reason 3
 * Gate-Set, Envelope 3 ──► RESERVED   ──T2 (0 = none)───► closed, Gate-Report-State reason 4
 * Gate-Set, Envelope 7 ──► COMMITTED  ── expire(T3/T4), preempt ──► closed, Gate-Report-State
 * Gate-Set with GateID: modify (state from the new Envelope); Gate-Delete: gone
 * </pre>
 *
 * <p>It answers Gate-Set, Gate-Info, Gate-Delete and Synch-Request (Synch-Report per gate of the
 * AMID, then Synch-Complete, with the same TransactionID), validates what it gets (Unknown GateID,
 * Unauthorized AMID, Invalid SubscriberID, a direction change, unknown service class names,
 * capacity and session class limits) and can be told to misbehave: reject every Gate-Set with an
 * error code, answer late, drop connections, stop sending Keep-Alives, preempt or expire a gate,
 * forget a gate silently, report only standard Synch data, open with another client-type.
 *
 * <p><b>Threading.</b> One event loop thread of its own holds every connection and gate; the
 * public methods may be called from any thread and wait (bounded) for the loop.
 */
final class CmtsEmulator implements AutoCloseable {

    static final String PEP_ID = "cmts-emulator";

    /** A gate as the emulator holds it. */
    record GateView(long gateId, PcmmObject.Amid amid, InetAddress subscriber, GateSpec spec, TrafficProfile profile,
            List<Classifier> classifiers, byte[] opaque, GateStateValue state) {

        /** The rate the traffic profile enforces, bit/s (0 for a service class name). */
        long rateBps() {
            return rateOf(profile);
        }

        /** The Opaque Data as the adapter's reservation record, if it is one. */
        Optional<org.arbiter.core.adapter.DeviceReservation> reservation() {
            return opaque == null ? Optional.empty() : GateMapping.reservation(new PcmmObject.OpaqueData(opaque));
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cmts-emulator", true),
            NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Channel server;
    private final List<Peer> peers = new ArrayList<>();
    private final Map<Long, EmuGate> gates = new LinkedHashMap<>();
    private final List<PcmmCommand> received = new CopyOnWriteArrayList<>();
    private final List<CopsMessage> fromPdp = new CopyOnWriteArrayList<>();
    private long nextGateId = 0x1000;
    private int accepted;

    // misbehaviour, changed on the loop
    private int rejectCode;
    private Duration answerDelay = Duration.ZERO;
    private boolean standardSynchReports;
    private Set<String> serviceClasses;
    private long capacityBps = Long.MAX_VALUE;
    private int sessionClassLimit = Integer.MAX_VALUE;
    private int clientType = CopsMessage.CLIENT_TYPE_PCMM;

    private CmtsEmulator() throws InterruptedException {
        server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new CopsDecoder(CopsDecoder.DEFAULT_MAX_MESSAGE_SIZE), CopsEncoder.INSTANCE, new Peer());
            }
        }).bind("127.0.0.1", 0).sync().channel();
    }

    static CmtsEmulator start() {
        try {
            return new CmtsEmulator();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    // ---------------------------------------------------------------- controls

    /** Every later Gate-Set gets Gate-Set-Err with this code (0: stop). */
    void rejectGateSets(int code) {
        onLoop(() -> rejectCode = code);
    }

    /** Answers to DECs go out this late. */
    void answerDelay(Duration d) {
        onLoop(() -> answerDelay = d);
    }

    /** Synch-Reports carry only standard report data (no spec, profile, classifiers or Opaque Data). */
    void standardSynchReports(boolean on) {
        onLoop(() -> standardSynchReports = on);
    }

    /** The service class names provisioned; a Gate-Set naming another gets error 11 ({@code null}: any name). */
    void serviceClasses(Set<String> names) {
        onLoop(() -> serviceClasses = names == null ? null : Set.copyOf(names));
    }

    /** Capacity per direction; a Gate-Set beyond it gets error 1. */
    void capacityBps(long bps) {
        onLoop(() -> capacityBps = bps);
    }

    /** Gates per SessionClassID priority; a Gate-Set beyond it gets error 10. */
    void sessionClassLimit(int gatesPerPriority) {
        onLoop(() -> sessionClassLimit = gatesPerPriority);
    }

    /** The client-type of later Client-Opens. */
    void clientType(int type) {
        onLoop(() -> clientType = type);
    }

    /** Drops every connection without a Client-Close. */
    void disconnectAll() {
        onLoop(() -> {
            List.copyOf(peers).forEach(p -> p.channel.close());
            return null;
        });
    }

    /**
     * The connections open now stop sending Keep-Alives and stop answering; later ones behave.
     *
     * @return the {@link System#nanoTime()} of the last message sent on them
     */
    long silenceCurrentConnections() {
        return onLoop(() -> {
            peers.forEach(p -> p.silent = true);
            return peers.stream().mapToLong(p -> p.lastSentNanos).max().orElse(System.nanoTime());
        });
    }

    /** Sends bytes that are not a COPS message (version 7) to every connection. */
    void sendGarbage() {
        onLoop(() -> {
            peers.forEach(p -> p.send(Unpooled.wrappedBuffer(new byte[] {0x70, 9, 0, 0, 0, 0, 0, 8})));
            return null;
        });
    }

    /** Preempts a gate: Gate-Report-State Idle/Closed, reason 1 (reservation reassignment), to every connection. */
    boolean preempt(long gateId) {
        return onLoop(() -> close(gateId, GateStateValue.Reason.CLOSE_RESERVATION_REASSIGNMENT));
    }

    /** A gate timer fires: T1 (reason 3), T2 (4), T3 (5) or T4 (8), closing the gate with a Gate-Report-State. */
    boolean expire(long gateId, int timer) {
        GateStateValue.Reason reason = switch (timer) {
            case 1 -> GateStateValue.Reason.CLOSE_T1_EXPIRED;
            case 2 -> GateStateValue.Reason.CLOSE_T2_EXPIRED;
            case 3 -> GateStateValue.Reason.CLOSE_T3_INACTIVITY;
            case 4 -> GateStateValue.Reason.CLOSE_T4_EXPIRED;
            default -> throw new IllegalArgumentException("timer T" + timer);
        };
        return onLoop(() -> close(gateId, reason));
    }

    /** Forgets a gate without telling anyone (a CMTS that lost state). */
    boolean forgetSilently(long gateId) {
        return onLoop(() -> {
            EmuGate g = gates.remove(gateId);
            if (g != null) {
                g.cancelTimer();
            }
            return g != null;
        });
    }

    /** Creates a gate directly, as another Policy Server would have. */
    long addGate(PcmmObject.Amid amid, InetAddress subscriber, GateSpec spec, TrafficProfile profile, List<Classifier> classifiers,
            byte[] opaque) {
        return onLoop(() -> {
            EmuGate g = new EmuGate(nextGateId++, amid, new PcmmObject.SubscriberId(subscriber));
            g.update(spec, profile, classifiers, opaque == null ? null : new PcmmObject.OpaqueData(opaque));
            gates.put(g.id, g);
            return g.id;
        });
    }

    // ---------------------------------------------------------------- observation

    List<GateView> gates() {
        return onLoop(() -> gates.values().stream().map(EmuGate::view).toList());
    }

    /** Every gate command received, in order. */
    List<PcmmCommand> received() {
        return List.copyOf(received);
    }

    /** Every COPS message received from Policy Servers, in order. */
    List<CopsMessage> fromPdp() {
        return List.copyOf(fromPdp);
    }

    /** Connections accepted so far. */
    int accepted() {
        return onLoop(() -> accepted);
    }

    /** Connections that got their REQ (an open COPS session). */
    int openSessions() {
        return onLoop(() -> (int) peers.stream().filter(p -> p.handle != null).count());
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the emulator's loop did not run the task", e);
        }
    }

    // ---------------------------------------------------------------- gates (loop)

    private final class EmuGate {
        final long id;
        final PcmmObject.Amid amid;
        final PcmmObject.SubscriberId subscriber;
        GateSpec spec;
        TrafficProfile profile;
        List<Classifier> classifiers;
        PcmmObject.OpaqueData opaque;
        GateStateValue state;
        final long created = System.nanoTime();
        ScheduledFuture<?> timer;

        EmuGate(long id, PcmmObject.Amid amid, PcmmObject.SubscriberId subscriber) {
            this.id = id;
            this.amid = amid;
            this.subscriber = subscriber;
        }

        void update(GateSpec s, TrafficProfile p, List<Classifier> c, PcmmObject.OpaqueData o) {
            spec = s;
            profile = p;
            classifiers = List.copyOf(c);
            opaque = o;
            int env = p.envelope();
            state = (env & TrafficProfile.COMMITTED) != 0 ? GateStateValue.COMMITTED
                    : (env & TrafficProfile.RESERVED) != 0 ? GateStateValue.RESERVED : GateStateValue.AUTHORIZED;
            cancelTimer();
            if (state == GateStateValue.AUTHORIZED) {
                int t1 = s.t1() == 0 ? 200 : s.t1();
                timer = loop.schedule(() -> close(id, GateStateValue.Reason.CLOSE_T1_EXPIRED), t1, TimeUnit.SECONDS);
            } else if (state == GateStateValue.RESERVED && s.t2() > 0) {
                timer = loop.schedule(() -> close(id, GateStateValue.Reason.CLOSE_T2_EXPIRED), s.t2(), TimeUnit.SECONDS);
            }
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        GateView view() {
            return new GateView(id, amid, subscriber.address(), spec, profile, classifiers, opaque == null ? null : opaque.data(), state);
        }

        List<PcmmObject> complete() {
            List<PcmmObject> o = new ArrayList<>(List.of(amid, subscriber, new PcmmObject.GateId(id), spec, profile));
            o.addAll(classifiers);
            if (opaque != null) {
                o.add(opaque);
            }
            o.add(new PcmmObject.GateTimeInfo(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - created)));
            o.add(new PcmmObject.GateUsageInfo(0));
            return o;
        }
    }

    private boolean close(long gateId, GateStateValue.Reason reason) {
        EmuGate g = gates.remove(gateId);
        if (g == null) {
            return false;
        }
        g.cancelTimer();
        PcmmCommand report = PcmmCommand.of(0, GateCommand.GATE_REPORT_STATE, g.amid, g.subscriber, new PcmmObject.GateId(g.id),
                new PcmmObject.GateState(GateStateValue.IDLE_CLOSED, reason.code()));
        for (Peer p : peers) {
            if (p.handle != null && !p.silent) {
                p.report(report, CopsObject.ReportType.Kind.ACCOUNTING, false);
            }
        }
        return true;
    }

    static long rateOf(TrafficProfile p) {
        return switch (p) {
            case TrafficProfile.FlowSpec f -> Math.round(f.envelopes().get(f.envelopes().size() - 1).tokenBucketRate() * 8.0);
            case TrafficProfile.BestEffort b -> b.envelopes().get(b.envelopes().size() - 1).maxSustainedRate();
            case TrafficProfile.RealTimePolling r -> r.envelopes().get(r.envelopes().size() - 1).maxSustainedRate();
            case TrafficProfile.UnsolicitedGrant u -> {
                var e = u.envelopes().get(u.envelopes().size() - 1);
                yield e.grantSize() * 8L * e.grantsPerInterval() * 1_000_000L / Math.max(1, e.nominalGrantInterval());
            }
            case TrafficProfile.DownstreamService d -> d.envelopes().get(d.envelopes().size() - 1).maxSustainedRate();
            default -> 0;
        };
    }

    private PcmmCommand gateSet(PcmmCommand c) {
        int tid = c.transactionId().id();
        PcmmObject.Amid amid = c.first(PcmmObject.Amid.class).orElseThrow();
        PcmmObject.SubscriberId sub = c.first(PcmmObject.SubscriberId.class).orElseThrow();
        GateSpec spec = c.first(GateSpec.class).orElseThrow();
        TrafficProfile profile = c.first(TrafficProfile.class).orElseThrow();
        Optional<PcmmObject.GateId> gateId = c.first(PcmmObject.GateId.class);
        EmuGate existing = gateId.map(g -> gates.get(g.id())).orElse(null);
        int error = 0;
        int subcode = 0;
        if (rejectCode != 0) {
            error = rejectCode;
        } else if (gateId.isPresent() && existing == null) {
            error = PcmmErrorCode.UNKNOWN_GATE_ID.code();
        } else if (existing != null && !existing.amid.equals(amid)) {
            error = PcmmErrorCode.UNAUTHORIZED_AMID.code();
        } else if (existing != null && !existing.subscriber.equals(sub) || sub.address().isAnyLocalAddress()
                || sub.address().isMulticastAddress()) {
            error = PcmmErrorCode.INVALID_SUBSCRIBER_ID.code();
        } else if (existing != null && existing.spec.direction() != spec.direction()) {
            error = PcmmErrorCode.INVALID_OBJECT.code();
            subcode = spec.sNumSType();
        } else if (profile instanceof TrafficProfile.ServiceClassName n && serviceClasses != null && !serviceClasses.contains(n.name())) {
            error = PcmmErrorCode.UNDEFINED_SERVICE_CLASS_NAME.code();
        } else if (used(spec.direction(), existing) + rateOf(profile) > capacityBps) {
            error = PcmmErrorCode.INSUFFICIENT_RESOURCES.code();
        } else if (existing == null && gates.values().stream()
                .filter(g -> g.spec.sessionClass().priority() == spec.sessionClass().priority()).count() >= sessionClassLimit) {
            error = PcmmErrorCode.SESSION_CLASS_LIMIT_EXCEEDED.code();
        }
        if (error != 0) {
            List<PcmmObject> o = new ArrayList<>(List.of(amid, sub));
            gateId.ifPresent(o::add);
            o.add(new PcmmObject.PacketCableError(error, subcode));
            return new PcmmCommand(new PcmmObject.TransactionId(tid, GateCommand.GATE_SET_ERR), o);
        }
        EmuGate g = existing != null ? existing : new EmuGate(nextGateId++, amid, sub);
        g.update(spec, profile, c.all(Classifier.class), c.first(PcmmObject.OpaqueData.class).orElse(null));
        gates.put(g.id, g);
        return PcmmCommand.of(tid, GateCommand.GATE_SET_ACK, amid, sub, new PcmmObject.GateId(g.id));
    }

    private long used(GateSpec.Direction direction, EmuGate except) {
        return gates.values().stream().filter(g -> g != except && g.spec.direction() == direction).mapToLong(g -> rateOf(g.profile)).sum();
    }

    private PcmmCommand gateInfo(PcmmCommand c) {
        int tid = c.transactionId().id();
        PcmmObject.Amid amid = c.first(PcmmObject.Amid.class).orElseThrow();
        PcmmObject.GateId id = c.first(PcmmObject.GateId.class).orElseThrow();
        EmuGate g = gates.get(id.id());
        if (g == null || !g.amid.equals(amid)) {
            return PcmmCommand.of(tid, GateCommand.GATE_INFO_ERR, amid, c.first(PcmmObject.SubscriberId.class).orElseThrow(), id,
                    new PcmmObject.PacketCableError(g == null ? PcmmErrorCode.UNKNOWN_GATE_ID : PcmmErrorCode.UNAUTHORIZED_AMID, 0));
        }
        return new PcmmCommand(new PcmmObject.TransactionId(tid, GateCommand.GATE_INFO_ACK), g.complete());
    }

    private PcmmCommand gateDelete(PcmmCommand c) {
        int tid = c.transactionId().id();
        PcmmObject.Amid amid = c.first(PcmmObject.Amid.class).orElseThrow();
        PcmmObject.SubscriberId sub = c.first(PcmmObject.SubscriberId.class).orElseThrow();
        PcmmObject.GateId id = c.first(PcmmObject.GateId.class).orElseThrow();
        EmuGate g = gates.get(id.id());
        if (g == null || !g.amid.equals(amid)) {
            return PcmmCommand.of(tid, GateCommand.GATE_DELETE_ERR, amid, sub, id,
                    new PcmmObject.PacketCableError(g == null ? PcmmErrorCode.UNKNOWN_GATE_ID : PcmmErrorCode.UNAUTHORIZED_AMID, 0));
        }
        gates.remove(id.id());
        g.cancelTimer();
        return PcmmCommand.of(tid, GateCommand.GATE_DELETE_ACK, amid, sub, id);
    }

    private List<PcmmCommand> synch(PcmmCommand c) {
        int tid = c.transactionId().id();
        PcmmObject.Amid amid = c.first(PcmmObject.Amid.class).orElseThrow();
        PcmmObject.SynchOptions options = c.first(PcmmObject.SynchOptions.class).orElseThrow();
        if (options.synchType() != PcmmObject.SynchOptions.FULL_SYNCHRONIZATION) {
            return List.of(PcmmCommand.of(tid, GateCommand.GATE_CMD_ERR, amid,
                    new PcmmObject.PacketCableError(PcmmErrorCode.UNSUPPORTED_SYNCH_TYPE, 0)));
        }
        List<PcmmCommand> out = new ArrayList<>();
        for (EmuGate g : gates.values()) {
            if (!g.amid.equals(amid)) {
                continue;
            }
            List<PcmmObject> o;
            if (options.reportType() == PcmmObject.SynchOptions.COMPLETE_GATE_DATA && !standardSynchReports) {
                o = new ArrayList<>(g.complete());
            } else {
                o = new ArrayList<>(List.of(g.amid, g.subscriber, new PcmmObject.GateId(g.id)));
            }
            o.add(new PcmmObject.GateState(g.state, 0));
            out.add(new PcmmCommand(new PcmmObject.TransactionId(tid, GateCommand.SYNCH_REPORT), o));
        }
        out.add(PcmmCommand.of(tid, GateCommand.SYNCH_COMPLETE, amid));
        return out;
    }

    // ---------------------------------------------------------------- connections (loop)

    private final class Peer extends ChannelInboundHandlerAdapter {
        Channel channel;
        CopsObject.Handle handle;
        boolean silent;
        long lastSentNanos;
        int ka;
        ScheduledFuture<?> kaTimer;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            peers.add(this);
            accepted++;
            byte[] version = PcmmCodec.encode(List.of(new PcmmObject.VersionInfo(5, 0)));
            send(new CopsMessage(false, CopsOpCode.OPN, clientType,
                    List.of(new CopsObject.PepId(PEP_ID), new CopsObject.ClientSI(CopsObject.ClientSI.SIGNALED, version))));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peers.remove(this);
            if (kaTimer != null) {
                kaTimer.cancel(false);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof InvalidCopsMessage bad) {
                send(new CopsMessage(false, CopsOpCode.CC, CopsMessage.CLIENT_TYPE_PCMM, List.of(bad.error())))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            CopsMessage m = (CopsMessage) msg;
            fromPdp.add(m);
            if (silent) {
                return;
            }
            switch (m.opCode()) {
                case CAT -> {
                    ka = m.first(CopsObject.KaTimer.class).orElseThrow().seconds();
                    byte[] h = new byte[4];
                    ThreadLocalRandom.current().nextBytes(h);
                    handle = new CopsObject.Handle(h);
                    send(new CopsMessage(false, CopsOpCode.REQ, CopsMessage.CLIENT_TYPE_PCMM,
                            List.of(handle, new CopsObject.Context(CopsObject.Context.CONFIGURATION, 0))));
                    scheduleKeepAlive();
                }
                case DEC -> decision(m);
                case CC -> channel.close();
                default -> {
                }
            }
        }

        private void scheduleKeepAlive() {
            if (ka == 0) {
                return;
            }
            long ms = ka * 1000L;
            kaTimer = loop.schedule(() -> {
                if (!silent && channel.isActive()) {
                    send(new CopsMessage(false, CopsOpCode.KA, 0, List.of()));
                    scheduleKeepAlive();
                }
            }, ThreadLocalRandom.current().nextLong(ms / 4, ms * 3 / 4 + 1), TimeUnit.MILLISECONDS);
        }

        private void decision(CopsMessage m) {
            if (handle == null || !handle.equals(m.first(CopsObject.Handle.class).orElse(null))) {
                send(new CopsMessage(false, CopsOpCode.CC, CopsMessage.CLIENT_TYPE_PCMM,
                        List.of(new CopsObject.ErrorObject(CopsErrorCode.BAD_HANDLE, 0)))).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Optional<CopsObject.DecisionData> data = m.all(CopsObject.DecisionData.class).stream()
                    .filter(d -> d.cType() == CopsObject.DecisionData.CLIENT_SPECIFIC).findFirst();
            if (data.isEmpty()) {
                return;
            }
            PcmmDecoded decoded = PcmmCodec.decode(data.get().data());
            List<PcmmCommand> answers;
            if (decoded instanceof PcmmFault f) {
                answers = List.of(PcmmCommand.of(Math.max(0, f.transactionId()), GateCommand.GATE_CMD_ERR, new PcmmObject.Amid(0, 0),
                        f.error()));
            } else {
                PcmmCommand c = (PcmmCommand) decoded;
                received.add(c);
                answers = switch (c.command()) {
                    case GATE_SET -> List.of(gateSet(c));
                    case GATE_INFO -> List.of(gateInfo(c));
                    case GATE_DELETE -> List.of(gateDelete(c));
                    case SYNCH_REQUEST -> synch(c);
                    default -> List.of(PcmmCommand.of(c.transactionId().id(), GateCommand.GATE_CMD_ERR,
                            c.first(PcmmObject.Amid.class).orElse(new PcmmObject.Amid(0, 0)),
                            new PcmmObject.PacketCableError(PcmmErrorCode.UNKNOWN_GATE_COMMAND, 0)));
                };
            }
            List<PcmmCommand> out = answers;
            Runnable send = () -> out.forEach(a -> report(a, isError(a.command()) ? CopsObject.ReportType.Kind.FAILURE
                    : CopsObject.ReportType.Kind.SUCCESS, true));
            if (answerDelay.isZero()) {
                send.run();
            } else {
                loop.schedule(send, answerDelay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        io.netty.channel.ChannelFuture send(Object msg) {
            lastSentNanos = System.nanoTime();
            return channel.writeAndFlush(msg);
        }

        void report(PcmmCommand c, CopsObject.ReportType.Kind kind, boolean solicited) {
            if (!channel.isActive() || handle == null) {
                return;
            }
            send(new CopsMessage(solicited, CopsOpCode.RPT, CopsMessage.CLIENT_TYPE_PCMM, List.of(handle,
                    new CopsObject.ReportType(kind), new CopsObject.ClientSI(CopsObject.ClientSI.SIGNALED, PcmmCodec.encode(c)))));
        }
    }

    private static boolean isError(GateCommand c) {
        return Arrays.asList(GateCommand.GATE_SET_ERR, GateCommand.GATE_INFO_ERR, GateCommand.GATE_DELETE_ERR, GateCommand.GATE_CMD_ERR)
                .contains(c);
    }
}
