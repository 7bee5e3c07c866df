package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.M;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads on one journal ledger: no pool is ever overbooked, what fits is admitted, and
 * what the threads were told is what the ledger holds, before and after reopening.
 */
class JournalConcurrencyIT {

    private static final int THREADS = 8;

    @TempDir
    Path dir;

    /** The configuration of a fresh, empty database: an H2 file, unless a subclass gives another. */
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir);
    }

    /** Samples the pools every millisecond while {@code work} runs; returns the overbookings seen. */
    private static List<String> sampling(JournalLedger ledger, AtomicLong samples, Runnable work) {
        List<String> violations = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            sampler.scheduleWithFixedDelay(() -> {
                violations.addAll(JournalFixtures.overbooked(ledger.pools()));
                samples.incrementAndGet();
            }, 0, 1, TimeUnit.MILLISECONDS);
            work.run();
        } finally {
            sampler.shutdownNow();
        }
        violations.addAll(JournalFixtures.overbooked(ledger.pools()));
        return violations;
    }

    /** Runs {@code task(worker)} on every thread at once and waits for all of them. */
    private static void together(int threads, java.util.function.IntConsumer task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    task.accept(worker);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsIntoOneTightPoolAdmitExactlyWhatFits() {
        // agg admits 1 Mbit/s downlink; every line could take all of it alone
        List<PoolSpec> pools = new ArrayList<>(List.of(new PoolSpec("agg", null, M, M, 1.0, "bras-1")));
        List<Attachment> attachments = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            pools.add(new PoolSpec("line-" + t, "agg", M, M, 1.0, "dslam-1"));
            attachments.add(new Attachment(IpPrefix.parse("10.7." + t + ".0/24"), "line-" + t));
        }
        LedgerConfig config = freshDatabase();
        long bps = 30_000;
        int attemptsPerThread = 10;
        long fits = M / bps;
        Map<String, Admission.Status> told = new ConcurrentHashMap<>();
        List<String> shortOn = new CopyOnWriteArrayList<>();
        AtomicLong samples = new AtomicLong();
        List<PoolUsage> usage;
        try (JournalLedger ledger = JournalFixtures.open(config, Topology.of(pools, attachments))) {
            List<String> violations = sampling(ledger, samples, () -> together(THREADS, worker -> {
                AccessPath p = ledger.resolve("10.7." + worker + ".9").orElseThrow();
                for (int i = 0; i < attemptsPerThread; i++) {
                    String sid = "t" + worker + "-" + i;
                    Instant now = Instant.now();
                    Admission a = ledger.admit(new AdmissionRequest(sid, "pcscf", null, null, LedgerFixtures.accept("r"),
                            List.of(new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, p, bps, 46, null)),
                            now, now.plusSeconds(60), now.plusSeconds(3600)));
                    told.put(sid, a.status());
                    a.shortfalls().forEach(s -> shortOn.add(s.poolId()));
                }
            }));

            assertThat(violations).isEmpty();
            assertThat(samples.get()).isPositive();
            assertThat(told).hasSize(THREADS * attemptsPerThread);
            assertThat(told.values().stream().filter(s -> s == Admission.Status.ADMITTED).count()).isEqualTo(fits);
            assertThat(told.values()).containsOnly(Admission.Status.ADMITTED, Admission.Status.INSUFFICIENT_CAPACITY);
            assertThat(shortOn).hasSize((int) (THREADS * attemptsPerThread - fits)).containsOnly("agg");
            usage = ledger.pools();
            assertThat(ledger.pool("agg").orElseThrow().usedDownlinkBps()).isEqualTo(fits * bps);
            assertThat(ledger.activeSessions()).isEqualTo((int) fits);
            assertThat(JournalFixtures.count(config, "ADMIT"))
                    .isEqualTo(fits);
        }

        try (JournalLedger reopened = JournalLedger.open(config)) {
            assertThat(reopened.pools()).isEqualTo(usage);
            assertThat(reopened.activeSessions()).isEqualTo((int) fits);
            told.forEach((sid, status) -> assertThat(reopened.session(sid).isPresent()).as(sid)
                    .isEqualTo(status == Admission.Status.ADMITTED));
        }
    }

    private record Live(String sessionId, AccessPath path, AdmissionRequest last) {}

    @Test
    void threadsAdmittingUpdatingAndReleasingAtOnceLeaveExactlyWhatTheyWereTold() {
        LedgerConfig config = freshDatabase();
        Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicLong refused = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        Map<String, SessionView> running;
        List<PoolUsage> usage;
        try (JournalLedger ledger = JournalFixtures.open(config, Hammer.contendedTopology())) {
            List<String> violations = sampling(ledger, samples, () -> together(THREADS, worker -> {
                Random rnd = new Random(worker * 7919L);
                Deque<Live> live = new ArrayDeque<>();
                for (int op = 0; op < 120; op++) {
                    int choice = rnd.nextInt(100);
                    if (choice < 50 || live.isEmpty()) {
                        String sid = "w" + worker + "-" + op;
                        AccessPath p = ledger.resolve("10." + rnd.nextInt(4) + "." + rnd.nextInt(4) + ".7").orElseThrow();
                        AdmissionRequest r = request(sid, p, bps(rnd), bps(rnd));
                        Admission a = ledger.admit(r);
                        if (a.status() == Admission.Status.ADMITTED) {
                            admitted.incrementAndGet();
                            if (!ledger.commit(sid, Instant.now())) {
                                wrong.add(sid + " admitted but not committed");
                            }
                            expected.put(sid, Hammer.reservations(a.holds()));
                            live.addLast(new Live(sid, p, r));
                        } else {
                            refused.incrementAndGet();
                        }
                    } else if (choice < 70) {
                        Live s = live.removeFirst();
                        AdmissionRequest r = request(s.sessionId(), s.path(), bps(rnd), bps(rnd));
                        Admission a = ledger.admit(r);
                        if (a.status() == Admission.Status.INSUFFICIENT_CAPACITY) {
                            refused.incrementAndGet();
                            live.addLast(s);
                        } else {
                            ledger.commit(s.sessionId(), Instant.now());
                            expected.put(s.sessionId(), Hammer.reservations(a.holds()));
                            live.addLast(new Live(s.sessionId(), s.path(), r));
                        }
                    } else if (choice < 78) {
                        Live s = live.peekLast();
                        Admission a = ledger.admit(s.last());
                        if (a.status() != Admission.Status.UNCHANGED) {
                            wrong.add("repeated request of " + s.sessionId() + " was " + a.status());
                        }
                    } else {
                        Live s = live.removeFirst();
                        if (ledger.release(s.sessionId(), TerminationCause.DIAMETER_LOGOUT, Instant.now()).isEmpty()) {
                            wrong.add(s.sessionId() + " was gone at its release");
                        }
                        expected.remove(s.sessionId());
                    }
                }
            }));

            assertThat(violations).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(samples.get()).isPositive();
            assertThat(refused.get()).as("the topology must be contended for the test to mean anything").isPositive();
            running = JournalFixtures.running(ledger);
            usage = ledger.pools();
            Map<String, Map<String, Long>> actual = new HashMap<>();
            running.forEach((sid, v) -> actual.put(sid, Hammer.reservations(v.holds().stream()
                    .filter(h -> h.state().active()).toList())));
            assertThat(actual).isEqualTo(expected);
            assertThat(JournalFixtures.use(usage)).isEqualTo(JournalFixtures.sumOfActiveHolds(usage, running.values()));
            assertThat(running.values()).allMatch(v -> v.holds().stream().filter(h -> h.state().active())
                    .allMatch(h -> h.state() == HoldState.COMMITTED));
        }

        try (JournalLedger reopened = JournalLedger.open(config)) {
            assertThat(JournalFixtures.running(reopened)).isEqualTo(running);
            assertThat(reopened.pools()).isEqualTo(usage);
            assertThat(JournalFixtures.overbooked(reopened.pools())).isEmpty();
        }
    }

    private static long bps(Random rnd) {
        return 100_000L * (1 + rnd.nextInt(15));
    }

    private static AdmissionRequest request(String sid, AccessPath path, long ul, long dl) {
        Instant now = Instant.now();
        List<HoldRequest> holds = List.of(new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, path, ul, 46, null),
                new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, path, dl, 46, null));
        return new AdmissionRequest(sid, "pcscf", null, null, LedgerFixtures.accept("r"), holds, now,
                now.plus(Duration.ofSeconds(60)), now.plusSeconds(3600));
    }
}
