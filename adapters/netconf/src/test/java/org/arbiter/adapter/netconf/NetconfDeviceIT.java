package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conformance kit does not cover, against the real netconfd (candidate datastore, with
 * the ietf-interfaces and arbiter-if-policer modules loaded too): host key and authentication
 * failures, values the YANG model refuses, lock contention, another session's leftovers in the
 * candidate, lost sessions and a device that stops answering, a device model added as a file,
 * and the shipped ietf-interfaces model.
 */
@Timeout(120)
class NetconfDeviceIT {

    private static final Duration T = Duration.ofSeconds(10);

    private static NetconfTestBed bed;
    private final List<DeviceAdapter> adapters = new ArrayList<>();
    private final List<String> installed = new ArrayList<>();
    private String session;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startDevice() throws Exception {
        bed = NetconfTestBed.start(NetconfTestBed.Target.CANDIDATE, true);
    }

    @AfterAll
    static void stopDevice() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @BeforeEach
    void newSession() {
        session = "it.test;" + ThreadLocalRandom.current().nextLong(1_000_000, Integer.MAX_VALUE) + ";1";
    }

    @AfterEach
    void cleanUp() throws Exception {
        bed.thawDevice();
        if (!installed.isEmpty()) {
            try (DeviceAdapter a = adapter(bed.settings(bed.port()))) {
                a.remove(installed, T);
            }
        }
        adapters.forEach(DeviceAdapter::close);
    }

    private DeviceAdapter adapter(Map<String, Object> settings) {
        DeviceAdapter a = new NetconfAdapterProvider().create(NetconfTestBed.config(settings));
        adapters.add(a);
        return a;
    }

    private DeviceAdapter reachable() throws Exception {
        return adapter(bed.settings(bed.port()));
    }

    private DeviceReservation reservation(int n, Integer latencyMs) {
        String address = "10.2.0." + (n + 1);
        String id = session + "|" + n + ".1|UL|" + address + "|line-1";
        installed.add(id);
        return new DeviceReservation(id, session, "line-1", Direction.UPLINK, address, 96_000 + n * 1000L, 1500, 46,
                latencyMs);
    }

    private List<String> idsOnDevice() throws Exception {
        return bed.qosRows().stream().map(r -> r[0]).filter(id -> id.startsWith(session)).toList();
    }

    @Test
    void hostKeyOtherThanTheKnownOneGivesUnreachableNamingTheHostKey() throws Exception {
        Map<String, Object> s = bed.settings(bed.port());
        Path other = tmp.resolve("other_key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString()).start();
        assertThat(p.waitFor()).isZero();
        String[] key = Files.readString(Path.of(other + ".pub")).strip().split(" ");
        s.put("known-hosts", Files.writeString(tmp.resolve("known_hosts"),
                "[127.0.0.1]:" + bed.port() + " " + key[0] + " " + key[1] + "\n").toString());
        DeviceAdapter a = adapter(s);
        DeviceReservation r = reservation(0, null);

        List<Outcome> outcomes = a.install(List.of(r), T);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(o.detail()).contains("host key").contains("127.0.0.1");
        });
        assertThat(a.health(T).status()).isEqualTo(DeviceHealth.Status.DOWN);
        assertThat(idsOnDevice()).isEmpty();
    }

    @Test
    void hostMissingFromKnownHostsGivesUnreachable() throws Exception {
        Map<String, Object> s = bed.settings(bed.port());
        s.put("known-hosts", Files.writeString(tmp.resolve("known_hosts"), "# no hosts yet\n").toString());

        assertThat(adapter(s).list(T)).satisfies(l -> {
            assertThat(l.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(l.detail()).contains("host key");
        });
        assertThat(Files.readString(tmp.resolve("known_hosts"))).as("known_hosts is never written").isEqualTo("# no hosts yet\n");
    }

    @Test
    void wrongPasswordGivesUnreachableWithoutTheSecret() throws Exception {
        Map<String, Object> s = bed.settings(bed.port());
        s.remove("private-key");
        s.put("password", "not-the-password-7");

        List<Outcome> outcomes = adapter(s).install(List.of(reservation(1, null)), T);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
            assertThat(o.detail()).contains("authentication").doesNotContain("not-the-password-7");
        });
    }

    @Test
    void valueOutsideTheYangRangeIsRejectedWithTheRpcError() throws Exception {
        DeviceReservation tooSlow = reservation(2, 20_000);

        List<Outcome> outcomes = reachable().install(List.of(tooSlow), T);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(o.detail()).contains("invalid-value").contains("not-in-range").contains("latency-ms")
                    .contains("arb-");
        });
        assertThat(idsOnDevice()).isEmpty();
    }

    @Test
    void batchWithOneRefusedEntryAppliesTheOthers() throws Exception {
        DeviceReservation a = reservation(3, 10);
        DeviceReservation bad = reservation(4, 20_000);
        DeviceReservation c = reservation(5, null);

        List<Outcome> outcomes = reachable().install(List.of(a, bad, c), T);

        assertThat(outcomes).extracting(Outcome::reservationId, Outcome::status).containsExactly(
                tuple(a.id(), OutcomeStatus.APPLIED), tuple(bad.id(), OutcomeStatus.REJECTED),
                tuple(c.id(), OutcomeStatus.APPLIED));
        assertThat(idsOnDevice()).containsExactlyInAnyOrder(a.id(), c.id());
    }

    @Test
    void candidateLockedByAnotherSessionGivesRetryableFailureThenSucceeds() throws Exception {
        DeviceAdapter adapter = reachable();
        DeviceReservation r = reservation(6, null);
        try (NetconfTestBed.RawSession other = bed.rawSession()) {
            assertThat(other.rpc("<lock><target><candidate/></target></lock>")).contains("<ok/>");

            assertThat(adapter.install(List.of(r), T)).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(OutcomeStatus.FAILED);
                assertThat(o.detail()).contains("lock-denied").contains("retryable");
            });
        }

        assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
    }

    @Test
    void uncommittedEditsOfAnotherSessionAreDiscardedNotCommitted() throws Exception {
        String stray = session + "|stray";
        try (NetconfTestBed.RawSession other = bed.rawSession()) {
            assertThat(other.rpc("<edit-config><target><candidate/></target><config>"
                    + "<reservations xmlns=\"urn:arbiter:qos\"><reservation><name>stray-1</name><id>" + stray + "</id>"
                    + "<subscriber>10.9.9.9</subscriber><direction>uplink</direction><rate-bps>1000</rate-bps>"
                    + "</reservation></reservations></config></edit-config>")).contains("<ok/>");
        }
        DeviceReservation r = reservation(7, null);

        assertThat(reachable().install(List.of(r), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);

        assertThat(idsOnDevice()).containsExactly(r.id());
    }

    @Test
    void sessionDroppedByTheDeviceIsReplacedWithinTheCall() throws Exception {
        DeviceAdapter adapter = reachable();
        DeviceReservation first = reservation(8, null);
        assertThat(adapter.install(List.of(first), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);

        bed.dropConnections();
        DeviceReservation second = reservation(9, null);

        assertThat(adapter.install(List.of(second), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
        assertThat(idsOnDevice()).containsExactlyInAnyOrder(first.id(), second.id());
    }

    @Test
    void deviceThatStopsAnsweringGivesTimeoutWithinTheTimeoutAndTheNextCallRecovers() throws Exception {
        DeviceAdapter adapter = reachable();
        assertThat(adapter.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        DeviceReservation r = reservation(10, null);
        Duration shortTimeout = Duration.ofMillis(800);

        bed.freezeDevice();
        long start = System.nanoTime();
        List<Outcome> outcomes;
        try {
            outcomes = adapter.install(List.of(r), shortTimeout);
        } finally {
            bed.thawDevice();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(outcomes).extracting(Outcome::status).containsExactly(OutcomeStatus.TIMEOUT);
        assertThat(took).isLessThan(shortTimeout.plusMillis(750));
        assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status)
                .containsAnyOf(OutcomeStatus.APPLIED, OutcomeStatus.ALREADY_PRESENT);
        assertThat(idsOnDevice()).containsExactly(r.id());
    }

    @Test
    void deviceModelAddedAsAFileIsUsed() throws Exception {
        Files.writeString(tmp.resolve("lab-qos.yaml"), """
                # arbiter-qos YANG, entries named lab-..., merged in and deleted; netconfd resolves XPath
                # prefixes by the YANG module prefix, so list-xpath uses arbq
                model: lab-qos
                module: arbiter-qos
                namespaces:
                  arbq: urn:arbiter:qos
                entry: /arbq:reservations/arbq:reservation
                key: arbq:name
                name: {prefix: lab-, hash-length: 12}
                install: |
                  <reservation nc:operation="merge">
                    <name>${name}</name>
                    <id>${id}</id>
                    <subscriber>${subscriber}</subscriber>
                    <direction>${direction}</direction>
                    <rate-bps>${rate-bps}</rate-bps>
                  </reservation>
                remove: |
                  <reservation nc:operation="delete">
                    <name>${name}</name>
                  </reservation>
                list-xpath: /arbq:reservations/arbq:reservation
                read:
                  id: arbq:id
                  direction: arbq:direction
                  rate-bps: arbq:rate-bps
                """);
        Map<String, Object> s = bed.settings(bed.port());
        s.put("model", "lab-qos");
        s.put("model-dir", tmp.toString());
        DeviceAdapter adapter = adapter(s);
        DeviceReservation r = reservation(11, null);

        assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
        assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.ALREADY_PRESENT);

        assertThat(bed.qosRows()).filteredOn(row -> r.id().equals(row[0])).singleElement()
                .satisfies(row -> assertThat(row[2]).startsWith("lab-").hasSize(16));
        assertThat(adapter.list(T).reservations()).extracting(DeviceReservation::id).contains(r.id());
        assertThat(adapter.remove(List.of(r.id()), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.REMOVED);
        assertThat(idsOnDevice()).isEmpty();
    }

    @Test
    void ietfInterfacesModelInstallsListsAndRemovesAnInterfaceWithAPolicer() throws Exception {
        Map<String, Object> s = bed.settings(bed.port());
        s.put("model", "ietf-interfaces-policer");
        DeviceAdapter adapter = adapter(s);
        DeviceReservation r = reservation(12, 40);
        installed.remove(r.id());

        try {
            assertThat(adapter.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
            assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.APPLIED);
            assertThat(adapter.install(List.of(r), T)).extracting(Outcome::status)
                    .containsExactly(OutcomeStatus.ALREADY_PRESENT);

            DeviceListing listing = adapter.list(T);
            assertThat(listing.status()).isEqualTo(OutcomeStatus.APPLIED);
            assertThat(listing.reservations()).filteredOn(x -> x.id().equals(r.id())).singleElement()
                    .satisfies(x -> {
                        assertThat(x.rateBps()).isEqualTo(r.rateBps());
                        assertThat(x.maxLatencyMs()).isEqualTo(40);
                    });
            String raw = bed.rawRpcs(List.of("<get-config><source><running/></source><filter type=\"subtree\">"
                    + "<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"/></filter></get-config>")).getFirst();
            assertThat(raw).contains("<description>" + r.id() + "</description>").contains("<rate-kbps>108</rate-kbps>");
        } finally {
            assertThat(adapter.remove(List.of(r.id()), T)).extracting(Outcome::status).containsExactly(OutcomeStatus.REMOVED);
        }
        assertThat(adapter.list(T).reservations()).extracting(DeviceReservation::id).doesNotContain(r.id());
    }

    @Test
    void healthNamesTheFramingAndTheModel() throws Exception {
        DeviceHealth h = reachable().health(T);

        assertThat(h.status()).isEqualTo(DeviceHealth.Status.UP);
        assertThat(h.detail()).contains("chunked framing").contains("model arbiter-qos");
    }

    @Test
    void configuredRunningDatastoreOnACandidateDeviceIsReportedNotAttempted() throws Exception {
        Map<String, Object> s = bed.settings(bed.port());
        s.put("datastore", "running");
        DeviceAdapter adapter = adapter(s);

        assertThat(adapter.install(List.of(reservation(13, null)), T)).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(o.detail()).contains(":writable-running");
        });
        assertThat(adapter.health(T).status()).isEqualTo(DeviceHealth.Status.DEGRADED);
    }
}
