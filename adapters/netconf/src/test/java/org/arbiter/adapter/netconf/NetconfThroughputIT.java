package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the adapter against the real netconfd, in both datastore modes, and logs the figures
 * (no timing is asserted; the outcomes are): the round trip of an install of one reservation (lock,
 * read, edit-config, commit, read back, confirming commit, unlock on one kept session), and the
 * throughput of batches of 50. The JVM is warmed up first with {@value #WARMUP} installs and
 * removes, so the figures show the steady state rather than the JIT compiler; the cold first
 * call is logged too. The figures appear at INFO under {@code NetconfThroughputIT}; run alone with
 * {@code -Dit.test=NetconfThroughputIT}.
 */
class NetconfThroughputIT {

    private static final Logger LOG = LoggerFactory.getLogger(NetconfThroughputIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int WARMUP = 100;
    private static final int SINGLES = 60;
    private static final int BATCH = 50;
    private static final int BATCHES = 4;

    private static NetconfTestBed candidate;
    private static NetconfTestBed running;

    @BeforeAll
    static void startDevices() throws Exception {
        candidate = NetconfTestBed.start(NetconfTestBed.Target.CANDIDATE, false);
        running = NetconfTestBed.start(NetconfTestBed.Target.RUNNING, false);
    }

    @AfterAll
    static void stopDevices() throws Exception {
        for (NetconfTestBed b : new NetconfTestBed[] {candidate, running}) {
            if (b != null) {
                b.close();
            }
        }
    }

    private static DeviceReservation reservation(String run, int n) {
        long rate = 64_000L + n * 1000L;
        return new DeviceReservation("bench;" + run + ";1|" + n + ".1|UL|10.9." + (n / 250) + "." + (n % 250 + 1) + "|line-1",
                "bench;" + run + ";1", "line-1", Direction.UPLINK, "10.9." + (n / 250) + "." + (n % 250 + 1), rate,
                DeviceReservation.defaultBurst(rate), 46, 50);
    }

    @ParameterizedTest(name = "{0}, confirmed-commit {1}")
    @CsvSource({"CANDIDATE, true", "CANDIDATE, false", "RUNNING, true"})
    void installLatencyAndBatchThroughputAreMeasured(NetconfTestBed.Target target, boolean confirmed) throws Exception {
        NetconfTestBed bed = target == NetconfTestBed.Target.CANDIDATE ? candidate : running;
        Map<String, Object> settings = bed.settings(bed.port());
        settings.put("confirmed-commit", confirmed);
        String mode = target == NetconfTestBed.Target.RUNNING ? "running" : confirmed ? "candidate+confirmed-commit"
                : "candidate+commit";
        try (DeviceAdapter a = new NetconfAdapterProvider().create(NetconfTestBed.config(settings))) {
            assertThat(a.health(TIMEOUT).status()).isEqualTo(org.arbiter.core.adapter.DeviceHealth.Status.UP);

            String run = Long.toString(System.nanoTime());
            long t0 = System.nanoTime();
            DeviceReservation first = reservation(run, 100_000);
            assertThat(a.install(List.of(first), TIMEOUT)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
            long coldMicros = (System.nanoTime() - t0) / 1000;
            for (int i = 0; i < WARMUP; i++) {
                DeviceReservation r = reservation(run, 200_000 + i);
                assertThat(a.install(List.of(r), TIMEOUT)).extracting(Outcome::status)
                        .containsExactly(OutcomeStatus.APPLIED);
                assertThat(a.remove(List.of(r.id()), TIMEOUT)).extracting(Outcome::status)
                        .containsExactly(OutcomeStatus.REMOVED);
            }
            a.remove(List.of(first.id()), TIMEOUT);
            long[] micros = new long[SINGLES];
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SINGLES; i++) {
                DeviceReservation r = reservation(run, i);
                ids.add(r.id());
                t0 = System.nanoTime();
                List<Outcome> o = a.install(List.of(r), TIMEOUT);
                micros[i] = (System.nanoTime() - t0) / 1000;
                assertThat(o).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
            }
            Arrays.sort(micros);
            t0 = System.nanoTime();
            assertThat(a.remove(ids, TIMEOUT)).extracting(Outcome::status).containsOnly(OutcomeStatus.REMOVED);
            long removeMicros = (System.nanoTime() - t0) / 1000;

            long batchNanos = 0;
            for (int b = 0; b < BATCHES; b++) {
                List<DeviceReservation> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(reservation(run, 1000 + b * BATCH + i));
                }
                t0 = System.nanoTime();
                List<Outcome> o = a.install(batch, TIMEOUT);
                batchNanos += System.nanoTime() - t0;
                assertThat(o).extracting(Outcome::status).containsOnly(OutcomeStatus.APPLIED).hasSize(BATCH);
                assertThat(a.remove(batch.stream().map(DeviceReservation::id).toList(), TIMEOUT))
                        .extracting(Outcome::status).containsOnly(OutcomeStatus.REMOVED);
            }
            LOG.info("{}: first install on a new adapter (includes TCP, SSH handshake, authentication and hello) {} ms; after {} warm-up "
                            + "installs, install of 1 reservation over {} calls: median {} ms, p90 {} ms, min {} ms, "
                            + "max {} ms; one remove of {} ids {} ms",
                    mode, ms(coldMicros), WARMUP, SINGLES, ms(micros[SINGLES / 2]), ms(micros[SINGLES * 9 / 10]),
                    ms(micros[0]), ms(micros[SINGLES - 1]), SINGLES, ms(removeMicros));
            LOG.info("{}: {} batches of {}: {} ms per batch, {} reservations/s", mode, BATCHES, BATCH,
                    ms(batchNanos / 1000 / BATCHES), String.format("%.0f", BATCHES * BATCH / (batchNanos / 1e9)));
        }
    }

    private static String ms(long micros) {
        return String.format("%.1f", micros / 1000.0);
    }
}
