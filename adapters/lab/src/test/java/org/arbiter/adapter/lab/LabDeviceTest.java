package org.arbiter.adapter.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;

/** Behaviour of the lab device beyond the common contract: capacity, failure injection, loss. */
class LabDeviceTest {

    private static final Duration T = Duration.ofSeconds(2);

    private static DeviceReservation r(int n) {
        String session = "pcscf.rx.test;2072389454;" + n;
        return new DeviceReservation(session + "|1.1|UL|10.1.0." + n + "|line-" + n, session, "line-" + n,
                Direction.UPLINK, "10.1.0." + n, 128_000, DeviceReservation.defaultBurst(128_000), 46, 100);
    }

    private static List<OutcomeStatus> statuses(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::status).toList();
    }

    @Test
    void installBeyondCapacityIsRejectedWithResourceUnavailable() {
        try (LabDevice d = new LabDevice("lab-1", Duration.ZERO, LabDevice.Failure.NONE, 0, 2)) {
            List<Outcome> out = d.install(List.of(r(1), r(2), r(3)), T);

            assertThat(out).extracting(Outcome::status)
                    .containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.APPLIED, OutcomeStatus.REJECTED);
            assertThat(out.get(2).detail()).startsWith("resourceUnavailable");
            assertThat(d.rows()).containsExactly(r(1), r(2));
        }
    }

    @Test
    void replacingARowOfAFullDeviceIsAllowed() {
        try (LabDevice d = new LabDevice("lab-1", Duration.ZERO, LabDevice.Failure.NONE, 0, 1)) {
            d.install(List.of(r(1)), T);
            DeviceReservation faster = new DeviceReservation(r(1).id(), r(1).sessionId(), r(1).poolId(),
                    Direction.UPLINK, "10.1.0.1", 256_000, 1600, 46, 100);

            assertThat(statuses(d.install(List.of(faster), T))).containsExactly(OutcomeStatus.APPLIED);
            assertThat(d.rows()).containsExactly(faster);
        }
    }

    @Test
    void injectedRejectRefusesInstallsButStillRemoves() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.install(List.of(r(1)), T);
            d.inject(LabDevice.Failure.REJECT);

            assertThat(statuses(d.install(List.of(r(2)), T))).containsExactly(OutcomeStatus.REJECTED);
            assertThat(statuses(d.remove(List.of(r(1).id()), T))).containsExactly(OutcomeStatus.REMOVED);
            assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.DEGRADED);
            assertThat(d.rows()).isEmpty();
        }
    }

    @Test
    void failAfterLetsTheFirstInstallsThroughThenFails() {
        try (LabDevice d = new LabAdapterProvider().create(new AdapterConfig("lab-2",
                "devices[1]", Map.of("fail", "reject", "fail-after", 2)))) {
            List<Outcome> first = d.install(List.of(r(1)), T);
            List<Outcome> batch = d.install(List.of(r(2), r(3)), T);

            assertThat(statuses(first)).containsExactly(OutcomeStatus.APPLIED);
            assertThat(batch).extracting(Outcome::reservationId, Outcome::status)
                    .containsExactly(tuple(r(2).id(), OutcomeStatus.APPLIED), tuple(r(3).id(), OutcomeStatus.REJECTED));
        }
    }

    @Test
    void injectedUnreachableAtRuntimeMakesEveryCallUnreachable() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.install(List.of(r(1)), T);
            d.inject(LabDevice.Failure.UNREACHABLE);

            assertThat(statuses(d.install(List.of(r(2)), T))).containsExactly(OutcomeStatus.UNREACHABLE);
            assertThat(statuses(d.remove(List.of(r(1).id()), T))).containsExactly(OutcomeStatus.UNREACHABLE);
            assertThat(d.list(T).status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.DOWN);
        }
    }

    @Test
    void injectingNoneHealsTheDevice() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.inject(LabDevice.Failure.UNREACHABLE);
            d.inject(LabDevice.Failure.NONE);

            assertThat(statuses(d.install(List.of(r(1)), T))).containsExactly(OutcomeStatus.APPLIED);
        }
    }

    @Test
    void injectedTimeoutWaitsOutTheTimeoutThenGivesTimeout() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.inject(LabDevice.Failure.TIMEOUT);
            Duration timeout = Duration.ofMillis(150);

            long start = System.nanoTime();
            List<Outcome> out = d.install(List.of(r(1)), timeout);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(statuses(out)).containsExactly(OutcomeStatus.TIMEOUT);
            assertThat(tookMs).isBetween(150L, 1_000L);
            assertThat(d.rows()).isEmpty();
        }
    }

    @Test
    void latencyBelowTheTimeoutDelaysTheCallButApplies() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.latency(Duration.ofMillis(100));

            long start = System.nanoTime();
            List<Outcome> out = d.install(List.of(r(1)), T);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(statuses(out)).containsExactly(OutcomeStatus.APPLIED);
            assertThat(tookMs).isBetween(100L, 1_500L);
        }
    }

    @Test
    void forgottenReservationIsNoLongerListedAndRemovingItGivesNotFound() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.install(List.of(r(1), r(2)), T);

            assertThat(d.forget(r(1).id())).isTrue();

            assertThat(d.list(T).reservations()).containsExactly(r(2));
            assertThat(statuses(d.remove(List.of(r(1).id()), T))).containsExactly(OutcomeStatus.NOT_FOUND);
        }
    }

    @Test
    void forgetAllEmptiesTheDevice() {
        try (LabDevice d = new LabDevice("lab-1")) {
            d.install(List.of(r(1), r(2)), T);

            d.forgetAll();

            assertThat(d.list(T).reservations()).isEmpty();
        }
    }

    @Test
    void closeWakesACallWaitingOnLatency() throws Exception {
        LabDevice d = new LabDevice("lab-1");
        d.latency(Duration.ofSeconds(30));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch calling = new CountDownLatch(1);
            Future<List<Outcome>> call = caller.submit(() -> {
                calling.countDown();
                return d.install(List.of(r(1)), Duration.ofSeconds(30));
            });
            assertThat(calling.await(5, TimeUnit.SECONDS)).isTrue();

            d.close();

            assertThat(call.get(5, TimeUnit.SECONDS)).extracting(Outcome::status, Outcome::detail)
                    .containsExactly(tuple(OutcomeStatus.FAILED, "device closed"));
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void callsAfterCloseGiveFailed() {
        LabDevice d = new LabDevice("lab-1");
        d.close();

        assertThat(statuses(d.install(List.of(r(1)), T))).containsExactly(OutcomeStatus.FAILED);
        assertThat(d.list(T).status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.DOWN);
    }
}
