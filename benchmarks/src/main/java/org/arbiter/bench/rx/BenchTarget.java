package org.arbiter.bench.rx;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arbiter.adapter.lab.LabAdapterProvider;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.RxHandler;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.arbiter.policy.RulePolicyEngine;

/**
 * A benchmark target, run in its own JVM by {@link RxBench} so that it has its own heap, JIT and
 * garbage collector, as a deployed server has:
 * <ul>
 *   <li>{@code diameter}: our Diameter layer alone, {@link DiameterServer} with an Rx handler that
 *       accepts everything (2001) without policy, ledger or devices;</li>
 *   <li>{@code full}: the full path as {@code arbiter serve} composes it: {@link DiameterServer},
 *       {@link PdpEngine}, {@link RulePolicyEngine} on the generated 50-rule policy,
 *       {@link JdbcLedger} (H2 file, durable, or the PostgreSQL URL given; {@code journal=true}: the
 *       journal ledger on the H2 file) on the generated topology, lab devices for every DSLAM and BRAS, and the expiry timer.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt) \
 *     org.arbiter.bench.rx.BenchTarget diameter|full dir=DIR [lines=10000] [url=jdbc:...] [pool-size=10] \
 *     [device-latency-ms=0] [max-in-flight=256] [handler-concurrency=64] [journal=false]
 * </pre>
 * It prints {@code READY <port>} once it listens on 127.0.0.1 (a free port), then reads commands
 * on standard input: {@code heap} prints {@code HEAP <used> <committed> <max>} in bytes after a
 * full collection; {@code stop} or the end of input closes everything and exits 0.
 */
public final class BenchTarget {

    private BenchTarget() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length < 1 || !(argv[0].equals("diameter") || argv[0].equals("full"))) {
            System.err.println("usage: BenchTarget diameter|full dir=DIR [lines=N] [url=JDBC] [pool-size=N] [device-latency-ms=N] [max-in-flight=N] [handler-concurrency=N] [journal=true]");
            System.exit(2);
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("BenchTarget: argument '" + argv[i] + "' is not key=value");
                System.exit(2);
            }
            args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        List<AutoCloseable> open = new ArrayList<>();
        DiameterConfig.Builder b = DiameterConfig.builder("pdp.bench.test", "pdp.test").listen(RxLoadGenerator.HOST, 0)
                .maxInFlight(Integer.parseInt(args.getOrDefault("max-in-flight", "256")))
                .handlerConcurrency(Integer.parseInt(args.getOrDefault("handler-concurrency", "64")));
        for (int peer = 0; peer < RxTraffic.MAX_PEERS; peer++) {
            b.allow(RxTraffic.originHost(peer));
        }
        DiameterConfig cfg = b.build();
        DiameterServer server;
        if (argv[0].equals("diameter")) {
            server = DiameterServer.start(cfg, new AcceptAll());
        } else {
            server = full(cfg, args, open);
        }
        open.add(server);
        System.out.println("READY " + server.port());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                if (line.equals("heap")) {
                    System.gc();
                    System.gc();
                    MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    System.out.println("HEAP " + h.getUsed() + " " + h.getCommitted() + " " + h.getMax());
                    System.out.flush();
                }
            }
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.err.println("closing " + open.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        System.exit(0);
    }

    private static DiameterServer full(DiameterConfig cfg, Map<String, String> args, List<AutoCloseable> open) {
        Path dir = Path.of(required(args, "dir"));
        int lines = Integer.parseInt(args.getOrDefault("lines", "10000"));
        long latencyMs = Long.parseLong(args.getOrDefault("device-latency-ms", "0"));
        Map<String, DeviceAdapter> devices = new LinkedHashMap<>();
        LabAdapterProvider lab = new LabAdapterProvider();
        for (String id : BenchWorld.deviceIds(lines)) {
            DeviceAdapter d = lab.create(new AdapterConfig(id, "devices." + id, Map.of("latency-ms", latencyMs, "capacity-rows", 10_000_000L)));
            devices.put(id, d);
            open.add(d);
        }
        String url = args.get("url");
        boolean journal = Boolean.parseBoolean(args.getOrDefault("journal", "false"));
        // a file per ledger: the two refuse each other's database, and a run may hold both targets
        LedgerConfig lc = url == null ? LedgerConfig.h2File(dir.resolve(journal ? "journal-ledger" : "ledger"))
                : LedgerConfig.of(url, args.getOrDefault("user", "arbiter"), "");
        lc = lc.withMaxPoolSize(Integer.parseInt(args.getOrDefault("pool-size", "10")));
        OperatorLedger ledger = OperatorLedger.open(lc, journal);
        open.add(ledger);
        ledger.applyTopology(TopologyFile.load(dir.resolve("topology.yaml")), false);
        RulePolicyEngine policy = RulePolicyEngine.load(dir.resolve("policy"));
        open.add(policy);
        Enforcer enforcer = new Enforcer(devices, Duration.ofSeconds(2));
        open.add(enforcer);
        Forwarding notifier = new Forwarding();
        PdpEngine engine = new PdpEngine(policy, ledger, enforcer, notifier, EngineSettings.defaults(), Clock.systemUTC());
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("expiry").factory());
        timers.scheduleWithFixedDelay(() -> {
            try {
                engine.expire(1000);
            } catch (RuntimeException e) {
                System.err.println("expiry failed: " + e);
            }
        }, 5, 5, TimeUnit.SECONDS);
        open.add(timers::shutdownNow);
        DiameterServer server = DiameterServer.start(cfg, new Engine(engine));
        notifier.target = server.notifier();
        return server;
    }

    private static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("BenchTarget: " + key + "=... is required");
        }
        return v;
    }

    /** The Diameter-layer baseline: every AAR and STR succeeds, nothing is decided or stored. */
    static final class AcceptAll implements RxHandler {
        private static final AuthorizationResult OK = new AuthorizationResult(ResultCode.DIAMETER_SUCCESS, "accepted", List.of(), null,
                List.of(), List.of(), true);
        private static final ReleaseResult RELEASED = new ReleaseResult(ResultCode.DIAMETER_SUCCESS, null, List.of());

        /** Answers from constants: called on the I/O thread, as a non-blocking handler is. */
        @Override
        public boolean nonBlocking() {
            return true;
        }

        @Override
        public AuthorizationResult authorize(RxRequest request) {
            return OK;
        }

        @Override
        public ReleaseResult release(String sessionId, TerminationCause cause) {
            return RELEASED;
        }
    }

    /** The full path: the engine, as the server binds it (without its metrics). */
    private record Engine(PdpEngine engine) implements RxHandler {
        @Override
        public AuthorizationResult authorize(RxRequest request) {
            return engine.authorize(request);
        }

        @Override
        public ReleaseResult release(String sessionId, TerminationCause cause) {
            return engine.release(sessionId, cause);
        }

        @Override
        public CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
            return engine.authorizeAsync(request);
        }

        @Override
        public CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
            return engine.releaseAsync(sessionId, cause);
        }
    }

    /** Hands RAR/ASR to the Diameter server once it runs. */
    private static final class Forwarding implements AfNotifier {
        volatile AfNotifier target = AfNotifier.NONE;

        @Override
        public void notify(String sessionId, String originHost, SpecificAction action) {
            target.notify(sessionId, originHost, action);
        }

        @Override
        public void abort(String sessionId, String originHost, String reason) {
            target.abort(sessionId, originHost, reason);
        }
    }
}
