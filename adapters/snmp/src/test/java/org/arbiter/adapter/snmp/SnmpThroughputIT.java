package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the adapter against the real snmpd ({@link SnmpTestBed}) with the DOCSIS service-class
 * model (two rows per reservation: the service class and its label, 11 varbinds), over SNMPv3
 * authPriv (SHA-256/AES-128) and over SNMPv2c, and logs the figures (no timing is asserted; the
 * outcomes and what the device holds afterwards are): the round trip of an install of one
 * reservation (GET of the candidate rows, GET of the columns when a row exists, one SET), and the
 * throughput of batches of {@value #BATCH}, which the adapter packs into as few SETs as its PDU
 * limits allow (the number of SETs the agent saw is logged). The JVM is warmed up first with
 * {@value #WARMUP} installs and removes, so the figures show the steady state rather than the JIT
 * compiler; the cold first call is logged too. The device side is checked with snmpwalk after the
 * single installs and after every batch, outside the timed parts. The figures appear at INFO under
 * {@code SnmpThroughputIT}; run alone with {@code -Dit.test=SnmpThroughputIT}.
 */
class SnmpThroughputIT {

    private static final Logger LOG = LoggerFactory.getLogger(SnmpThroughputIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int WARMUP = 100;
    private static final int SINGLES = 200;
    private static final int BATCH = 50;
    private static final int BATCHES = 4;

    private static SnmpTestBed bed;

    @BeforeAll
    static void startAgent() throws Exception {
        bed = SnmpTestBed.start();
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    private static DeviceReservation reservation(String run, int n) {
        long rate = 64_000L + n * 1000L;
        String address = "10.9." + (n / 250 % 250) + "." + (n % 250 + 1);
        return new DeviceReservation("bench;" + run + ";1|" + n + ".1|UL|" + address + "|line-1", "bench;" + run + ";1",
                "line-1", Direction.UPLINK, address, rate, DeviceReservation.defaultBurst(rate), 46, 50);
    }

    /** What the agent holds now, read with snmpwalk: "reservation id=MaxTrafficRate" per row. */
    private static List<String> deviceRows() throws Exception {
        return bed.rows(SnmpTestBed.LABEL_ID, SnmpTestBed.SERVICE_CLASS_MAX_RATE, 1).stream().map(r -> r[0] + "=" + r[1]).toList();
    }

    private static List<String> expected(List<DeviceReservation> rs) {
        return rs.stream().map(r -> r.id() + "=" + r.rateBps()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v3-authPriv", "v2c"})
    void installLatencyAndBatchThroughputAreMeasured(String access) throws Exception {
        Map<String, Object> settings = new HashMap<>(access.equals("v2c") ? SnmpTestBed.v2c(SnmpTestBed.RW)
                : SnmpTestBed.v3(SnmpTestBed.USER));
        try (DeviceAdapter a = new SnmpAdapterProvider().create(SnmpTestBed.config(bed.port(), "docsis-qos-service-class", settings))) {
            assertThat(deviceRows()).as("rows on the agent before the run").isEmpty();
            String run = Long.toString(System.nanoTime());
            long t0 = System.nanoTime();
            DeviceReservation first = reservation(run, 100_000);
            assertThat(a.install(List.of(first), TIMEOUT)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
            long coldMicros = (System.nanoTime() - t0) / 1000;
            assertThat(a.health(TIMEOUT).status()).isEqualTo(DeviceHealth.Status.UP);
            for (int i = 0; i < WARMUP; i++) {
                DeviceReservation r = reservation(run, 200_000 + i);
                assertThat(a.install(List.of(r), TIMEOUT)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
                assertThat(a.remove(List.of(r.id()), TIMEOUT)).extracting(Outcome::status).containsExactly(OutcomeStatus.REMOVED);
            }
            assertThat(a.remove(List.of(first.id()), TIMEOUT)).extracting(Outcome::status).containsExactly(OutcomeStatus.REMOVED);

            long[] micros = new long[SINGLES];
            List<DeviceReservation> singles = new ArrayList<>();
            long setsBefore = bed.setRequests();
            for (int i = 0; i < SINGLES; i++) {
                DeviceReservation r = reservation(run, i);
                singles.add(r);
                t0 = System.nanoTime();
                List<Outcome> o = a.install(List.of(r), TIMEOUT);
                micros[i] = (System.nanoTime() - t0) / 1000;
                assertThat(o).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
            }
            long singleSets = bed.setRequests() - setsBefore;
            Arrays.sort(micros);
            assertThat(deviceRows()).as("rows after %d single installs", SINGLES).hasSize(SINGLES)
                    .containsExactlyInAnyOrderElementsOf(expected(singles));
            t0 = System.nanoTime();
            assertThat(a.remove(singles.stream().map(DeviceReservation::id).toList(), TIMEOUT)).extracting(Outcome::status)
                    .hasSize(SINGLES).containsOnly(OutcomeStatus.REMOVED);
            long removeMicros = (System.nanoTime() - t0) / 1000;
            assertThat(deviceRows()).as("rows after removing the single installs").isEmpty();

            long batchNanos = 0;
            long removeNanos = 0;
            long batchSets = 0;
            for (int b = 0; b < BATCHES; b++) {
                List<DeviceReservation> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(reservation(run, 1000 + b * BATCH + i));
                }
                setsBefore = bed.setRequests();
                t0 = System.nanoTime();
                List<Outcome> o = a.install(batch, TIMEOUT);
                batchNanos += System.nanoTime() - t0;
                batchSets += bed.setRequests() - setsBefore;
                assertThat(o).extracting(Outcome::status).hasSize(BATCH).containsOnly(OutcomeStatus.APPLIED);
                assertThat(deviceRows()).as("rows after batch %d", b).hasSize(BATCH)
                        .containsExactlyInAnyOrderElementsOf(expected(batch));
                t0 = System.nanoTime();
                List<Outcome> removed = a.remove(batch.stream().map(DeviceReservation::id).toList(), TIMEOUT);
                removeNanos += System.nanoTime() - t0;
                assertThat(removed).extracting(Outcome::status).hasSize(BATCH).containsOnly(OutcomeStatus.REMOVED);
                assertThat(deviceRows()).as("rows after removing batch %d", b).isEmpty();
            }
            LOG.info("{}: first install on a new adapter (v3: includes engine discovery and key localisation) {} ms; "
                            + "after {} warm-up "
                            + "installs, install of 1 reservation over {} calls ({} SETs): median {} ms, p90 {} ms, "
                            + "p99 {} ms, min {} ms, max {} ms; one remove of {} ids {} ms",
                    access, ms(coldMicros), WARMUP, SINGLES, singleSets, ms(micros[SINGLES / 2]),
                    ms(micros[SINGLES * 9 / 10]), ms(micros[SINGLES * 99 / 100]), ms(micros[0]), ms(micros[SINGLES - 1]),
                    SINGLES, ms(removeMicros));
            LOG.info("{}: {} batches of {}: {} SETs per batch, install {} ms per batch ({} reservations/s), "
                            + "remove {} ms per batch ({} reservations/s)", access, BATCHES, BATCH, batchSets / BATCHES,
                    ms(batchNanos / 1000 / BATCHES), String.format("%.0f", BATCHES * BATCH / (batchNanos / 1e9)),
                    ms(removeNanos / 1000 / BATCHES), String.format("%.0f", BATCHES * BATCH / (removeNanos / 1e9)));
        }
    }

    private static String ms(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }
}
