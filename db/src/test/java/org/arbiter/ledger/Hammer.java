package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.M;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;

/**
 * Drives ledgers from many threads at once over a small, contended topology while a sampler
 * checks, from its own connection, that no pool's active holds ever exceed its admissible
 * capacity and that the counters equal the holds. Workers remember what they were told; the
 * result lets a test compare that with what the database holds at the end.
 */
final class Hammer {

    /** Lines per uplink and uplinks under the aggregation pool. */
    private static final int UPLINKS = 4;
    private static final int LINES = 4;

    /** What a run saw. */
    record Result(long requests, long admitted, long unchanged, long refused, long released, long lostToExpiry,
                  long samples, double maxUtilisation, List<String> violations, Map<String, Map<String, Long>> expected,
                  Duration elapsed) {

        String summary(String label) {
            return String.format("concurrency[%s]: %d requests in %d ms (%.0f/s): %d admitted, %d unchanged, %d refused "
                            + "for capacity, %d released, %d ended by expiry before commit; %d samples, max sampled "
                            + "utilisation %.1f%%, %d violations",
                    label, requests, elapsed.toMillis(), requests * 1000.0 / Math.max(1, elapsed.toMillis()), admitted,
                    unchanged, refused, released, lostToExpiry, samples, maxUtilisation * 100, violations.size());
        }
    }

    /**
     * agg (20M/20M) -> up-i (8M/8M) -> line-i-j (3M/3M), attachments 10.i.j.0/24: every level is
     * oversubscribed by the one below, so admission contends at each of them.
     */
    static Topology contendedTopology() {
        List<PoolSpec> pools = new ArrayList<>();
        List<Attachment> attachments = new ArrayList<>();
        pools.add(new PoolSpec("agg", null, 20 * M, 20 * M, 1.0, "bras-1"));
        for (int i = 0; i < UPLINKS; i++) {
            pools.add(new PoolSpec("up-" + i, "agg", 8 * M, 8 * M, 1.0, "dslam-" + i));
            for (int j = 0; j < LINES; j++) {
                pools.add(new PoolSpec("line-" + i + "-" + j, "up-" + i, 3 * M, 3 * M, 1.0, "dslam-" + i));
                attachments.add(new Attachment(IpPrefix.parse("10." + i + "." + j + ".0/24"), "line-" + i + "-" + j));
            }
        }
        return Topology.of(pools, attachments);
    }

    private final List<JdbcLedger> ledgers;
    private final LedgerConfig sampleWith;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong lostToExpiry = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile double maxUtilisation;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();

    Hammer(List<JdbcLedger> ledgers, LedgerConfig sampleWith) {
        this.ledgers = ledgers;
        this.sampleWith = sampleWith;
    }

    Result run(int threadsPerLedger, int opsPerThread) throws Exception {
        int threads = threadsPerLedger * ledgers.size();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Connection sampleConnection = DriverManager.getConnection(sampleWith.jdbcUrl(), sampleWith.user(),
                sampleWith.password());
        sampleConnection.setAutoCommit(false);
        List<ExpiryScheduler> expirers = new ArrayList<>();
        for (JdbcLedger l : ledgers) {
            expirers.add(ExpiryScheduler.start(Duration.ofMillis(25), 50, n -> l.expire(Instant.now(), n).size()));
        }
        long start = System.nanoTime();
        try {
            sampler.scheduleWithFixedDelay(() -> sample(sampleConnection), 0, 5, TimeUnit.MILLISECONDS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            AtomicInteger seq = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                JdbcLedger ledger = ledgers.get(t % ledgers.size());
                int worker = seq.incrementAndGet();
                futures.add(workers.submit(() -> {
                    go.await();
                    work(ledger, worker, opsPerThread);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            workers.shutdownNow();
            expirers.forEach(ExpiryScheduler::close);
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        sample(sampleConnection);
        sampleConnection.close();
        return new Result(requests.get(), admitted.get(), unchanged.get(), refused.get(), released.get(),
                lostToExpiry.get(), samples.get(), maxUtilisation, List.copyOf(violations), Map.copyOf(expected), elapsed);
    }

    private record Live(String sessionId, AccessPath path, AdmissionRequest last) {}

    private void work(JdbcLedger ledger, int worker, int ops) {
        Random rnd = new Random(worker * 7919L);
        Deque<Live> live = new ArrayDeque<>();
        for (int op = 0; op < ops; op++) {
            int choice = rnd.nextInt(100);
            if (choice < 50 || live.isEmpty()) {
                String sid = "w" + worker + "-" + op;
                String address = "10." + rnd.nextInt(UPLINKS) + "." + rnd.nextInt(LINES) + "." + (1 + rnd.nextInt(200));
                AccessPath path = ledger.resolve(address).orElseThrow();
                boolean abandon = rnd.nextInt(5) == 0;
                AdmissionRequest r = request(sid, path, bps(rnd), bps(rnd), abandon ? Duration.ofMillis(50) : Duration.ofSeconds(20));
                Admission a = count(ledger.admit(r));
                if (a.status() == Admission.Status.ADMITTED && !abandon) {
                    if (ledger.commit(sid, Instant.now())) {
                        expected.put(sid, reservations(a.holds()));
                        live.addLast(new Live(sid, path, r));
                    } else {
                        lostToExpiry.incrementAndGet();
                    }
                }
            } else if (choice < 70) {
                Live s = live.removeFirst();
                AdmissionRequest r = request(s.sessionId(), s.path(), bps(rnd), bps(rnd), Duration.ofSeconds(20));
                Admission a = count(ledger.admit(r));
                if (a.status() == Admission.Status.INSUFFICIENT_CAPACITY) {
                    live.addLast(s);
                } else if (ledger.commit(s.sessionId(), Instant.now()) || a.status() == Admission.Status.UNCHANGED) {
                    expected.put(s.sessionId(), reservations(a.holds()));
                    live.addLast(new Live(s.sessionId(), s.path(), r));
                } else {
                    expected.remove(s.sessionId());
                    lostToExpiry.incrementAndGet();
                }
            } else if (choice < 78) {
                Live s = live.peekLast();
                AdmissionRequest again = new AdmissionRequest(s.sessionId(), s.last().originHost(), s.last().subscriber(),
                        s.last().chargingId(), s.last().decision(), s.last().holds(), Instant.now(),
                        Instant.now().plusSeconds(20), Instant.now().plusSeconds(3600));
                Admission a = count(ledger.admit(again));
                if (a.status() != Admission.Status.UNCHANGED) {
                    violations.add("repeated request for " + s.sessionId() + " was " + a.status());
                }
            } else {
                Live s = live.removeFirst();
                if (ledger.release(s.sessionId(), TerminationCause.DIAMETER_LOGOUT, Instant.now()).isPresent()) {
                    released.incrementAndGet();
                } else {
                    violations.add("committed session " + s.sessionId() + " was gone at release");
                }
                expected.remove(s.sessionId());
            }
        }
    }

    private Admission count(Admission a) {
        requests.incrementAndGet();
        switch (a.status()) {
            case ADMITTED -> admitted.incrementAndGet();
            case UNCHANGED -> unchanged.incrementAndGet();
            case INSUFFICIENT_CAPACITY -> refused.incrementAndGet();
        }
        return a;
    }

    private static long bps(Random rnd) {
        return 100_000L * (1 + rnd.nextInt(15));
    }

    private static AdmissionRequest request(String sid, AccessPath path, long ul, long dl, Duration reserve) {
        Instant now = Instant.now();
        List<HoldRequest> holds = List.of(new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, path, ul, 46, null),
                new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, path, dl, 46, null));
        return new AdmissionRequest(sid, "pcscf", null, null, LedgerFixtures.accept("r"), holds, now, now.plus(reserve),
                now.plusSeconds(3600));
    }

    static Map<String, Long> reservations(List<Hold> holds) {
        Map<String, Long> out = new HashMap<>();
        holds.forEach(h -> out.put(h.reservationId(), h.bandwidthBps()));
        return out;
    }

    /** One consistent look at every pool: the sums of active holds against capacity and counters. */
    private void sample(Connection c) {
        String sql = "SELECT p.id, p.admissible_ul, p.admissible_dl, p.used_ul, p.used_dl, COALESCE(s.ul, 0), "
                + "COALESCE(s.dl, 0) FROM pools p LEFT JOIN (SELECT pool_id, "
                + "SUM(CASE WHEN direction = 'UL' THEN bandwidth_bps ELSE 0 END) AS ul, "
                + "SUM(CASE WHEN direction = 'DL' THEN bandwidth_bps ELSE 0 END) AS dl "
                + "FROM holds WHERE state IN ('RESERVED', 'COMMITTED') GROUP BY pool_id) s ON s.pool_id = p.id";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            double max = 0;
            while (rs.next()) {
                String id = rs.getString(1);
                long admUl = rs.getLong(2);
                long admDl = rs.getLong(3);
                long sumUl = rs.getLong(6);
                long sumDl = rs.getLong(7);
                if (sumUl > admUl || sumDl > admDl) {
                    violations.add("pool " + id + " overbooked: UL " + sumUl + "/" + admUl + ", DL " + sumDl + "/" + admDl);
                }
                if (sumUl != rs.getLong(4) || sumDl != rs.getLong(5)) {
                    violations.add("pool " + id + " counters " + rs.getLong(4) + "/" + rs.getLong(5) + " but holds "
                            + sumUl + "/" + sumDl);
                }
                max = Math.max(max, Math.max((double) sumUl / admUl, (double) sumDl / admDl));
            }
            samples.incrementAndGet();
            if (max > maxUtilisation) {
                maxUtilisation = max;
            }
            c.commit();
        } catch (SQLException e) {
            violations.add("sampling failed: " + e.getMessage());
        }
    }

    /** The active holds in the database, per session: reservation id to bit/s. */
    static Map<String, Map<String, Long>> activeHolds(LedgerConfig config) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement ps = c.prepareStatement("SELECT session_id, media_component, flow_number, direction, "
                     + "party, pool_id, bandwidth_bps FROM holds WHERE state IN ('RESERVED', 'COMMITTED')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String sid = rs.getString(1);
                String rid = Hold.reservationId(sid, new FlowKey(rs.getInt(2), rs.getInt(3)),
                        rs.getString(4).trim().equals("UL") ? Direction.UPLINK : Direction.DOWNLINK, rs.getString(5),
                        rs.getString(6));
                Long before = out.computeIfAbsent(sid, k -> new HashMap<>()).put(rid, rs.getLong(7));
                if (before != null) {
                    throw new AssertionError("reservation " + rid + " is held twice");
                }
            }
        }
        return out;
    }

    static long count(LedgerConfig config, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
