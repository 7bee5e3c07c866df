package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SNMP behaviour beyond the common contract, against a real net-snmp snmpd: device models added as
 * files, agent refusals mapped to outcomes, batching into few SETs, USM failures.
 */
class SnmpDeviceIT {

    private static final Duration T = Duration.ofSeconds(5);

    private static SnmpTestBed bed;

    @TempDir
    Path models;

    private final long session = ThreadLocalRandom.current().nextLong(1_000_000_000L, Integer.MAX_VALUE);
    private final List<DeviceAdapter> adapters = new ArrayList<>();
    private final Map<DeviceAdapter, List<String>> installed = new HashMap<>();

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

    @AfterEach
    void removeAndClose() {
        installed.forEach((a, ids) -> a.remove(ids, T));
        adapters.forEach(DeviceAdapter::close);
    }

    private SnmpDevice adapter(String model, Map<String, Object> access, Map<String, Object> more) {
        Map<String, Object> extra = new HashMap<>(access);
        extra.putAll(more);
        SnmpDevice d = new SnmpAdapterProvider().create(SnmpTestBed.config(bed.port(), model, extra));
        adapters.add(d);
        return d;
    }

    private List<Outcome> install(DeviceAdapter a, List<DeviceReservation> batch) {
        installed.computeIfAbsent(a, k -> new ArrayList<>()).addAll(batch.stream().map(DeviceReservation::id).toList());
        return a.install(batch, T);
    }

    private DeviceReservation reservation(int n, int dscp) {
        String sessionId = "pcscf.rx.it;" + session + ";1";
        String address = "10.2." + (n / 250) + "." + (n % 250 + 1);
        return new DeviceReservation(sessionId + "|" + n + ".1|UL|" + address + "|line-" + n, sessionId, "line-" + n,
                Direction.UPLINK, address, 96_000, DeviceReservation.defaultBurst(96_000), dscp, 50);
    }

    private DeviceReservation reservation(int n) {
        return reservation(n, 46);
    }

    private Path model(String name, String yaml) throws IOException {
        Files.writeString(models.resolve(name + ".yaml"), yaml);
        return models;
    }

    private static final String PRIORITY_MODEL = """
            model: priority-from-dscp
            index: {kind: name, prefix: prio, length: 15, probe: 1}
            tables:
              - name: docsIetfQosServiceClassTable
                entry: 1.3.6.1.2.1.127.1.8.1
                row-status: 2
                columns:
                  - {name: docsIetfQosServiceClassPriority, column: 3, type: integer, value: dscp}
                  - {name: docsIetfQosServiceClassMaxTrafficRate, column: 4, type: unsigned, value: rate-bps}
              - name: reservationLabelTable
                entry: 1.3.6.1.4.1.8072.9999.9999.127.1.1
                row-status: 5
                columns:
                  - {name: reservationLabelId, column: 2, type: string, value: id}
            """;

    @Test
    void modelAddedAsAFileWritesItsRows() throws Exception {
        SnmpDevice a = adapter("small-policer", SnmpTestBed.v2c(SnmpTestBed.RW),
                Map.of("model-dir", model("small-policer", SnmpTestBed.SMALL_POLICER_MODEL).toString()));
        DeviceReservation r = reservation(1);

        assertThat(install(a, List.of(r))).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);

        assertThat(bed.rows(SnmpTestBed.SMALL_POLICER + ".2", SnmpTestBed.SMALL_POLICER + ".8", 1000))
                .extracting(row -> row[0], row -> row[1]).containsExactly(tuple(r.id(), "96000"));
    }

    @Test
    void fullTableGivesRejectedResourceUnavailable() throws Exception {
        SnmpDevice a = adapter("small-policer", SnmpTestBed.v2c(SnmpTestBed.RW),
                Map.of("model-dir", model("small-policer", SnmpTestBed.SMALL_POLICER_MODEL).toString()));

        List<Outcome> out = install(a, List.of(reservation(1), reservation(2), reservation(3)));

        assertThat(out).extracting(Outcome::status)
                .containsExactlyInAnyOrder(OutcomeStatus.APPLIED, OutcomeStatus.APPLIED, OutcomeStatus.REJECTED);
        assertThat(out).filteredOn(o -> o.status() == OutcomeStatus.REJECTED).singleElement()
                .satisfies(o -> assertThat(o.detail()).contains("resourceUnavailable").contains("smallPolicerTable RowStatus"));
        assertThat(bed.walk(SnmpTestBed.SMALL_POLICER + ".2")).hasSize(2);
    }

    @Test
    void valueTheAgentRefusesGivesRejectedNamingErrorStatusAndColumnAndWritesNothing() throws Exception {
        SnmpDevice a = adapter("priority-from-dscp", SnmpTestBed.v2c(SnmpTestBed.RW),
                Map.of("model-dir", model("priority-from-dscp", PRIORITY_MODEL).toString()));
        DeviceReservation r = reservation(4, 46);

        List<Outcome> out = install(a, List.of(r));

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(o.detail()).contains("wrongValue").contains("docsIetfQosServiceClassPriority");
        });
        assertThat(bed.walk(SnmpTestBed.LABEL_ID)).as("no label row (the SET is atomic)").doesNotContainValue(r.id());
    }

    @Test
    void oneRefusedReservationDoesNotStopTheOthersOfItsSet() throws Exception {
        SnmpDevice a = adapter("priority-from-dscp", SnmpTestBed.v2c(SnmpTestBed.RW),
                Map.of("model-dir", model("priority-from-dscp", PRIORITY_MODEL).toString(),
                        "max-pdu-bytes", 65507, "max-varbinds", 1000));
        List<DeviceReservation> batch = List.of(reservation(5, 5), reservation(6, 46), reservation(7, 3));
        long setsBefore = bed.setRequests();

        List<Outcome> out = install(a, batch);

        assertThat(out).extracting(Outcome::status)
                .containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.REJECTED, OutcomeStatus.APPLIED);
        assertThat(bed.setRequests() - setsBefore).as("the refused SET, then the same SET without the culprit").isEqualTo(2);
        assertThat(bed.walk(SnmpTestBed.LABEL_ID).values()).contains(batch.get(0).id(), batch.get(2).id()).doesNotContain(batch.get(1).id());
    }

    @Test
    void batchGoesInOneSetWhenThePduAllows() throws Exception {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v2c(SnmpTestBed.RW),
                Map.of("max-pdu-bytes", 65507, "max-varbinds", 1000));
        List<DeviceReservation> batch = new ArrayList<>();
        for (int n = 10; n < 30; n++) {
            batch.add(reservation(n));
        }
        long setsBefore = bed.setRequests();

        List<Outcome> out = install(a, batch);

        assertThat(out).extracting(Outcome::status).containsOnly(OutcomeStatus.APPLIED);
        assertThat(bed.setRequests() - setsBefore).isEqualTo(1);
    }

    @Test
    void batchIsSplitAtMaxPduBytes() throws Exception {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v2c(SnmpTestBed.RW), Map.of("max-pdu-bytes", 1400));
        List<DeviceReservation> batch = new ArrayList<>();
        for (int n = 30; n < 50; n++) {
            batch.add(reservation(n));
        }
        long setsBefore = bed.setRequests();

        List<Outcome> out = install(a, batch);

        assertThat(out).extracting(Outcome::status).containsOnly(OutcomeStatus.APPLIED);
        assertThat(bed.setRequests() - setsBefore).isBetween(2L, 10L);
    }

    @Test
    void readOnlyCommunityGivesRejectedNoAccess() {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v2c(SnmpTestBed.RO), Map.of());

        assertThat(install(a, List.of(reservation(50)))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(o.detail()).contains("noAccess");
        });
    }

    @Test
    void wrongAuthPassphraseGivesUnreachableWithTheReport() {
        Map<String, Object> v3 = new HashMap<>(SnmpTestBed.v3(SnmpTestBed.USER));
        v3.put("auth-passphrase", "not-the-auth-pass");
        SnmpDevice a = adapter("docsis-qos-service-class", v3, Map.of());

        assertThat(install(a, List.of(reservation(51)))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(o.detail()).contains("usmStatsWrongDigests").doesNotContain("not-the-auth-pass");
        });
    }

    @Test
    void unknownUserGivesUnreachableWithTheReport() {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v3("nobody"), Map.of());

        assertThat(a.list(T)).satisfies(l -> {
            assertThat(l.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(l.detail()).contains("usmStatsUnknownUserNames");
        });
    }

    @Test
    void authNoPrivUserInAPrivOnlyGroupIsRefused() {
        SnmpDevice a = adapter("docsis-qos-service-class", Map.of("version", 3, "user", SnmpTestBed.USER_NO_PRIV,
                "security-level", "authNoPriv", "auth-passphrase", SnmpTestBed.AUTH_PASS), Map.of());

        assertThat(install(a, List.of(reservation(52)))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(o.detail()).contains("authorizationError");
        });
        assertThat(a.health(T).status()).isEqualTo(DeviceHealth.Status.DEGRADED);
    }

    @Test
    void sha512WithAes256Interoperates() {
        Map<String, Object> v3 = new HashMap<>(SnmpTestBed.v3(SnmpTestBed.USER_512));
        v3.put("auth-protocol", "sha512");
        v3.put("priv-protocol", "aes256");
        SnmpDevice a = adapter("docsis-qos-service-class", v3, Map.of());
        DeviceReservation r = reservation(53);

        assertThat(install(a, List.of(r))).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
        assertThat(a.list(T).reservations()).extracting(DeviceReservation::id).contains(r.id());
    }

    @Test
    void rowChangedBehindTheAdapterIsWrittenBack() throws Exception {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER), Map.of());
        DeviceReservation r = reservation(54);
        install(a, List.of(r));
        String index = labelIndexOf(r.id());
        bed.set(SnmpTestBed.SERVICE_CLASS + ".4" + index, "u", "5000000");

        assertThat(install(a, List.of(r))).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
        assertThat(bed.get(SnmpTestBed.SERVICE_CLASS + ".4" + index)).isEqualTo("96000");
    }

    @Test
    void listReadsTheReservationBackFromTheRow() {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER), Map.of());
        DeviceReservation r = reservation(55);
        install(a, List.of(r));

        assertThat(a.list(T).reservations()).filteredOn(x -> x.id().equals(r.id())).singleElement().satisfies(x -> {
            assertThat(x.rateBps()).isEqualTo(96_000);
            assertThat(x.burstBytes()).isEqualTo(r.burstBytes());
            assertThat(x.dscp()).isEqualTo(46);
            assertThat(x.direction()).isEqualTo(Direction.UPLINK);
            assertThat(x.subscriberAddress()).isEqualTo(r.subscriberAddress());
            assertThat(x.maxLatencyMs()).isEqualTo(50);
        });
    }

    @Test
    void listLeavesOutRowsThatHoldNoReservationId() throws Exception {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v2c(SnmpTestBed.RW), Map.of());
        String gold = ".4.103.111.108.100";
        bed.set(SnmpTestBed.SERVICE_CLASS + ".4" + gold, "u", "20000000", SnmpTestBed.SERVICE_CLASS + ".2" + gold, "i", "4");
        try {
            DeviceReservation r = reservation(56);
            install(a, List.of(r));

            assertThat(a.list(T).reservations()).extracting(DeviceReservation::id).contains(r.id())
                    .allSatisfy(id -> assertThat(id).isNotEmpty());
            assertThat(a.list(T).reservations()).hasSize(bed.walk(SnmpTestBed.LABEL_ID).size());
        } finally {
            bed.set(SnmpTestBed.SERVICE_CLASS + ".2" + gold, "i", "6");
        }
    }

    @Test
    void rowLostOnTheDeviceIsNoLongerListed() throws Exception {
        SnmpDevice a = adapter("docsis-qos-service-class", SnmpTestBed.v2c(SnmpTestBed.RW), Map.of());
        DeviceReservation r = reservation(57);
        install(a, List.of(r));
        String index = labelIndexOf(r.id());
        bed.set(SnmpTestBed.SERVICE_CLASS + ".2" + index, "i", "6", SnmpTestBed.LABEL_ID.replaceAll("\\.2$", ".5") + index, "i", "6");

        assertThat(a.list(T).reservations()).extracting(DeviceReservation::id).doesNotContain(r.id());
        assertThat(a.remove(List.of(r.id()), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.NOT_FOUND);
    }

    /** The row index suffix (".4.97...") of the label row holding the id, read with the CLI. */
    private static String labelIndexOf(String id) throws Exception {
        return bed.walk(SnmpTestBed.LABEL_ID).entrySet().stream().filter(e -> e.getValue().equals(id)).map(e -> e.getKey().substring(SnmpTestBed.LABEL_ID.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no label row holds " + id));
    }
}
