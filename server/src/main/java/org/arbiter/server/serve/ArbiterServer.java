package org.arbiter.server.serve;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReconcileReport;
import org.arbiter.core.ledger.Topology;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.ledger.ExpiryScheduler;
import org.arbiter.ledger.JournalLedger;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.TopologyFile;
import org.arbiter.policy.RulePolicyEngine;
import org.arbiter.server.adapters.AdapterRegistry;
import org.arbiter.server.admin.AdminServer;
import org.arbiter.server.admin.AdminView;
import org.arbiter.server.cdr.CdrExporter;
import org.arbiter.server.cdr.CdrFormat;
import org.arbiter.server.cdr.InterimSweep;
import org.arbiter.server.cdr.RotatingCdrWriter;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.metrics.MeteredDeviceAdapter;
import org.arbiter.server.metrics.PoolGauges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running policy server: the composition of ledger, policy, devices, engine, Diameter front
 * end, timers and admin API.
 *
 * <p>Start order: metrics, devices (adapters validate their configuration), ledger (migrations,
 * topology), policy, engine, Diameter listener, timers (expiry, interim billing records, reconcile, gauges), admin API.
 * Any failure closes what was started and propagates, naming the cause. {@link #close()} stops in
 * the reverse order: admin API, timers, Diameter (DPR to peers, in-flight requests drained), then
 * the rest.
 */
public final class ArbiterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArbiterServer.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ScheduledExecutorService timers;
    private DiameterServer diameter;
    private AdminServer admin;
    private RulePolicyEngine policy;
    private OperatorLedger ledger;
    private CdrExporter cdrExporter;
    private boolean closed;
    private PdpEngine engine;

    private ArbiterServer() {}

    /** Starts a server from a validated configuration. */
    public static ArbiterServer start(ArbiterConfig cfg) {
        ArbiterServer s = new ArbiterServer();
        try {
            s.doStart(cfg);
            return s;
        } catch (RuntimeException | IOException e) {
            s.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private void doStart(ArbiterConfig cfg) throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        AdapterRegistry adapters = AdapterRegistry.discover(getClass().getClassLoader());
        LOG.info("adapter plugins: {}", adapters.providers().keySet());
        Map<String, MeteredDeviceAdapter> devices = new LinkedHashMap<>();
        Map<String, String> adapterOf = new LinkedHashMap<>();
        cfg.devices().forEach(d -> adapterOf.put(d.id(), d.adapter()));
        for (Map.Entry<String, DeviceAdapter> e : adapters.create(cfg.devices()).entrySet()) {
            MeteredDeviceAdapter m = new MeteredDeviceAdapter(e.getValue(), adapterOf.get(e.getKey()), registry);
            devices.put(e.getKey(), m);
            started.add(m);
        }

        Topology topology = TopologyFile.load(cfg.ledger().topology());
        for (var p : topology.pools()) {
            if (p.deviceId() != null && !devices.containsKey(p.deviceId())) {
                throw new IllegalStateException("topology " + cfg.ledger().topology() + ": pool '" + p.id()
                        + "' is enforced by device '" + p.deviceId() + "', which the configuration's devices do not define "
                        + devices.keySet());
            }
        }
        ledger = OperatorLedger.open(cfg.ledger().connection(cfg.ledger().poolSize()), cfg.ledger().journal());
        started.add(ledger);
        ledger.applyTopology(topology, false);
        // counters that drifted from the holds (a crash) are set right before the first admission
        ledger.recount(true);

        policy = RulePolicyEngine.load(cfg.policy().dir());
        started.add(policy);
        if (cfg.policy().watch()) {
            policy.startWatching();
        }
        RulePolicyEngine rules = policy;
        registry.gauge("arbiter_policy_reloads_applied", rules, r -> r.reloadsApplied());
        registry.gauge("arbiter_policy_reloads_rejected", rules, r -> r.reloadsRejected());
        registry.gauge("arbiter_policy_load_errors", rules, r -> r.lastLoadErrors().size());
        // 1 once the ledger failed closed: every change refused until it is opened again
        registry.gauge("arbiter_ledger_failed_closed", ledger, l -> l.failure().isPresent() ? 1 : 0);
        if (ledger instanceof JournalLedger journal) {
            FunctionCounter.builder("arbiter_journal_rows", journal, j -> j.writerCounts().rows())
                    .description("journal rows made durable").register(registry);
            // rows per group: how many changes shared one write and one force
            FunctionCounter.builder("arbiter_journal_groups", journal, j -> j.writerCounts().groups())
                    .description("journal groups, each written and forced once").register(registry);
        }

        ForwardingNotifier notifier = new ForwardingNotifier();
        Enforcer enforcer = new Enforcer(Map.copyOf(devices), cfg.engine().deviceTimeout());
        started.add(enforcer);
        engine = new PdpEngine(policy, ledger, enforcer, notifier,
                new EngineSettings(cfg.engine().reserveTimeout(), cfg.engine().defaultAuthorizationLifetime(),
                        cfg.engine().maxAuthorizationLifetime()), Clock.systemUTC());

        diameter = DiameterServer.start(diameterConfig(cfg.diameter()), new EngineRxHandler(engine, registry),
                new DiameterMetricsBinding(registry));
        started.add(diameter);
        notifier.target(diameter.notifier());
        LOG.info("Diameter Rx listening on {}:{} as {}", cfg.diameter().listenAddress(), diameter.port(), cfg.diameter().originHost());

        PolicyHolder policyHolder = new PolicyHolder(policy);
        ServerAdminView view = new ServerAdminView(ledger, engine, devices, policyHolder,
                () -> new ArrayList<>(diameter.peers()), this::readiness);
        PoolGauges gauges = new PoolGauges(registry, ledger::pools);

        timers = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("arbiter-timer-", 0).daemon().factory());
        // the ledger's scheduler drains a backlog (e.g. after an outage) in full batches per tick
        started.add(ExpiryScheduler.start(cfg.engine().expiryInterval(), 1000, batch -> {
            int n = engine.expire(batch).size();
            registry.counter("arbiter_expired_sessions").increment(n);
            return n;
        }));
        // interim billing records of long sessions (cdr.interim-seconds; 0 = off), a ledger sweep alike
        InterimSweep.start(ledger, cfg.cdr().interimInterval(), Clock.systemUTC(),
                n -> registry.counter("arbiter_cdr_interim_written").increment(n)).ifPresent(started::add);
        timers.scheduleWithFixedDelay(() -> guarded("pool gauges", gauges::refresh), 0, 10, TimeUnit.SECONDS);
        long reconcileS = cfg.engine().reconcileInterval().toSeconds();
        Runnable reconcileAll = () -> devices.keySet().forEach(id -> guarded("reconcile of " + id, () -> {
            ReconcileReport r = (ReconcileReport) view.reconcile(id).orElseThrow();
            registry.counter("arbiter_reconcile_actions", "device", id, "action", "reapplied").increment(r.reapplied().size());
            registry.counter("arbiter_reconcile_actions", "device", id, "action", "removed").increment(r.removed().size());
            registry.counter("arbiter_reconcile_actions", "device", id, "action", "lost").increment(r.lost().size());
            devices.get(id).health(cfg.engine().deviceTimeout());
        }));
        timers.schedule(reconcileAll, 0, TimeUnit.SECONDS);
        if (reconcileS > 0) {
            timers.scheduleWithFixedDelay(reconcileAll, reconcileS, reconcileS, TimeUnit.SECONDS);
        }

        RotatingCdrWriter cdrWriter = new RotatingCdrWriter(cfg.cdr().dir(), cfg.nodeId(), CdrFormat.of(cfg.cdr().format()),
                cfg.cdr().rotateBytes(), cfg.cdr().rotateInterval(), Clock.systemUTC());
        cdrExporter = new CdrExporter(ledger::chargingRecords, cdrWriter, cfg.cdr().dir(), Duration.ofSeconds(5), Clock.systemUTC());
        timers.scheduleWithFixedDelay(() -> guarded("billing export", () -> {
            try {
                registry.counter("arbiter_cdr_exported").increment(cdrExporter.exportOnce(10_000));
            } catch (IOException e) {
                throw new UncheckedIOException("billing export to " + cfg.cdr().dir() + " failed", e);
            }
        }), 1, 1, TimeUnit.SECONDS);

        if (cfg.admin().enabled()) {
            admin = AdminServer.start(cfg.admin().listenAddress(), cfg.admin().port(), cfg.admin().token(), view, registry);
            started.add(admin);
        }
        LOG.info("arbiter node {} started", cfg.nodeId());
    }

    private void guarded(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("{} failed", what, e);
        }
    }

    /**
     * The ledger is ready when it answers a read and has not failed closed: a journal ledger that
     * failed closed still answers reads from memory but refuses every change, so a node in that
     * state must not be sent traffic.
     */
    static AdminView.Check ledgerCheck(OperatorLedger ledger) {
        try {
            ledger.pool("__readiness__");
        } catch (RuntimeException e) {
            return new AdminView.Check("ledger", false, e.getMessage());
        }
        return ledger.failure().map(why -> new AdminView.Check("ledger", false, why))
                .orElseGet(() -> new AdminView.Check("ledger", true, ""));
    }

    private List<AdminView.Check> readiness() {
        List<AdminView.Check> checks = new ArrayList<>();
        checks.add(ledgerCheck(ledger));
        checks.add(new AdminView.Check("policy", policy != null, policy == null ? "not loaded" : policy.version()));
        checks.add(new AdminView.Check("diameter", diameter != null && diameter.port() > 0,
                diameter == null ? "not listening" : "port " + diameter.port()));
        return checks;
    }

    static DiameterConfig diameterConfig(ArbiterConfig.Diameter d) {
        DiameterConfig.Builder b = DiameterConfig.builder(d.originHost(), d.originRealm())
                .listen(d.listenAddress(), d.port())
                .watchdogInterval(d.watchdogInterval())
                .maxInFlight(d.maxInFlight())
                .handlerConcurrency(d.handlerConcurrency())
                .queueDeadline(d.queueDeadline())
                .maxMessageSize(d.maxMessageBytes())
                .requestTimeout(d.requestTimeout());
        if (d.tls().enabled()) {
            b.tls(DiameterConfig.TlsConfig.ofPem(d.tls().port(), d.tls().certificate(), d.tls().privateKey(),
                    d.tls().trustedCertificates()));
        }
        for (ArbiterConfig.Peer p : d.peers()) {
            if (p.connect()) {
                b.connect(new DiameterConfig.ConnectPeer(p.originHost(), p.address(), p.port(), d.tls().enabled()));
            } else if (p.address() != null) {
                b.allow(p.originHost(), p.address());
            } else {
                b.allow(p.originHost());
            }
        }
        return b.build();
    }

    /** The Diameter port actually bound. */
    public int diameterPort() {
        return diameter.port();
    }

    /** The admin API port actually bound, or -1 when disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** Reloads the policy (SIGHUP). */
    public void reloadPolicy() {
        LOG.info("policy reload: {}", policy.reload());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close();
            started.remove(admin);
        }
        if (timers != null) {
            timers.shutdownNow();
            try {
                timers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (diameter != null) {
            // stop accepting, DPR to peers, drain in-flight requests (bounded inside)
            diameter.close();
            started.remove(diameter);
        }
        if (cdrExporter != null) {
            try {
                cdrExporter.exportOnce(100_000);
                cdrExporter.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("final billing export failed; the records stay in the ledger and export at the next start", e);
            }
        }
        List<AutoCloseable> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c.getClass().getSimpleName(), e);
            }
        }
        started.clear();
        registry.close();
        LOG.info("arbiter stopped");
    }

}
