package org.arbiter.bench.ledger;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;

/**
 * Scale acceptance for the ledger: admission latency must not grow with the number of active holds,
 * and the heap must stay bounded (the ledger keeps no per-hold state in memory).
 *
 * <p>It builds a topology of {@code pools} pools (BRAS -> DSLAM uplink -> line, one /30 attachment
 * per line), then grows the number of active holds in steps (10k, 100k, 1M by default) by bulk
 * loading sessions with batched inserts straight into the ledger's tables (the way a migration
 * would, counters included; on H2 the load runs with a write delay that is restored, and the
 * file forced, before measuring). After each step it measures, on the live ledger, resolve + admit of
 * new sessions (each followed by its release, so the hold count stays put), one thread and then
 * several, and the heap after a full GC.
 *
 * <pre>
 * java -Xmx512m -cp ... org.arbiter.bench.ledger.LedgerScaleBenchmark \
 *     [dir=/tmp/ledger-bench] [url=jdbc:...] [user=arbiter] [password=] \
 *     [pools=100000] [steps=10000,100000,1000000] [samples=2000] [threads=8]
 * </pre>
 * Without {@code url} it uses an H2 file database in {@code dir} (deleted first).
 */
public final class LedgerScaleBenchmark {

    private static final int BRAS = 10;
    private static final int UPLINKS_PER_BRAS = 100;
    private static final long HELD_BPS = 1_000;

    private final Map<String, String> args;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, List<String>> pathOf = new HashMap<>();
    private long sessionsLoaded;
    private long holdsLoaded;

    private LedgerScaleBenchmark(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + a + "'");
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new LedgerScaleBenchmark(args).run();
    }

    private void run() throws Exception {
        int poolCount = Integer.parseInt(args.getOrDefault("pools", "100000"));
        long[] steps = Arrays.stream(args.getOrDefault("steps", "10000,100000,1000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int samples = Integer.parseInt(args.getOrDefault("samples", "2000"));
        int threads = Integer.parseInt(args.getOrDefault("threads", "8"));
        LedgerConfig config;
        if (args.containsKey("url")) {
            config = LedgerConfig.of(args.get("url"), args.getOrDefault("user", "arbiter"), args.getOrDefault("password", ""));
        } else {
            Path dir = Path.of(args.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/ledger-bench"));
            deleteTree(dir);
            Files.createDirectories(dir);
            config = LedgerConfig.h2File(dir);
        }
        config = config.withMaxPoolSize(Math.max(10, threads + 2));
        System.out.printf(Locale.ROOT, "ledger scale benchmark: %s, %d pools, steps %s, %d samples per step, "
                        + "%d threads, max heap %d MB, %d CPUs%n", config.redactedUrl(), poolCount,
                Arrays.toString(steps), samples, threads, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());

        try (JdbcLedger ledger = JdbcLedger.open(config)) {
            long t0 = System.nanoTime();
            Topology topology = topology(poolCount);
            var change = ledger.applyTopology(topology, false);
            System.out.printf(Locale.ROOT, "topology: %d pools, %d attachments applied in %.1f s%n",
                    change.poolsAdded().size(), change.attachmentsAdded().size(), seconds(t0));
            for (long target : steps) {
                t0 = System.nanoTime();
                long before = holdsLoaded;
                String loadDetail = bulkLoad(config, target);
                double loadSeconds = seconds(t0);
                System.out.printf(Locale.ROOT, "%n== %,d active holds (%,d sessions; loaded %,d holds in %.1f s, %.0f holds/s)%n",
                        holdsLoaded, sessionsLoaded, holdsLoaded - before, loadSeconds,
                        (holdsLoaded - before) / Math.max(loadSeconds, 1e-9));
                System.out.println(loadDetail);
                measure(ledger, samples, 1, "1 thread ");
                measure(ledger, samples, threads, threads + " threads");
                t0 = System.nanoTime();
                int n = ledger.pools().size();
                System.out.printf(Locale.ROOT, "   capacity view: pools() of %,d pools in %.0f ms; pool(id) in %.2f ms%n",
                        n, seconds(t0) * 1000, timePool(ledger));
                System.out.printf(Locale.ROOT, "   heap after full GC: %d MB%n", heapAfterGc());
            }
            System.out.println();
            System.out.println("consistency: " + (ledger.recount(false).isEmpty() ? "counters equal active holds"
                    : "COUNTERS DIFFER FROM HOLDS"));
        }
    }

    /** BRAS -> DSLAM uplinks -> lines; every line gets a /30 in 10.0.0.0/8. */
    private Topology topology(int poolCount) {
        List<PoolSpec> pools = new ArrayList<>();
        List<Attachment> attachments = new ArrayList<>();
        int uplinks = BRAS * UPLINKS_PER_BRAS;
        int lineCount = poolCount - BRAS - uplinks;
        if (lineCount < 1) {
            throw new IllegalArgumentException("pools must be more than " + (BRAS + uplinks));
        }
        for (int b = 0; b < BRAS; b++) {
            pools.add(new PoolSpec("bras-" + b, null, 400_000_000_000L, 400_000_000_000L, 1.0, "bras-" + b));
        }
        for (int u = 0; u < uplinks; u++) {
            pools.add(new PoolSpec("up-" + u, "bras-" + (u % BRAS), 40_000_000_000L, 40_000_000_000L, 1.0, "dslam-" + u));
        }
        for (int k = 0; k < lineCount; k++) {
            String id = "line-" + k;
            String up = "up-" + (k % uplinks);
            pools.add(new PoolSpec(id, up, 1_000_000_000L, 1_000_000_000L, 1.0, "dslam-" + (k % uplinks)));
            attachments.add(new Attachment(IpPrefix.parse(lineAddress(k) + "/30"), id));
            lines.add(id);
            pathOf.put(id, List.of(id, up, "bras-" + ((k % uplinks) % BRAS)));
        }
        return Topology.of(pools, attachments);
    }

    private static String lineAddress(int k) {
        return "10." + ((k >> 14) & 255) + "." + ((k >> 6) & 255) + "." + ((k & 63) << 2);
    }

    private static String subscriberAddress(int k) {
        return "10." + ((k >> 14) & 255) + "." + ((k >> 6) & 255) + "." + (((k & 63) << 2) + 1);
    }

    /**
     * Bulk-loads COMMITTED sessions (one flow, both directions, 3 pools: 6 holds each) until
     * {@code target} holds are active, with set-based inserts generated in the database, and adds
     * their bandwidth to the pool counters, as the ledger's own admission would. Only the row
     * generator differs between H2 ({@code SYSTEM_RANGE}) and PostgreSQL ({@code generate_series}).
     */
    private String bulkLoad(LedgerConfig config, long target) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime far = now.plusDays(365);
        boolean h2 = config.jdbcUrl().startsWith("jdbc:h2:");
        int lineCount = lines.size();
        int uplinks = BRAS * UPLINKS_PER_BRAS;
        String range = h2 ? "SYSTEM_RANGE(?, ?) r(n)" : "generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) r(n)";
        String line = "MOD(r.n, " + lineCount + ")";
        Map<String, long[]> delta = new HashMap<>();
        long[] loadTimes = new long[4];
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
            if (h2) {
                // setup only: H2 writes the file per commit under the ledger's WRITE_DELAY 0, which
                // makes a million-row load crawl; relax it for the load, force it, restore it
                try (var st = c.createStatement()) {
                    st.execute("SET WRITE_DELAY 500");
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sessions (session_id, generation, origin_host, "
                    + "subscriber, charging_id, created_at, committed_at, ended_at, policy_version, rule_id, modified) "
                    + "SELECT CONCAT('bulk-', CAST(r.n AS VARCHAR(20))), 1, 'bench', NULL, NULL, ?, ?, NULL, 'bench', "
                    + "'bulk', FALSE FROM " + range);
                 PreparedStatement h = c.prepareStatement("INSERT INTO holds (session_id, generation, media_component, "
                         + "flow_number, direction, party, pool_id, device_id, bandwidth_bps, dscp, max_latency_ms, state, "
                         + "reserved_until, authorized_until, expires_at, expiry_due, created_at, updated_at) "
                         + "SELECT CONCAT('bulk-', CAST(r.n AS VARCHAR(20))), 1, 1, 0, d.dir, "
                         + "CONCAT('10.', CAST(MOD(" + line + " / 16384, 256) AS VARCHAR(3)), '.', "
                         + "CAST(MOD(" + line + " / 64, 256) AS VARCHAR(3)), '.', CAST(MOD(" + line + ", 64) * 4 + 1 AS VARCHAR(3))), "
                         + "CASE l.lvl WHEN 0 THEN CONCAT('line-', CAST(" + line + " AS VARCHAR(10))) "
                         + "WHEN 1 THEN CONCAT('up-', CAST(MOD(" + line + ", " + uplinks + ") AS VARCHAR(10))) "
                         + "ELSE CONCAT('bras-', CAST(MOD(MOD(" + line + ", " + uplinks + "), " + BRAS + ") AS VARCHAR(10))) END, "
                         + "NULL, " + HELD_BPS + ", 46, NULL, 'COMMITTED', ?, ?, ?, ?, ?, ? FROM " + range
                         + " CROSS JOIN (VALUES ('UL'), ('DL')) d(dir) CROSS JOIN (VALUES (0), (1), (2)) l(lvl)")) {
                while (holdsLoaded < target) {
                    long t0 = System.nanoTime();
                    long from = sessionsLoaded;
                    long to = Math.min(from + 50_000, from + (target - holdsLoaded + 5) / 6) - 1;
                    s.setObject(1, now);
                    s.setObject(2, now);
                    s.setLong(3, from);
                    s.setLong(4, to);
                    s.executeUpdate();
                    long t1 = System.nanoTime();
                    h.setObject(1, now);
                    h.setObject(2, far);
                    h.setObject(3, far);
                    h.setObject(4, far);
                    h.setObject(5, now);
                    h.setObject(6, now);
                    h.setLong(7, from);
                    h.setLong(8, to);
                    holdsLoaded += h.executeUpdate();
                    long t2 = System.nanoTime();
                    c.commit();
                    loadTimes[0] += t1 - t0;
                    loadTimes[1] += t2 - t1;
                    loadTimes[2] += System.nanoTime() - t2;
                    for (long n = from; n <= to; n++) {
                        for (String pool : pathOf.get(lines.get((int) (n % lineCount)))) {
                            long[] d = delta.computeIfAbsent(pool, p -> new long[2]);
                            d[0] += HELD_BPS;
                            d[1] += HELD_BPS;
                        }
                    }
                    sessionsLoaded = to + 1;
                }
            }
            long t3 = System.nanoTime();
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE pools SET used_ul = used_ul + ?, used_dl = used_dl + ? WHERE id = ?")) {
                int inBatch = 0;
                for (Map.Entry<String, long[]> e : delta.entrySet()) {
                    u.setLong(1, e.getValue()[0]);
                    u.setLong(2, e.getValue()[1]);
                    u.setString(3, e.getKey());
                    u.addBatch();
                    if (++inBatch % 5_000 == 0) {
                        u.executeBatch();
                    }
                }
                u.executeBatch();
            }
            c.commit();
            if (h2) {
                try (var st = c.createStatement()) {
                    st.execute("CHECKPOINT SYNC");
                    st.execute("SET WRITE_DELAY 0");
                }
                c.commit();
            }
            loadTimes[3] = System.nanoTime() - t3;
        }
        return String.format(Locale.ROOT, "   load: sessions %.1f s, holds %.1f s, commits %.1f s, counters and sync %.1f s",
                loadTimes[0] / 1e9, loadTimes[1] / 1e9, loadTimes[2] / 1e9, loadTimes[3] / 1e9);
    }

    /** resolve + admit of new sessions (each released afterwards), latency per admission. */
    private void measure(JdbcLedger ledger, int samples, int threads, String label) throws Exception {
        Decision decision = Decision.accept(List.of(new FlowGrant(new FlowKey(1, 0), "voice", 64_000, 64_000, null, 46,
                1, 5, false)), "bench", "bench", List.of());
        long[] admitNanos = new long[samples];
        long[] admitCpuNanos = new long[samples];
        long[] releaseNanos = new long[samples];
        java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(worker * 31L + samples);
                    for (int i = worker; i < samples; i += threads) {
                        int line = rnd.nextInt(lines.size());
                        String sid = "probe-" + System.nanoTime() + "-" + worker + "-" + i;
                        Instant now = Instant.now();
                        long c0 = cpu.getCurrentThreadCpuTime();
                        long a0 = System.nanoTime();
                        AccessPath path = ledger.resolve(subscriberAddress(line)).orElseThrow();
                        Admission a = ledger.admit(new AdmissionRequest(sid, "bench", null, null, decision,
                                List.of(new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, path, 64_000, 46, null),
                                        new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, path, 64_000, 46, null)),
                                now, now.plusSeconds(30), now.plusSeconds(3600)));
                        long a1 = System.nanoTime();
                        admitCpuNanos[i] = cpu.getCurrentThreadCpuTime() - c0;
                        if (a.status() != Admission.Status.ADMITTED || path.hops().size() != 3
                                || !path.hops().stream().map(PathHop::poolId).toList().equals(pathOf.get(lines.get(line)))) {
                            throw new IllegalStateException("unexpected admission " + a.status() + " on " + path);
                        }
                        ledger.release(sid, TerminationCause.DIAMETER_LOGOUT, Instant.now());
                        admitNanos[i] = a1 - a0;
                        releaseNanos[i] = System.nanoTime() - a1;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double elapsed = seconds(start);
        Arrays.sort(admitNanos);
        Arrays.sort(releaseNanos);
        Arrays.sort(admitCpuNanos);
        System.out.printf(Locale.ROOT, "   %s: resolve+admit p50 %.2f ms, p99 %.2f ms, max %.2f ms (CPU p50 %.2f ms, "
                        + "p99 %.2f ms); release p50 %.2f ms, p99 %.2f ms; %.0f admit+release pairs/s%n", label,
                ms(admitNanos, 0.50), ms(admitNanos, 0.99), admitNanos[samples - 1] / 1e6, ms(admitCpuNanos, 0.50),
                ms(admitCpuNanos, 0.99), ms(releaseNanos, 0.50), ms(releaseNanos, 0.99), samples / elapsed);
    }

    private double timePool(JdbcLedger ledger) {
        int n = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ledger.pool(lines.get(i * 97 % lines.size())).orElseThrow();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long heapAfterGc() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return m.getHeapMemoryUsage().getUsed() >> 20;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
