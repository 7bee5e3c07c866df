package org.arbiter.bench.rx;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterMessage;

/**
 * A Diameter Rx client that drives realistic sessions against a PDP on 127.0.0.1: it opens
 * connections, exchanges CER/CEA, answers DWR (and any other request of the server with 2001),
 * and runs sessions of AAR, an optional update AAR, a hold time and STR.
 *
 * <p><b>Load models.</b> Open loop ({@link Mode#OPEN}): sessions start at a target rate whatever
 * the answers do, as calls arrive at a P-CSCF; when the outstanding sessions reach a limit the
 * start is skipped and counted (the target fell behind). Closed loop ({@link Mode#CLOSED}): a
 * fixed number of sessions in flight, each replaced when it ends: the target's capacity. A phase
 * ends by itself after its warm-up and duration, or after its session count; then the generator
 * stops starting sessions and drains what is outstanding (bounded by the answer timeout).
 *
 * <p><b>Measurement.</b> Latency runs from the write of a request to the decode of its answer,
 * per command, in a {@link LatencyHistogram}; only requests sent in the measurement window count.
 * Each connection keeps its own statistics on its event loop; they are merged when the phase
 * ends. Sessions stay on one connection, as Kamailio keeps them on one peer.
 *
 * <p><b>Threading.</b> A connection's state is touched only on its event loop; {@link #run} and
 * {@link #release} block the calling thread for the phase and print a progress line per second.
 * One generator runs one phase at a time.
 */
public final class RxLoadGenerator implements AutoCloseable {

    /** The only address the generator connects to. */
    public static final String HOST = "127.0.0.1";

    /** How sessions are started. */
    public enum Mode { OPEN, CLOSED }

    /**
     * One phase of load.
     *
     * @param mode open or closed loop
     * @param rate open loop: sessions started per second
     * @param concurrency closed loop: sessions in flight
     * @param warmup load before the measurement window (not counted)
     * @param duration the measurement window
     * @param maxSessions stop starting after this many sessions (0: no limit)
     * @param hold time between the last AAA and the STR; {@code null} parks the sessions until
     *     {@link #release} (for a concurrent-sessions measurement)
     * @param update send an update AAR (same Session-Id, Session-Timeout 7199) after the first AAA
     * @param answerTimeout how long a request waits for its answer
     * @param maxOutstanding open loop: the most sessions in flight before starts are skipped
     */
    public record Phase(Mode mode, double rate, int concurrency, Duration warmup, Duration duration, long maxSessions,
                        Duration hold, boolean update, Duration answerTimeout, int maxOutstanding) {
        public Phase {
            Objects.requireNonNull(mode, "mode");
            if (mode == Mode.OPEN && !(rate > 0 && rate <= 10_000_000)) {
                throw new IllegalArgumentException("rate must be within (0, 10000000] sessions/s, was " + rate);
            }
            if (mode == Mode.CLOSED && (concurrency < 1 || concurrency > 1_000_000)) {
                throw new IllegalArgumentException("concurrency must be within 1..1000000, was " + concurrency);
            }
            if (warmup == null || warmup.isNegative() || duration == null || duration.isNegative() || duration.isZero()
                    || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("warm-up must be >= 0 and duration within (0, 1h], were " + warmup + " and " + duration);
            }
            if (maxSessions < 0) {
                throw new IllegalArgumentException("maxSessions must be >= 0, was " + maxSessions);
            }
            if (hold != null && hold.isNegative()) {
                throw new IllegalArgumentException("hold must be >= 0, was " + hold);
            }
            if (answerTimeout == null || answerTimeout.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("answer timeout must be >= 10 ms, was " + answerTimeout);
            }
            if (maxOutstanding < 1) {
                throw new IllegalArgumentException("maxOutstanding must be >= 1, was " + maxOutstanding);
            }
        }

        /** An open-loop phase with the usual defaults (no update, no hold, 5 s timeout). */
        public static Phase open(double rate, Duration warmup, Duration duration) {
            return new Phase(Mode.OPEN, rate, 1, warmup, duration, 0, Duration.ZERO, false, Duration.ofSeconds(5), 200_000);
        }

        /** A closed-loop phase with the usual defaults. */
        public static Phase closed(int concurrency, Duration warmup, Duration duration) {
            return new Phase(Mode.CLOSED, 0, concurrency, warmup, duration, 0, Duration.ZERO, false, Duration.ofSeconds(5), 200_000);
        }

        public Phase withHold(Duration value) {
            return new Phase(mode, rate, concurrency, warmup, duration, maxSessions, value, update, answerTimeout, maxOutstanding);
        }

        public Phase withUpdate(boolean value) {
            return new Phase(mode, rate, concurrency, warmup, duration, maxSessions, hold, value, answerTimeout, maxOutstanding);
        }

        public Phase withMaxSessions(long value) {
            return new Phase(mode, rate, concurrency, warmup, duration, value, hold, update, answerTimeout, maxOutstanding);
        }

        public Phase withAnswerTimeout(Duration value) {
            return new Phase(mode, rate, concurrency, warmup, duration, maxSessions, hold, update, value, maxOutstanding);
        }
    }

    static final int KIND_AAR = 0;
    static final int KIND_UPDATE = 1;
    static final int KIND_STR = 2;
    static final String[] KIND_NAMES = {"AAR", "AAR-update", "STR"};

    /**
     * Linux's native epoll transport when its library loads, as the server's sockets use; NIO
     * otherwise, or with {@code -Dio.netty.transport.noNative=true}. With NIO, the 1 ms tickers of
     * the open loop and every read cost the generator more CPU, which the target's cores share.
     */
    static final boolean EPOLL = Epoll.isAvailable();

    private final RxTraffic traffic;
    private final EventLoopGroup group;
    private final List<Conn> conns = new ArrayList<>();
    private final LongAdder progressSessions = new LongAdder();
    private final LongAdder progressAnswers = new LongAdder();
    private final LongAdder progressErrors = new LongAdder();

    private RxLoadGenerator(RxTraffic traffic, int threads) {
        this.traffic = traffic;
        this.group = new MultiThreadIoEventLoopGroup(threads,
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The generator's socket transport: {@code epoll} or {@code nio}. */
    public static String transport() {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * Opens {@code connections} connections to {@code 127.0.0.1:port} and completes CER/CEA on
     * each.
     *
     * @throws IllegalStateException when a connection fails or its CEA is not 2001 within the timeout
     */
    public static RxLoadGenerator connect(RxTraffic traffic, int port, int connections, int threads, Duration timeout) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535, was " + port);
        }
        if (connections < 1 || connections > RxTraffic.MAX_PEERS) {
            throw new IllegalArgumentException("connections must be within 1.." + RxTraffic.MAX_PEERS + ", was " + connections);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("client threads must be within 1..64, was " + threads);
        }
        RxLoadGenerator g = new RxLoadGenerator(traffic, threads);
        try {
            for (int i = 0; i < connections; i++) {
                g.conns.add(g.open(i, port, timeout));
            }
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private Conn open(int index, int port, Duration timeout) {
        Conn conn = new Conn(index);
        Bootstrap b = new Bootstrap().group(group).channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(DiameterDecoder.MAX_POSSIBLE_SIZE, 1, 3, -4, 0), conn);
                    }
                });
        io.netty.channel.ChannelFuture f = b.connect(HOST, port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("connection " + index + " to " + HOST + ":" + port + " failed: " + f.cause(), f.cause());
        }
        conn.channel = f.channel();
        conn.loop = f.channel().eventLoop();
        ByteBuf cer = f.channel().alloc().buffer();
        traffic.cer(index, conn.hopByHop++).encode(cer);
        f.channel().writeAndFlush(cer);
        long cea;
        try {
            cea = conn.cea.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.channel().close();
            throw new IllegalStateException("connection " + index + " to " + HOST + ":" + port + ": no CEA within " + timeout
                    + " (the server accepted the TCP connection but did not answer the CER)");
        } catch (ExecutionException e) {
            throw new IllegalStateException("connection " + index + " to " + HOST + ":" + port + " closed before the CEA", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the CEA", e);
        }
        if (cea != 2001) {
            f.channel().close();
            throw new IllegalStateException("connection " + index + " to " + HOST + ":" + port + ": CEA Result-Code " + cea + ", not 2001");
        }
        return conn;
    }

    /**
     * Runs one phase and returns what it measured.
     *
     * @param label names the phase in the report
     * @param progress where the per-second progress lines go, or {@code null}
     */
    public LoadReport run(String label, Phase phase, PrintStream progress) throws InterruptedException {
        return run(label, phase, progress, null);
    }

    /**
     * Runs one phase and returns what it measured, with the CPU time the target spent in the
     * measurement window.
     *
     * @param targetCpu reads the target process's CPU time, or {@code null}
     */
    public LoadReport run(String label, Phase phase, PrintStream progress, TargetCpu targetCpu) throws InterruptedException {
        long start = System.nanoTime();
        PhaseClock clock = new PhaseClock(phase, start, false);
        // before any connection begins: a connection still exhausted by the previous phase would
        // end this one at once (each begins on its own event loop, after finish() first looks)
        for (Conn c : conns) {
            c.exhausted = false;
        }
        for (int i = 0; i < conns.size(); i++) {
            Conn c = conns.get(i);
            int share = phase.concurrency() / conns.size() + (i < phase.concurrency() % conns.size() ? 1 : 0);
            long maxShare = phase.maxSessions() == 0 ? Long.MAX_VALUE
                    : phase.maxSessions() / conns.size() + (i < phase.maxSessions() % conns.size() ? 1 : 0);
            c.loop.execute(() -> c.begin(clock, share, maxShare));
        }
        return finish(label, clock, progress, targetCpu);
    }

    /**
     * Ends the sessions parked by a phase with {@code hold == null}: sends their STRs with at most
     * {@code concurrency} outstanding and waits for the answers.
     */
    public LoadReport release(String label, int concurrency, Duration answerTimeout, PrintStream progress) throws InterruptedException {
        int parked = parked();
        Phase phase = new Phase(Mode.OPEN, 1_000_000, Math.max(concurrency, conns.size()), Duration.ZERO,
                Duration.ofSeconds(Math.min(3600, parked / 10 + 60)), 0, Duration.ZERO, false, answerTimeout, Integer.MAX_VALUE);
        PhaseClock clock = new PhaseClock(phase, System.nanoTime(), true);
        for (Conn c : conns) {
            c.loop.execute(() -> c.begin(clock, 0, Long.MAX_VALUE));
        }
        return finish(label, clock, progress, null);
    }

    /** Sessions parked after their AAA (phases with {@code hold == null}), not yet released. */
    public int parked() {
        int n = 0;
        for (Conn c : conns) {
            n += c.parkedCount.get();
        }
        return n;
    }

    private LoadReport finish(String label, PhaseClock clock, PrintStream progress, TargetCpu targetCpu) throws InterruptedException {
        long lastSessions = progressSessions.sum();
        long lastAnswers = progressAnswers.sum();
        long second = 1;
        TargetCpu.Reading targetCpu0 = null;
        MachineCpu machine = new MachineCpu();
        MachineCpu.Ticks machine0 = null;
        long ownCpu0 = -1;
        while (true) {
            long now = System.nanoTime();
            if (ownCpu0 < 0 && now >= clock.measureStart) {
                targetCpu0 = targetCpu == null ? null : targetCpu.read();
                machine0 = machine.read();
                ownCpu0 = ownCpuNanos();
            }
            if (now >= clock.measureEnd || allDone(clock)) {
                break;
            }
            long next = clock.start + TimeUnit.SECONDS.toNanos(second);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(next, clock.measureEnd) - now));
            if (System.nanoTime() >= next && progress != null) {
                long s = progressSessions.sum();
                long a = progressAnswers.sum();
                progress.printf(Locale.ROOT, "  %4ds %s %8d sessions/s %8d tx/s  outstanding %6d  errors %d%n", second,
                        next < clock.measureStart ? "warm-up " : "measured", s - lastSessions, a - lastAnswers, outstanding(),
                        progressErrors.sum());
                lastSessions = s;
                lastAnswers = a;
                second++;
            }
        }
        long stoppedAt = System.nanoTime();
        clock.stopping = true;
        TargetCpu.Reading targetCpu1 = targetCpu0 == null ? null : targetCpu.read();
        MachineCpu.Share machineShare = MachineCpu.between(machine0, machine.read());
        double targetCpuSeconds = targetCpu1 == null || targetCpu0.totalNanos() < 0 || targetCpu1.totalNanos() < 0 ? -1
                : (targetCpu1.totalNanos() - targetCpu0.totalNanos()) / 1e9;
        Map<String, TargetCpu.Use> targetThreads = targetCpu1 == null ? Map.of() : targetCpu1.groupsSince(targetCpu0);
        double ownCpu = ownCpu0 < 0 ? -1 : (ownCpuNanos() - ownCpu0) / 1e9;
        long drainUntil = System.nanoTime() + clock.phase.answerTimeout().toNanos() + TimeUnit.SECONDS.toNanos(2)
                + (clock.phase.hold() == null ? 0 : clock.phase.hold().toNanos());
        while (outstanding() > 0 && System.nanoTime() < drainUntil) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        Stats total = new Stats();
        for (Conn c : conns) {
            Future<Stats> f = c.loop.submit(c::end);
            try {
                total.add(f.get(10, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("connection " + c.index + " did not report its statistics", e);
            }
        }
        double seconds = (Math.min(stoppedAt, clock.measureEnd) - clock.measureStart) / 1e9;
        Map<String, LoadReport.CommandStats> commands = new LinkedHashMap<>();
        for (int k = 0; k < KIND_NAMES.length; k++) {
            if (total.latency[k].count() > 0 || !total.codes.get(k).isEmpty()) {
                commands.put(KIND_NAMES[k], LoadReport.CommandStats.of(total.latency[k], total.codes.get(k)));
            }
        }
        return new LoadReport(label, Math.max(seconds, 1e-3), total.sessionsStarted, total.sessionsCompleted, total.sessionsFailed,
                total.transactions, total.timeouts, total.skipped, targetCpuSeconds, ownCpu, commands, total.aarTimeline, targetThreads,
                machineShare);
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private boolean allDone(PhaseClock clock) {
        if (clock.release) {
            return parked() == 0 && outstanding() == 0;
        }
        if (clock.phase.maxSessions() == 0) {
            return false;
        }
        for (Conn c : conns) {
            if (!c.exhausted) {
                return false;
            }
        }
        return outstanding() == 0;
    }

    private int outstanding() {
        int n = 0;
        for (Conn c : conns) {
            n += c.outstandingTx.get() + c.holding.get();
        }
        return n;
    }

    /** Closes every connection (no DPR: Kamailio's cdp does not send one either) and the event loops. */
    @Override
    public void close() {
        for (Conn c : conns) {
            if (c.channel != null) {
                c.channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The times of one phase, shared read-only by every connection. */
    private static final class PhaseClock {
        final Phase phase;
        final long start;
        final long measureStart;
        final long measureEnd;
        /** {@link #measureStart} on the wall clock. */
        final long measureStartEpochMillis;
        final boolean release;
        volatile boolean stopping;

        PhaseClock(Phase phase, long start, boolean release) {
            this.phase = phase;
            this.start = start;
            this.measureStart = start + phase.warmup().toNanos();
            this.measureEnd = measureStart + phase.duration().toNanos();
            this.measureStartEpochMillis = System.currentTimeMillis() + (measureStart - System.nanoTime()) / 1_000_000;
            this.release = release;
        }

        boolean measured(long sentNanos) {
            return sentNanos >= measureStart && sentNanos < measureEnd;
        }

        LatencyTimeline newTimeline() {
            return new LatencyTimeline(measureStart, measureStartEpochMillis, measureEnd - measureStart);
        }
    }

    /** Statistics of one connection in one phase; merged at the end. */
    static final class Stats {
        final LatencyHistogram[] latency = {new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()};
        final List<Map<Long, Long>> codes = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
        /** The first AARs' latency per window of the phase; {@code null} until one is answered. */
        LatencyTimeline aarTimeline;
        long sessionsStarted;
        long sessionsCompleted;
        long sessionsFailed;
        long transactions;
        long timeouts;
        long skipped;
        long lastSendNanos;
        long lastAnswerNanos;

        void add(Stats o) {
            for (int k = 0; k < latency.length; k++) {
                latency[k].add(o.latency[k]);
                Map<Long, Long> mine = codes.get(k);
                o.codes.get(k).forEach((code, n) -> mine.merge(code, n, Long::sum));
            }
            if (o.aarTimeline != null) {
                if (aarTimeline == null) {
                    aarTimeline = o.aarTimeline.copy();
                } else {
                    aarTimeline.add(o.aarTimeline);
                }
            }
            sessionsStarted += o.sessionsStarted;
            sessionsCompleted += o.sessionsCompleted;
            sessionsFailed += o.sessionsFailed;
            transactions += o.transactions;
            timeouts += o.timeouts;
            skipped += o.skipped;
            lastSendNanos = Math.max(lastSendNanos, o.lastSendNanos);
            lastAnswerNanos = Math.max(lastAnswerNanos, o.lastAnswerNanos);
        }
    }

    /** A session: its sequence number (the Session-Id), its line and when it started. */
    private static final class Session {
        final long seq;
        final int line;
        final boolean measured;

        Session(long seq, int line, boolean measured) {
            this.seq = seq;
            this.line = line;
            this.measured = measured;
        }
    }

    /** A request awaiting its answer. */
    private record Tx(Session session, int kind, long sentNanos) {}

    /**
     * One connection: its pending requests by Hop-by-Hop Identifier, its sessions, its statistics.
     * Every method runs on its event loop.
     */
    private final class Conn extends ChannelInboundHandlerAdapter {
        final int index;
        final CompletableFuture<Long> cea = new CompletableFuture<>();
        /**
         * Requests awaiting their answer, keyed by {@link #key} of their Hop-by-Hop-Id. The ids
         * are sequential, and a linear-probing map indexes a key by its low bits: the
         * outstanding ids then fill one contiguous run of slots, and every removal shifts the
         * whole run back. With a backlog of 100,000 requests that made the generator, not the
         * target, the bottleneck (two thirds of its samples in {@code removeAt}). Scrambled keys
         * spread over the table.
         */
        final IntObjectHashMap<Tx> pending = new IntObjectHashMap<>();
        final ArrayDeque<Session> parked = new ArrayDeque<>();
        final AtomicInteger outstandingTx = new AtomicInteger();
        final AtomicInteger holding = new AtomicInteger();
        final AtomicInteger parkedCount = new AtomicInteger();
        final SplittableRandom random;
        Channel channel;
        EventLoop loop;
        int hopByHop = 1;
        long nextSeq;
        PhaseClock clock;
        Stats stats = new Stats();
        long startedThisPhase;
        long maxThisPhase;
        int sessionsInFlight;
        volatile boolean exhausted;
        ScheduledFuture<?> ticker;
        ScheduledFuture<?> sweeper;

        Conn(int index) {
            this.index = index;
            this.random = new SplittableRandom(0x5eed + index);
            this.nextSeq = (long) index * 1_000_000_000L;
        }

        void begin(PhaseClock c, int concurrency, long maxSessions) {
            clock = c;
            stats = new Stats();
            startedThisPhase = 0;
            maxThisPhase = maxSessions;
            exhausted = false;
            sweeper = loop.scheduleAtFixedRate(this::sweep, 100, 100, TimeUnit.MILLISECONDS);
            if (c.release || c.phase.mode() == Mode.OPEN) {
                ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
            } else {
                for (int i = 0; i < concurrency; i++) {
                    startSession();
                }
                channel.flush();
            }
        }

        Stats end() {
            if (ticker != null) {
                ticker.cancel(false);
            }
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            Stats s = stats;
            stats = new Stats();
            return s;
        }

        /** Open loop and release: starts what is due by now at this connection's share of the rate. */
        void tick() {
            PhaseClock c = clock;
            long now = System.nanoTime();
            if (c.stopping || now >= c.measureEnd) {
                exhausted = true;
                ticker.cancel(false);
                return;
            }
            double perConn = c.phase.rate() / conns.size();
            long due = (long) ((now - c.start) / 1e9 * perConn) + 1;
            while (startedThisPhase < due) {
                if (c.release) {
                    if (outstandingTx.get() >= c.phase.concurrency() / conns.size()) {
                        break;
                    }
                    Session s = parked.poll();
                    if (s == null) {
                        exhausted = true;
                        break;
                    }
                    parkedCount.decrementAndGet();
                    startedThisPhase++;
                    send(s, KIND_STR);
                    continue;
                }
                if (startedThisPhase >= maxThisPhase) {
                    exhausted = true;
                    break;
                }
                if (sessionsInFlight >= c.phase.maxOutstanding() / conns.size()) {
                    startedThisPhase++;
                    if (c.measured(now)) {
                        stats.skipped++;
                    }
                    continue;
                }
                startSession();
            }
            channel.flush();
        }

        void startSession() {
            if (startedThisPhase >= maxThisPhase) {
                exhausted = true;
                return;
            }
            startedThisPhase++;
            long now = System.nanoTime();
            Session s = new Session(nextSeq++, random.nextInt(traffic.lines()), clock.measured(now));
            sessionsInFlight++;
            if (s.measured) {
                stats.sessionsStarted++;
            }
            send(s, KIND_AAR);
        }

        void send(Session s, int kind) {
            int hbh = hopByHop++;
            ByteBuf buf = channel.alloc().ioBuffer(kind == KIND_STR ? traffic.strLength() : traffic.aarLength(s.line));
            if (kind == KIND_STR) {
                traffic.writeStr(buf, index, s.seq, hbh, hbh);
            } else {
                traffic.writeAar(buf, index, s.line, s.seq, hbh, hbh, kind == KIND_UPDATE);
            }
            long now = System.nanoTime();
            pending.put(key(hbh), new Tx(s, kind, now));
            outstandingTx.incrementAndGet();
            if (clock.measured(now)) {
                stats.lastSendNanos = now;
            }
            channel.write(buf, channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                int at = frame.readerIndex();
                int flags = frame.getUnsignedByte(at + 4);
                int command = frame.getUnsignedMedium(at + 5);
                if ((flags & DiameterMessage.FLAG_REQUEST) != 0) {
                    answerServer(ctx, frame);
                    return;
                }
                long rc = RxTraffic.resultCode(frame);
                if (command == RxTraffic.CER) {
                    cea.complete(rc);
                    return;
                }
                Tx tx = pending.remove(key(frame.getInt(at + 12)));
                if (tx == null) {
                    return;
                }
                outstandingTx.decrementAndGet();
                answered(tx, rc, System.nanoTime());
            } finally {
                frame.release();
            }
        }

        private void answerServer(ChannelHandlerContext ctx, ByteBuf frame) {
            Object decoded = DiameterDecoder.parseFrame(ByteBufUtil.getBytes(frame), RxTraffic.D);
            if (decoded instanceof DiameterMessage request) {
                ByteBuf out = ctx.alloc().buffer();
                traffic.answer(index, request).encode(out);
                ctx.writeAndFlush(out, ctx.voidPromise());
            }
        }

        void answered(Tx tx, long rc, long now) {
            Session s = tx.session;
            PhaseClock c = clock;
            if (c.measured(tx.sentNanos)) {
                stats.latency[tx.kind].record(now - tx.sentNanos);
                if (tx.kind == KIND_AAR) {
                    if (stats.aarTimeline == null) {
                        stats.aarTimeline = c.newTimeline();
                    }
                    stats.aarTimeline.record(tx.sentNanos, now - tx.sentNanos);
                }
                stats.codes.get(tx.kind).merge(rc, 1L, Long::sum);
                stats.transactions++;
                stats.lastAnswerNanos = now;
            }
            progressAnswers.increment();
            boolean ok = rc >= 2000 && rc < 3000;
            if (!ok) {
                progressErrors.increment();
                sessionDone(s, false);
                return;
            }
            if (tx.kind == KIND_AAR && c.phase.update()) {
                send(s, KIND_UPDATE);
            } else if (tx.kind != KIND_STR) {
                Duration hold = c.phase.hold();
                if (hold == null) {
                    parked.add(s);
                    parkedCount.incrementAndGet();
                    sessionDone(s, true);
                } else if (hold.isZero()) {
                    send(s, KIND_STR);
                } else {
                    holding.incrementAndGet();
                    loop.schedule(() -> {
                        holding.decrementAndGet();
                        send(s, KIND_STR);
                        channel.flush();
                    }, hold.toNanos(), TimeUnit.NANOSECONDS);
                }
            } else {
                sessionDone(s, true);
            }
        }

        void sessionDone(Session s, boolean ok) {
            if (clock.release) {
                if (ok) {
                    stats.sessionsCompleted++;
                    progressSessions.increment();
                } else {
                    stats.sessionsFailed++;
                }
                return;
            }
            sessionsInFlight--;
            if (s.measured) {
                if (ok) {
                    stats.sessionsCompleted++;
                } else {
                    stats.sessionsFailed++;
                }
            }
            if (ok) {
                progressSessions.increment();
            }
            if (clock.phase.mode() == Mode.CLOSED && !clock.stopping && System.nanoTime() < clock.measureEnd) {
                startSession();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** A bijection on int (multiplication by an odd constant): distinct ids stay distinct keys. */
        static int key(int hopByHop) {
            return hopByHop * 0x9E3779B9;
        }

        void sweep() {
            long now = System.nanoTime();
            long limit = clock.phase.answerTimeout().toNanos();
            List<Integer> expired = null;
            for (IntObjectHashMap.PrimitiveEntry<Tx> e : pending.entries()) {
                if (now - e.value().sentNanos > limit) {
                    if (expired == null) {
                        expired = new ArrayList<>();
                    }
                    expired.add(e.key());
                }
            }
            if (expired != null) {
                for (int key : expired) {
                    Tx tx = pending.remove(key);
                    outstandingTx.decrementAndGet();
                    timedOut(tx);
                }
                channel.flush();
            }
        }

        void timedOut(Tx tx) {
            if (clock.measured(tx.sentNanos)) {
                stats.timeouts++;
                stats.codes.get(tx.kind).merge(0L, 1L, Long::sum);
            }
            progressErrors.increment();
            sessionDone(tx.session, false);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cea.completeExceptionally(new IllegalStateException("connection closed"));
            Iterator<IntObjectHashMap.PrimitiveEntry<Tx>> it = pending.entries().iterator();
            List<Tx> lost = new ArrayList<>();
            while (it.hasNext()) {
                lost.add(it.next().value());
            }
            pending.clear();
            for (Tx tx : lost) {
                outstandingTx.decrementAndGet();
                if (clock != null) {
                    timedOut(tx);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
