package org.arbiter.e2e;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.arbiter.adapter.lab.LabDevice;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReconcileReport;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.RxHandler;
import org.arbiter.diameter.peer.PeerState;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.policy.RulePolicyEngine;

/**
 * Arbiter assembled in the test's JVM: the Diameter Rx front end ({@link DiameterServer}) on
 * 127.0.0.1, bound to core's {@link PdpEngine} with the JDBC ledger on an H2 file
 * ({@link JdbcLedger}, or the journal ledger: {@link #startOnJournal}), the rule engine on the test policy ({@code policy/e2e.yaml},
 * {@link RulePolicyEngine}) and one device adapter per device the topology names: the adapter the
 * test hands in ({@link #start(Path, Topology, Map)}, e.g. the SNMP or NETCONF adapter of a real
 * device), otherwise a lab device ({@link LabDevice}). The devices stand for the access network and outlive {@link #restart()}; the front end, the
 * engine, the policy and the ledger connection do not (the ledger file does).
 *
 * <p>Every AAR and STR the front end hands to the engine is recorded as an {@link RxExchange}
 * once the engine answered, so a test that saw an exchange sees the ledger as it was answered;
 * the answer itself may still be on its way to the P-CSCF.
 *
 * <p>Thread-safe: the front end's workers record, the test thread reads.
 */
final class InProcessArbiter implements ArbiterUnderTest {

    /** The per-device-call timeout unless the test names one. */
    static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(2);

    private final Duration deviceTimeout;
    /** The journal ledger ({@code ledger.journal: true}) rather than the relational one. */
    private final boolean journal;

    private final LedgerConfig ledgerConfig;
    private final Path policyDir;
    private final Map<String, DeviceAdapter> devices = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition recorded = lock.newCondition();
    /** Guarded by lock. */
    private final List<RxExchange> exchanges = new ArrayList<>();
    private final int port;
    private volatile Instance current;

    private InProcessArbiter(Path dir, Topology topology, Map<String, DeviceAdapter> adapters, Duration deviceTimeout,
                             boolean journal) {
        this.deviceTimeout = deviceTimeout;
        this.journal = journal;
        this.ledgerConfig = LedgerConfig.h2File(dir.resolve("ledger"));
        this.policyDir = Templates.copy("policy/e2e.yaml", dir.resolve("policy/e2e.yaml")).getParent();
        for (PoolSpec p : topology.pools()) {
            if (p.deviceId() != null) {
                devices.computeIfAbsent(p.deviceId(), id -> adapters.containsKey(id) ? adapters.get(id) : new LabDevice(id));
            }
        }
        try (OperatorLedger ledger = OperatorLedger.open(ledgerConfig, journal)) {
            ledger.applyTopology(topology, false);
        }
        this.current = new Instance(1, 0);
        this.port = current.server.port();
    }

    /**
     * Starts Arbiter on a free port of 127.0.0.1, its ledger and policy under {@code dir}, the
     * ledger loaded with {@code topology}.
     */
    static InProcessArbiter start(Path dir, Topology topology) {
        return start(dir, topology, Map.of());
    }

    /**
     * As {@link #start(Path, Topology)}, the devices named in {@code adapters} enforced by those
     * adapters (keyed by device id), which Arbiter closes with itself.
     */
    static InProcessArbiter start(Path dir, Topology topology, Map<String, DeviceAdapter> adapters) {
        return start(dir, topology, adapters, DEVICE_TIMEOUT);
    }

    /** As {@link #start(Path, Topology, Map)}, every device call given {@code deviceTimeout}. */
    static InProcessArbiter start(Path dir, Topology topology, Map<String, DeviceAdapter> adapters, Duration deviceTimeout) {
        return new InProcessArbiter(Objects.requireNonNull(dir), Objects.requireNonNull(topology), Map.copyOf(adapters),
                Objects.requireNonNull(deviceTimeout), false);
    }

    /** As {@link #start(Path, Topology)}, on the journal ledger ({@code ledger.journal: true}). */
    static InProcessArbiter startOnJournal(Path dir, Topology topology) {
        return new InProcessArbiter(Objects.requireNonNull(dir), Objects.requireNonNull(topology), Map.of(), DEVICE_TIMEOUT,
                true);
    }

    @Override
    public int diameterPort() {
        return port;
    }

    @Override
    public List<RxExchange> exchanges() {
        lock.lock();
        try {
            return List.copyOf(exchanges);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitExchanges(Duration timeout, String what, Predicate<List<RxExchange>> condition) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(List.copyOf(exchanges))) {
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; exchanges: " + exchanges);
                }
                left = recorded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitPeerOpen(String host, Duration timeout) {
        Poll.until(timeout, "an open Diameter connection from " + host + " to Arbiter instance " + current.generation,
                () -> current.server.peers().stream().anyMatch(p -> host.equalsIgnoreCase(p.host())
                        && (p.state() == PeerState.R_OPEN || p.state() == PeerState.I_OPEN)),
                () -> current.server.peers().toString());
    }

    @Override
    public Optional<SessionView> session(String sessionId) {
        return current.ledger.session(sessionId);
    }

    @Override
    public List<PoolUsage> pools() {
        return current.ledger.pools();
    }

    @Override
    public Map<String, Integer> deviceReservations() {
        Map<String, Integer> out = new LinkedHashMap<>();
        devices.forEach((id, d) -> out.put(id, d instanceof LabDevice lab ? lab.rows().size()
                : d.list(deviceTimeout).reservations().size()));
        return out;
    }

    @Override
    public ReconcileReport reconcile(String deviceId) {
        return current.engine.reconcile(deviceId);
    }

    @Override
    public void abort(String sessionId, String originHost, String reason) {
        current.notifier.abort(sessionId, originHost, reason);
    }

    @Override
    public void restart() {
        Instance old = current;
        old.close();
        current = new Instance(old.generation + 1, port);
    }

    @Override
    public void close() {
        current.close();
        devices.values().forEach(DeviceAdapter::close);
    }

    private void record(RxExchange e) {
        lock.lock();
        try {
            exchanges.add(e);
            recorded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One life of Arbiter: ledger connection, engine and front end. */
    private final class Instance implements AutoCloseable {
        final int generation;
        final RulePolicyEngine policy;
        final OperatorLedger ledger;
        final Enforcer enforcer;
        final PdpEngine engine;
        final ForwardingNotifier notifier = new ForwardingNotifier();
        final DiameterServer server;

        Instance(int generation, int listenPort) {
            this.generation = generation;
            this.policy = RulePolicyEngine.load(policyDir);
            this.ledger = OperatorLedger.open(ledgerConfig, journal);
            this.enforcer = new Enforcer(Map.copyOf(devices), deviceTimeout);
            this.engine = new PdpEngine(policy, ledger, enforcer, notifier, EngineSettings.defaults(), Clock.systemUTC());
            DiameterConfig config = DiameterConfig.builder(ORIGIN_HOST, REALM)
                    .listen("127.0.0.1", listenPort)
                    .allow(KamailioProcess.ORIGIN_HOST, "127.0.0.1")
                    .build();
            try {
                this.server = DiameterServer.start(config, new Recorder(engine, generation));
            } catch (RuntimeException e) {
                enforcer.close();
                ledger.close();
                policy.close();
                throw e;
            }
            notifier.target = server.notifier();
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                enforcer.close();
                ledger.close();
                policy.close();
            }
        }
    }

    /** Binds the engine's notifier to the front end, which exists only after the engine. */
    private static final class ForwardingNotifier implements AfNotifier {
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

    /** The front end's handler: the engine, with every answer recorded. */
    private final class Recorder implements RxHandler {
        private final PdpEngine engine;
        private final int generation;

        Recorder(PdpEngine engine, int generation) {
            this.engine = engine;
            this.generation = generation;
        }

        @Override
        public AuthorizationResult authorize(RxRequest request) {
            return authorizeAsync(request).toCompletableFuture().join();
        }

        /** The engine's path as the server binds it: the answer waits for the ledger's disk without a thread. */
        @Override
        public CompletionStage<AuthorizationResult> authorizeAsync(RxRequest request) {
            long start = System.nanoTime();
            return engine.authorizeAsync(request).thenApply(r -> {
                record(new RxExchange(RxExchange.Kind.AAR, request.sessionId(), request.originHost(), null, r.code(), generation,
                        Duration.ofNanos(System.nanoTime() - start)));
                return r;
            });
        }

        @Override
        public ReleaseResult release(String sessionId, TerminationCause cause) {
            return releaseAsync(sessionId, cause).toCompletableFuture().join();
        }

        @Override
        public CompletionStage<ReleaseResult> releaseAsync(String sessionId, TerminationCause cause) {
            long start = System.nanoTime();
            return engine.releaseAsync(sessionId, cause).thenApply(r -> {
                record(new RxExchange(RxExchange.Kind.STR, sessionId, null, cause, r.code(), generation,
                        Duration.ofNanos(System.nanoTime() - start)));
                return r;
            });
        }
    }
}
