package org.arbiter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.junit.jupiter.api.Test;

class EnforcerTest {

    /** A device whose first install waits for a latch, recording every batch it gets. */
    static final class GatedDevice extends FakeDevice {
        final CountDownLatch firstCallEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        GatedDevice() {
            super("dslam-1");
        }

        @Override
        public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstCallEntered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.install(batch, timeout);
        }
    }

    static Hold hold(String session, String device) {
        return new Hold(1, session, new FlowKey(1, 1), Direction.UPLINK, "10.1.0.7", "line-1", device, 64_000, 46, null,
                HoldState.RESERVED, Instant.EPOCH);
    }

    @Test
    void concurrentRequestsToOneDeviceGoOutTogether() throws Exception {
        GatedDevice dev = new GatedDevice();
        try (Enforcer enforcer = new Enforcer(Map.of("dslam-1", dev), Duration.ofSeconds(5));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Enforcer.Result> first = pool.submit(() -> enforcer.install(List.of(hold("s0", "dslam-1"))));
            assertThat(dev.firstCallEntered.await(5, TimeUnit.SECONDS)).isTrue();

            List<Future<Enforcer.Result>> rest = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String s = "s" + i;
                rest.add(pool.submit(() -> enforcer.install(List.of(hold(s, "dslam-1")))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (enforcer.queuedInstalls("dslam-1") < 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(enforcer.queuedInstalls("dslam-1")).isEqualTo(10);
            dev.release.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS).ok()).isTrue();
            for (Future<Enforcer.Result> f : rest) {
                assertThat(f.get(5, TimeUnit.SECONDS).applied()).hasSize(1);
            }
            assertThat(dev.batchSizes).containsExactly(1, 10);
            assertThat(dev.rows).hasSize(11);
        }
    }

    @Test
    void duplicateReservationsInOneBatchAreSentOnceAndBothCallersGetTheOutcome() throws Exception {
        GatedDevice dev = new GatedDevice();
        try (Enforcer enforcer = new Enforcer(Map.of("dslam-1", dev), Duration.ofSeconds(5));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Enforcer.Result> first = pool.submit(() -> enforcer.install(List.of(hold("s0", "dslam-1"))));
            assertThat(dev.firstCallEntered.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Enforcer.Result> a = pool.submit(() -> enforcer.install(List.of(hold("dup", "dslam-1"))));
            Future<Enforcer.Result> b = pool.submit(() -> enforcer.install(List.of(hold("dup", "dslam-1"))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (enforcer.queuedInstalls("dslam-1") < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            dev.release.countDown();

            first.get(5, TimeUnit.SECONDS);
            assertThat(a.get(5, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(b.get(5, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(dev.batchSizes).containsExactly(1, 1);
        }
    }

    @Test
    void aThrowingAdapterBecomesATypedFailure() {
        FakeDevice dev = new FakeDevice("d") {
            @Override
            public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
                throw new IllegalStateException("adapter bug");
            }
        };
        try (Enforcer enforcer = new Enforcer(Map.of("d", dev), Duration.ofSeconds(1))) {
            Enforcer.Result r = enforcer.install(List.of(hold("s", "d")));
            assertThat(r.failures()).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(OutcomeStatus.FAILED);
                assertThat(o.detail()).contains("adapter bug");
            });
        }
    }

    @Test
    void aHoldOnAnUnconfiguredDeviceFails() {
        try (Enforcer enforcer = new Enforcer(Map.of(), Duration.ofSeconds(1))) {
            assertThat(enforcer.install(List.of(hold("s", "ghost"))).failures()).singleElement()
                    .satisfies(o -> assertThat(o.detail()).contains("ghost"));
        }
    }

    @Test
    void anIdleDevicesAdapterIsCalledOnTheCallersThread() {
        List<Thread> callers = new CopyOnWriteArrayList<>();
        FakeDevice dev = new FakeDevice("dslam-1") {
            @Override
            public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
                callers.add(Thread.currentThread());
                return super.install(batch, timeout);
            }

            @Override
            public List<Outcome> remove(List<String> ids, Duration timeout) {
                callers.add(Thread.currentThread());
                return super.remove(ids, timeout);
            }
        };
        try (Enforcer enforcer = new Enforcer(Map.of("dslam-1", dev), Duration.ofSeconds(5))) {
            assertThat(enforcer.install(List.of(hold("s1", "dslam-1"))).ok()).isTrue();
            assertThat(enforcer.remove(List.of(hold("s1", "dslam-1")))).isEmpty();

            assertThat(callers).containsExactly(Thread.currentThread(), Thread.currentThread());
            assertThat(dev.rows).isEmpty();
        }
    }

    /** A device that meets another in its install: it succeeds only when both are in a call at once. */
    static final class MeetingDevice extends FakeDevice {
        final CountDownLatch meeting;
        volatile boolean warm;

        MeetingDevice(String id, CountDownLatch meeting) {
            super(id);
            this.meeting = meeting;
        }

        @Override
        public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
            if (!warm) {
                // a first call slow enough to make the device count as slow
                long until = System.nanoTime() + 2 * DeviceQueue.FAST_CALL_NANOS;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                warm = true;
                return super.install(batch, timeout);
            }
            meeting.countDown();
            try {
                if (!meeting.await(5, TimeUnit.SECONDS)) {
                    return batch.stream().map(r -> new Outcome(r.id(), OutcomeStatus.TIMEOUT, "called alone")).toList();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.install(batch, timeout);
        }
    }

    @Test
    void slowDevicesOfOneRequestAreCalledInParallel() {
        CountDownLatch meeting = new CountDownLatch(2);
        MeetingDevice a = new MeetingDevice("dslam-1", meeting);
        MeetingDevice b = new MeetingDevice("bras-1", meeting);
        try (Enforcer enforcer = new Enforcer(Map.of("dslam-1", a, "bras-1", b), Duration.ofSeconds(5))) {
            assertThat(enforcer.install(List.of(hold("warm-up", "dslam-1"), hold("warm-up", "bras-1"))).ok()).isTrue();

            Enforcer.Result r = enforcer.install(List.of(hold("s1", "dslam-1"), hold("s1", "bras-1")));

            assertThat(r.failures()).isEmpty();
            assertThat(r.applied()).hasSize(2);
        }
    }

    @Test
    void aCallerThatStopsWaitingWithdrawsItsUnsentReservations() throws Exception {
        GatedDevice dev = new GatedDevice();
        // a caller waits twice the device timeout plus one second
        try (Enforcer enforcer = new Enforcer(Map.of("dslam-1", dev), Duration.ofMillis(10));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Enforcer.Result> first = pool.submit(() -> enforcer.install(List.of(hold("s0", "dslam-1"))));
            assertThat(dev.firstCallEntered.await(5, TimeUnit.SECONDS)).isTrue();

            Enforcer.Result late = enforcer.install(List.of(hold("s1", "dslam-1")));
            dev.release.countDown();

            assertThat(late.failures()).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(OutcomeStatus.TIMEOUT));
            assertThat(first.get(5, TimeUnit.SECONDS).ok()).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (enforcer.queuedInstalls("dslam-1") > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(enforcer.queuedInstalls("dslam-1")).isZero();
            assertThat(dev.batchSizes).containsExactly(1);
            assertThat(dev.rows).containsOnlyKeys(hold("s0", "dslam-1").reservationId());
        }
    }
}
