package org.arbiter.adapter.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance kit: the {@link DeviceAdapter} contract as JUnit 5 tests. Every adapter's test
 * extends this class and supplies the hooks; the tests come from here.
 *
 * <pre>{@code
 * class SnmpDeviceContractIT extends DeviceAdapterContract {
 *     protected DeviceAdapter createReachable()   { return provider.create(configFor(agentPort)); }
 *     protected DeviceAdapter createUnreachable() { return provider.create(configFor(closedPort)); }
 *     protected DeviceAdapter createSlow(Duration delay) { return provider.create(configFor(delayingRelay(delay))); }
 * }
 * }</pre>
 *
 * <p><b>Device state.</b> The tests do not assume an empty device: each test uses reservation ids
 * of its own (a fresh Session-Id part) and looks only at those, so one device may serve the whole
 * class. What a test installs through {@link #createReachable()} adapters is removed after it, and
 * every adapter a hook created is closed after the test (so {@link DeviceAdapter#close()} must be
 * harmless when called twice).
 *
 * <p><b>Timing.</b> Calls on a reachable device get {@link #callTimeout()}. Calls expected to fail
 * get {@link #shortTimeout()} and must return within it plus {@link #schedulingMargin()}. A test
 * that hangs fails after two minutes rather than stalling the build.
 *
 * <p><b>Threading.</b> JUnit runs the tests one at a time; {@link #concurrentInstallsAllLand()}
 * drives the adapter from eight threads of its own.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class DeviceAdapterContract {

    private static final Set<OutcomeStatus> NO_ANSWER = Set.of(OutcomeStatus.UNREACHABLE, OutcomeStatus.TIMEOUT);

    private final List<DeviceAdapter> opened = new ArrayList<>();
    private final Map<DeviceAdapter, Set<String>> toRemove = Collections.synchronizedMap(new IdentityHashMap<>());
    private long session;

    // ---------------------------------------------------------------- hooks

    /** A new adapter for a device that is reachable and accepts changes. */
    protected abstract DeviceAdapter createReachable();

    /** A new adapter for a device that cannot be reached (a closed port, a wrong address...). */
    protected abstract DeviceAdapter createUnreachable();

    /**
     * A new adapter for a device that answers every request, but only after {@code answerDelay}.
     * Return {@code null} only when the protocol truly cannot be slowed down in a test; the
     * timeout tests are then skipped.
     */
    protected DeviceAdapter createSlow(Duration answerDelay) {
        return null;
    }

    /**
     * A way to read the device behind {@code reachable} without going through the adapter, when
     * the test bed has one. The contract then checks the device side too.
     */
    protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
        return Optional.empty();
    }

    /** The timeout for calls on a reachable device. */
    protected Duration callTimeout() {
        return Duration.ofSeconds(5);
    }

    /** The timeout for calls on an unreachable or slow device. */
    protected Duration shortTimeout() {
        return Duration.ofMillis(400);
    }

    /** How late past its timeout a call may return (thread scheduling on a busy machine). */
    protected Duration schedulingMargin() {
        return Duration.ofMillis(750);
    }

    /** How long the threads an adapter started may take to end after {@link DeviceAdapter#close()}. */
    protected Duration threadExitWait() {
        return Duration.ofSeconds(5);
    }

    /**
     * True for threads the JVM shares between all users, which an adapter may wake but does not
     * own: virtual-thread carriers, common-pool workers and the process reaper.
     */
    protected boolean isJvmShared(Thread t) {
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        String type = t.getClass().getName();
        return type.equals("jdk.internal.misc.CarrierThread") || t.getName().startsWith("process reaper");
    }

    // ---------------------------------------------------------------- reservations

    /**
     * The {@code n}-th reservation of the current test: even {@code n} are IPv4 uplink, odd
     * {@code n} IPv6 downlink; the rate is {@code 64 kbit/s + n kbit/s}; DSCP 46 (EF). Ids have the
     * form the engine uses: {@code pcscf.rx.test;2072389454;1|3.1|UL|10.1.0.7|line-7}.
     */
    protected final DeviceReservation reservation(int n) {
        Direction dir = n % 2 == 0 ? Direction.UPLINK : Direction.DOWNLINK;
        String address = n % 2 == 0
                ? "10.1." + (n / 250) + "." + (n % 250 + 1)
                : "2001:db8:0:" + Integer.toHexString(n) + "::1b";
        String sessionId = "pcscf.rx.test;" + session + ";1";
        String pool = "line-" + (n % 16 + 1);
        String id = sessionId + "|" + (n + 1) + ".1|" + dir.label() + "|" + address + "|" + pool;
        long rate = 64_000L + n * 1_000L;
        return new DeviceReservation(id, sessionId, pool, dir, address, rate,
                DeviceReservation.defaultBurst(rate), 46, n % 2 == 0 ? 100 : null);
    }

    /** The same reservation with another rate (and the burst that goes with it). */
    protected static DeviceReservation withRate(DeviceReservation r, long rateBps) {
        return new DeviceReservation(r.id(), r.sessionId(), r.poolId(), r.direction(), r.subscriberAddress(),
                rateBps, DeviceReservation.defaultBurst(rateBps), r.dscp(), r.maxLatencyMs());
    }

    // ---------------------------------------------------------------- lifecycle

    @BeforeEach
    final void newSession() {
        session = ThreadLocalRandom.current().nextLong(1_000_000_000L, Integer.MAX_VALUE);
    }

    @AfterEach
    final void removeInstalledAndCloseAdapters() {
        RuntimeException first = null;
        for (DeviceAdapter a : opened) {
            Set<String> ids = toRemove.get(a);
            if (ids != null && !ids.isEmpty()) {
                try {
                    a.remove(List.copyOf(ids), callTimeout());
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
        }
        for (DeviceAdapter a : opened) {
            try {
                a.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        opened.clear();
        if (first != null) {
            throw new AssertionError("cleanup failed (is close() harmless when called twice?)", first);
        }
    }

    private DeviceAdapter reachable() {
        return opened(createReachable(), "createReachable()");
    }

    private DeviceAdapter opened(DeviceAdapter a, String hook) {
        assertThat(a).as(hook + " must return an adapter").isNotNull();
        opened.add(a);
        toRemove.put(a, ConcurrentHashMap.newKeySet());
        return a;
    }

    private List<Outcome> install(DeviceAdapter a, List<DeviceReservation> batch) {
        toRemove.get(a).addAll(batch.stream().map(DeviceReservation::id).toList());
        return a.install(batch, callTimeout());
    }

    private List<DeviceReservation> listedHere(DeviceAdapter a) {
        DeviceListing listing = a.list(callTimeout());
        assertThat(listing.status()).as("list() of a reachable device must be complete (detail: %s)", listing.detail())
                .isEqualTo(OutcomeStatus.APPLIED);
        return listing.reservations().stream().filter(this::ofThisTest).toList();
    }

    private List<DeviceProbe.Row> probedHere(DeviceAdapter a) {
        Optional<DeviceProbe> p = probe(a);
        if (p.isEmpty()) {
            return null;
        }
        try {
            return p.get().rows().stream().filter(r -> ofThisTest(r.reservationId())).toList();
        } catch (Exception e) {
            throw new AssertionError("the device probe failed", e);
        }
    }

    private boolean ofThisTest(DeviceReservation r) {
        return ofThisTest(r.id());
    }

    private boolean ofThisTest(String id) {
        return id.startsWith("pcscf.rx.test;" + session + ";");
    }

    private static <T> T typed(String call, Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            throw new AssertionError(call + " threw " + e + ": a device fault must give a typed outcome", e);
        }
    }

    // ---------------------------------------------------------------- the contract

    @Test
    public void installThenListShowsIt() {
        DeviceAdapter a = reachable();
        DeviceReservation r = reservation(0);

        assertThat(install(a, List.of(r))).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(r.id(), OutcomeStatus.APPLIED));

        assertThat(listedHere(a)).extracting(DeviceReservation::id, DeviceReservation::rateBps)
                .containsExactly(tuple(r.id(), r.rateBps()));
        List<DeviceProbe.Row> device = probedHere(a);
        if (device != null) {
            assertThat(device).as("device side").containsExactly(new DeviceProbe.Row(r.id(), r.rateBps()));
        }
    }

    @Test
    public void installingTwiceIsANoOp() {
        DeviceAdapter a = reachable();
        DeviceReservation r = reservation(1);
        assertThat(install(a, List.of(r))).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);

        assertThat(install(a, List.of(r))).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(r.id(), OutcomeStatus.ALREADY_PRESENT));

        assertThat(listedHere(a)).extracting(DeviceReservation::id).containsExactly(r.id());
        List<DeviceProbe.Row> device = probedHere(a);
        if (device != null) {
            assertThat(device).as("device side").extracting(DeviceProbe.Row::reservationId).containsExactly(r.id());
        }
    }

    @Test
    public void installWithChangedRateReplaces() {
        DeviceAdapter a = reachable();
        DeviceReservation r = reservation(2);
        DeviceReservation faster = withRate(r, r.rateBps() * 2);
        assertThat(install(a, List.of(r))).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);

        assertThat(install(a, List.of(faster))).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(r.id(), OutcomeStatus.APPLIED));

        assertThat(listedHere(a)).extracting(DeviceReservation::id, DeviceReservation::rateBps)
                .containsExactly(tuple(r.id(), faster.rateBps()));
        List<DeviceProbe.Row> device = probedHere(a);
        if (device != null) {
            assertThat(device).as("device side").containsExactly(new DeviceProbe.Row(r.id(), faster.rateBps()));
        }
    }

    @Test
    public void removeUnknownIdGivesNotFound() {
        DeviceAdapter a = reachable();
        String unknown = reservation(3).id();

        assertThat(a.remove(List.of(unknown), callTimeout())).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(unknown, OutcomeStatus.NOT_FOUND));
    }

    @Test
    public void removeThenListNoLongerShowsIt() {
        DeviceAdapter a = reachable();
        DeviceReservation keep = reservation(4);
        DeviceReservation r = reservation(5);
        assertThat(install(a, List.of(keep, r))).extracting(Outcome::status)
                .containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.APPLIED);

        assertThat(a.remove(List.of(r.id()), callTimeout())).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(r.id(), OutcomeStatus.REMOVED));

        assertThat(listedHere(a)).extracting(DeviceReservation::id).containsExactly(keep.id());
        List<DeviceProbe.Row> device = probedHere(a);
        if (device != null) {
            assertThat(device).as("device side").extracting(DeviceProbe.Row::reservationId).containsExactly(keep.id());
        }
    }

    @Test
    public void batchInstallGivesOneOutcomePerReservationInOrder() {
        DeviceAdapter a = reachable();
        List<DeviceReservation> batch = List.of(reservation(6), reservation(7), reservation(8), reservation(9),
                reservation(10));
        install(a, List.of(batch.get(2)));

        List<Outcome> outcomes = install(a, batch);

        assertThat(outcomes).extracting(Outcome::reservationId, Outcome::status).containsExactly(
                tuple(batch.get(0).id(), OutcomeStatus.APPLIED),
                tuple(batch.get(1).id(), OutcomeStatus.APPLIED),
                tuple(batch.get(2).id(), OutcomeStatus.ALREADY_PRESENT),
                tuple(batch.get(3).id(), OutcomeStatus.APPLIED),
                tuple(batch.get(4).id(), OutcomeStatus.APPLIED));
        assertThat(listedHere(a)).extracting(DeviceReservation::id)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(DeviceReservation::id).toList());
    }

    @Test
    public void batchRemoveGivesOneOutcomePerIdInOrder() {
        DeviceAdapter a = reachable();
        DeviceReservation first = reservation(11);
        DeviceReservation never = reservation(12);
        DeviceReservation last = reservation(13);
        install(a, List.of(first, last));

        List<Outcome> outcomes = a.remove(List.of(first.id(), never.id(), last.id()), callTimeout());

        assertThat(outcomes).extracting(Outcome::reservationId, Outcome::status).containsExactly(
                tuple(first.id(), OutcomeStatus.REMOVED),
                tuple(never.id(), OutcomeStatus.NOT_FOUND),
                tuple(last.id(), OutcomeStatus.REMOVED));
    }

    @Test
    public void unreachableDeviceGivesTypedOutcomeNotException() {
        DeviceAdapter u = opened(createUnreachable(), "createUnreachable()");
        DeviceReservation r = reservation(14);
        Duration t = shortTimeout();

        List<Outcome> installed = typed("install", () -> u.install(List.of(r), t));
        List<Outcome> removed = typed("remove", () -> u.remove(List.of(r.id()), t));
        DeviceListing listing = typed("list", () -> u.list(t));
        DeviceHealth health = typed("health", () -> u.health(t));

        assertThat(installed).as("install").singleElement()
                .satisfies(o -> assertThat(o.reservationId()).isEqualTo(r.id()))
                .satisfies(o -> assertThat(o.status()).isIn(NO_ANSWER));
        assertThat(removed).as("remove").singleElement()
                .satisfies(o -> assertThat(o.reservationId()).isEqualTo(r.id()))
                .satisfies(o -> assertThat(o.status()).isIn(NO_ANSWER));
        assertThat(listing.status()).as("list").isIn(NO_ANSWER);
        assertThat(health.status()).as("health (%s)", health.detail()).isEqualTo(DeviceHealth.Status.DOWN);
    }

    @Test
    public void timeoutIsHonoured() {
        Duration t = shortTimeout();
        DeviceAdapter slow = slowDevice(t);
        DeviceReservation r = reservation(15);

        long start = System.nanoTime();
        List<Outcome> outcomes = slow.install(List.of(r), t);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(outcomes).extracting(Outcome::reservationId, Outcome::status)
                .containsExactly(tuple(r.id(), OutcomeStatus.TIMEOUT));
        assertThat(took).as("install with timeout %s", t).isLessThanOrEqualTo(t.plus(schedulingMargin()));
    }

    @Test
    public void listAndHealthOfASlowDeviceReturnWithinTheTimeout() {
        Duration t = shortTimeout();
        DeviceAdapter slow = slowDevice(t);

        long start = System.nanoTime();
        DeviceListing listing = slow.list(t);
        Duration listTook = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        DeviceHealth health = slow.health(t);
        Duration healthTook = Duration.ofNanos(System.nanoTime() - start);

        assertThat(listing.status()).as("list").isEqualTo(OutcomeStatus.TIMEOUT);
        assertThat(listTook).as("list with timeout %s", t).isLessThanOrEqualTo(t.plus(schedulingMargin()));
        assertThat(health.status()).as("health").isEqualTo(DeviceHealth.Status.DOWN);
        assertThat(healthTook).as("health with timeout %s", t).isLessThanOrEqualTo(t.plus(schedulingMargin()));
    }

    private DeviceAdapter slowDevice(Duration timeout) {
        Duration delay = timeout.plus(schedulingMargin()).multipliedBy(2);
        DeviceAdapter slow = createSlow(delay);
        Assumptions.assumeTrue(slow != null, "this adapter's test bed cannot simulate a slow device");
        return opened(slow, "createSlow(" + delay + ")");
    }

    @Test
    public void concurrentInstallsAllLand() throws Exception {
        DeviceAdapter a = reachable();
        int threads = 8;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Outcome>>> calls = new ArrayList<>();
        Set<String> expected = new LinkedHashSet<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int base = 100 + t * perThread;
                calls.add(pool.submit(() -> {
                    go.await();
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int k = 0; k < perThread; k++) {
                        outcomes.addAll(install(a, List.of(reservation(base + k))));
                    }
                    return outcomes;
                }));
                for (int k = 0; k < perThread; k++) {
                    expected.add(reservation(base + k).id());
                }
            }
            go.countDown();
            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> c : calls) {
                all.addAll(c.get(callTimeout().toMillis() * perThread * threads, TimeUnit.MILLISECONDS));
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(all).as("outcomes other than APPLIED").filteredOn(o -> o.status() != OutcomeStatus.APPLIED).isEmpty();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("test threads stopped").isTrue();
        }

        assertThat(listedHere(a)).extracting(DeviceReservation::id).containsExactlyInAnyOrderElementsOf(expected);
        List<DeviceProbe.Row> device = probedHere(a);
        if (device != null) {
            assertThat(device).as("device side").extracting(DeviceProbe.Row::reservationId)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    public void closeFreesThreads() {
        Set<Thread> before = liveThreads();
        DeviceAdapter a = opened(createReachable(), "createReachable()");
        DeviceReservation r = reservation(16);
        a.install(List.of(r), callTimeout());
        a.list(callTimeout());
        a.health(callTimeout());
        a.remove(List.of(r.id()), callTimeout());

        a.close();

        long deadline = System.nanoTime() + threadExitWait().toNanos();
        Set<Thread> leaked;
        do {
            leaked = liveThreads();
            leaked.removeAll(before);
            leaked.removeIf(this::isJvmShared);
            if (leaked.isEmpty()) {
                return;
            }
            waitBriefly();
        } while (System.nanoTime() < deadline);
        fail("threads still alive %s after close(): %s", threadExitWait(),
                leaked.stream().map(t -> t.getName() + " (" + t.getState() + ")").collect(Collectors.joining(", ")));
    }

    private static Set<Thread> liveThreads() {
        Set<Thread> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).forEach(live::add);
        return live;
    }

    private static void waitBriefly() {
        try {
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the adapter's threads to end", e);
        }
    }

    @Test
    public void healthOfReachableDeviceIsUp() {
        DeviceAdapter a = reachable();

        DeviceHealth health = a.health(callTimeout());

        assertThat(health.status()).as("health (%s)", health.detail()).isEqualTo(DeviceHealth.Status.UP);
    }
}
