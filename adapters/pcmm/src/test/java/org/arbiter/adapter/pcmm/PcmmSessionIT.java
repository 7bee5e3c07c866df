package org.arbiter.adapter.pcmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arbiter.adapter.pcmm.cops.CopsErrorCode;
import org.arbiter.adapter.pcmm.cops.CopsObject;
import org.arbiter.adapter.pcmm.cops.CopsOpCode;
import org.arbiter.adapter.pcmm.mm.GateCommand;
import org.arbiter.adapter.pcmm.mm.GateSpec;
import org.arbiter.adapter.pcmm.mm.PcmmCommand;
import org.arbiter.adapter.pcmm.mm.PcmmErrorCode;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.adapter.pcmm.mm.TrafficProfile;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session with the CMTS emulator misbehaving: keep-alive loss, reconnect and Synch, every
 * Gate-Set-Err, preemption and timer reports, late and lost answers, a wrong client-type and a
 * malformed message.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class PcmmSessionIT {

    private static final Duration T = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private CmtsEmulator cmts;
    private final List<PcmmDevice> adapters = new ArrayList<>();

    @BeforeEach
    void startCmts() {
        cmts = CmtsEmulator.start();
    }

    @AfterEach
    void stopAll() {
        adapters.forEach(PcmmDevice::close);
        cmts.close();
    }

    private PcmmDevice adapter(Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>(Map.of("host", "127.0.0.1", "port", cmts.port(), "amid", "1:42", "timeout-ms", 3000,
                "reconnect-min-ms", 50, "reconnect-max-ms", 200));
        s.putAll(extra);
        PcmmDevice d = new PcmmAdapterProvider().create(new AdapterConfig("cmts-s", "devices[0].settings", s));
        adapters.add(d);
        return d;
    }

    private PcmmDevice adapter() {
        return adapter(Map.of());
    }

    private static DeviceReservation reservation(int n) {
        return reservation(n, n % 2 == 0 ? Direction.UPLINK : Direction.DOWNLINK, 64_000 + n * 1000L);
    }

    private static DeviceReservation reservation(int n, Direction d, long rate) {
        String address = "10.7.0." + (n + 1);
        return new DeviceReservation("pcscf.rx.test;77;1|" + n + ".1|" + address, "pcscf.rx.test;77;1", "line-1", d, address, rate,
                DeviceReservation.defaultBurst(rate), 46, null);
    }

    private static List<OutcomeStatus> statuses(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::status).toList();
    }

    private static List<String> listed(PcmmDevice d) {
        return d.list(T).reservations().stream().map(DeviceReservation::id).toList();
    }

    private long gateOf(DeviceReservation r) {
        return cmts.gates().stream().filter(g -> g.reservation().map(x -> x.id().equals(r.id())).orElse(false)).findFirst().orElseThrow()
                .gateId();
    }

    private static boolean mirrorHolds(PcmmDevice d, int gates) {
        DeviceHealth h = d.health(T);
        return h.status() == DeviceHealth.Status.UP && h.detail().endsWith(" " + gates + " gates of ours");
    }

    // ---------------------------------------------------------------- keep-alive

    @Test
    void keepAlivesFromTheCmtsAreEchoedAndKeepTheSessionUp() {
        PcmmDevice d = adapter(Map.of("keepalive-seconds", 2));
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);

        Poll.until(() -> cmts.fromPdp().stream().filter(m -> m.opCode() == CopsOpCode.KA).count() >= 3, WAIT, "three keep-alive echoes");

        assertThat(cmts.accepted()).isEqualTo(1);
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
    }

    @Test
    void silentCmtsIsDeclaredDeadAfterTheKeepAliveIntervalAndTheSessionReconnects() {
        PcmmDevice d = adapter(Map.of("keepalive-seconds", 1));
        DeviceReservation r = reservation(0);
        assertThat(statuses(d.install(List.of(r), T))).containsExactly(OutcomeStatus.APPLIED);

        long lastHeard = cmts.silenceCurrentConnections();
        Poll.until(() -> cmts.accepted() == 2, WAIT, "a second connection");
        long reconnected = System.nanoTime();

        assertThat(Duration.ofNanos(reconnected - lastHeard)).as("dead one KA interval after the last message")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        Poll.until(() -> d.health(T).status() == DeviceHealth.Status.UP, WAIT, "the new session");
        assertThat(listed(d)).containsExactly(r.id());
    }

    // ---------------------------------------------------------------- reconnect and Synch

    @Test
    void reconnectRunsSynchAndTheMirrorMatchesTheCmts() {
        PcmmDevice d = adapter();
        DeviceReservation kept = reservation(0);
        DeviceReservation lost = reservation(1);
        DeviceReservation foreign = reservation(2);
        assertThat(statuses(d.install(List.of(kept, lost), T))).containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.APPLIED);
        assertThat(cmts.forgetSilently(gateOf(lost))).isTrue();
        cmts.addGate(new PcmmObject.Amid(1, 42), address("10.7.0.3"), GateMapping.gateSpec(foreign, GateMappingTest.config(Map.of())),
                GateMapping.profile(foreign, GateMappingTest.config(Map.of())), List.of(GateMapping.classifier(foreign,
                        address("10.7.0.3"), 0)), GateMapping.opaque(foreign).data());

        cmts.disconnectAll();
        Poll.until(() -> cmts.accepted() == 2 && d.health(T).status() == DeviceHealth.Status.UP, WAIT, "the session after reconnect");

        assertThat(statuses(d.install(List.of(foreign, lost), T))).as("the Synch adopted the foreign gate and dropped the lost one")
                .containsExactly(OutcomeStatus.ALREADY_PRESENT, OutcomeStatus.APPLIED);
        assertThat(listed(d)).containsExactlyInAnyOrder(kept.id(), lost.id(), foreign.id());
        assertThat(cmts.received().stream().filter(c -> c.command() == GateCommand.SYNCH_REQUEST)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void newAdapterFindsTheGatesOfItsPredecessorThroughSynch() {
        DeviceReservation r = reservation(4);
        PcmmDevice before = adapter();
        assertThat(statuses(before.install(List.of(r), T))).containsExactly(OutcomeStatus.APPLIED);
        before.close();

        PcmmDevice after = adapter();

        assertThat(statuses(after.install(List.of(r), T))).containsExactly(OutcomeStatus.ALREADY_PRESENT);
        assertThat(statuses(after.remove(List.of(r.id()), T))).containsExactly(OutcomeStatus.REMOVED);
        assertThat(cmts.gates()).isEmpty();
    }

    @Test
    void gatesReportedWithoutOpaqueDataAreCompletedWithGateInfo() {
        DeviceReservation r = reservation(6);
        assertThat(statuses(adapter().install(List.of(r), T))).containsExactly(OutcomeStatus.APPLIED);
        cmts.standardSynchReports(true);

        PcmmDevice other = adapter();

        assertThat(listed(other)).containsExactly(r.id());
        assertThat(cmts.received()).filteredOn(c -> c.command() == GateCommand.GATE_INFO).isNotEmpty()
                .allSatisfy(c -> assertThat(c.first(PcmmObject.GateId.class)).contains(new PcmmObject.GateId(gateOf(r))));
    }

    @Test
    void gatesOfAnotherApplicationManagerAreNotListed() {
        DeviceReservation theirs = reservation(8);
        cmts.addGate(new PcmmObject.Amid(2, 7), address("10.7.0.9"), GateMapping.gateSpec(theirs, GateMappingTest.config(Map.of())),
                GateMapping.profile(theirs, GateMappingTest.config(Map.of())), List.of(GateMapping.classifier(theirs, address("10.7.0.9"), 0)),
                GateMapping.opaque(theirs).data());

        assertThat(listed(adapter())).isEmpty();
    }

    // ---------------------------------------------------------------- Gate-Set-Err

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 6, 7, 10, 11, 13, 14, 17, 127})
    void gateSetErrIsRejectedWithItsCodeInTheDetail(int code) {
        PcmmDevice d = adapter();
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        cmts.rejectGateSets(code);
        DeviceReservation r = reservation(10);

        List<Outcome> out = d.install(List.of(r), T);

        assertThat(out).extracting(Outcome::reservationId, Outcome::status).containsExactly(tuple(r.id(), OutcomeStatus.REJECTED));
        assertThat(out.get(0).detail()).startsWith("Gate-Set-Err " + PcmmErrorCode.describe(code));
        assertThat(listed(d)).isEmpty();
    }

    @Test
    void insufficientResourcesComesFromTheCmtsCapacity() {
        cmts.capacityBps(100_000);
        PcmmDevice d = adapter();

        List<Outcome> out = d.install(List.of(reservation(0, Direction.UPLINK, 64_000), reservation(2, Direction.UPLINK, 64_000)), T);

        assertThat(statuses(out)).containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.REJECTED);
        assertThat(out.get(1).detail()).contains("1 Insufficient Resources");
    }

    @Test
    void sessionClassLimitComesFromTheCmts() {
        cmts.sessionClassLimit(1);
        PcmmDevice d = adapter(Map.of("session-priority", 3));

        List<Outcome> out = d.install(List.of(reservation(0), reservation(1)), T);

        assertThat(statuses(out)).containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.REJECTED);
        assertThat(out.get(1).detail()).contains("10 Session Class Limit Exceeded");
    }

    @Test
    void undefinedServiceClassNameComesFromTheCmts() {
        cmts.serviceClasses(Set.of("VOICE"));
        PcmmDevice d = adapter(Map.of("service-class", "GAMING"));

        List<Outcome> out = d.install(List.of(reservation(0)), T);

        assertThat(statuses(out)).containsExactly(OutcomeStatus.REJECTED);
        assertThat(out.get(0).detail()).contains("11 Undefined Service Class Name");
    }

    @Test
    void invalidSubscriberComesFromTheCmts() {
        DeviceReservation r = new DeviceReservation("pcscf.rx.test;77;1|9.1|any", "pcscf.rx.test;77;1", "line-1", Direction.UPLINK,
                "0.0.0.0", 64_000, 1500, 46, null);

        List<Outcome> out = adapter().install(List.of(r), T);

        assertThat(statuses(out)).containsExactly(OutcomeStatus.REJECTED);
        assertThat(out.get(0).detail()).contains("13 Invalid SubscriberID");
    }

    @Test
    void modifyingAGateTheCmtsForgotGetsUnknownGateIdAndTheNextInstallCreatesIt() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(0);
        assertThat(statuses(d.install(List.of(r), T))).containsExactly(OutcomeStatus.APPLIED);
        cmts.forgetSilently(gateOf(r));
        DeviceReservation faster = reservation(0, Direction.UPLINK, 256_000);

        List<Outcome> first = d.install(List.of(faster), T);
        List<Outcome> second = d.install(List.of(faster), T);

        assertThat(statuses(first)).containsExactly(OutcomeStatus.REJECTED);
        assertThat(first.get(0).detail()).contains("2 Unknown GateID");
        assertThat(statuses(second)).containsExactly(OutcomeStatus.APPLIED);
        assertThat(cmts.gates()).singleElement().satisfies(g -> assertThat(g.rateBps()).isEqualTo(256_000));
    }

    // ---------------------------------------------------------------- install and remove semantics

    @Test
    void changedRateModifiesTheSameGate() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(0);
        d.install(List.of(r), T);
        long gate = gateOf(r);

        assertThat(statuses(d.install(List.of(reservation(0, Direction.UPLINK, 512_000)), T))).containsExactly(OutcomeStatus.APPLIED);

        assertThat(cmts.gates()).singleElement().satisfies(g -> {
            assertThat(g.gateId()).isEqualTo(gate);
            assertThat(g.rateBps()).isEqualTo(512_000);
        });
        assertThat(cmts.received().get(cmts.received().size() - 1).first(PcmmObject.GateId.class)).contains(new PcmmObject.GateId(gate));
    }

    @Test
    void changedDirectionDeletesTheGateAndSetsANewOne() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(0, Direction.UPLINK, 64_000);
        d.install(List.of(r), T);
        long gate = gateOf(r);

        assertThat(statuses(d.install(List.of(reservation(0, Direction.DOWNLINK, 64_000)), T))).containsExactly(OutcomeStatus.APPLIED);

        List<GateCommand> sent = cmts.received().stream().map(PcmmCommand::command).toList();
        assertThat(sent.subList(sent.size() - 2, sent.size())).containsExactly(GateCommand.GATE_DELETE, GateCommand.GATE_SET);
        assertThat(cmts.gates()).singleElement().satisfies(g -> {
            assertThat(g.gateId()).isNotEqualTo(gate);
            assertThat(g.spec().direction()).isEqualTo(GateSpec.Direction.DOWNSTREAM);
        });
    }

    @Test
    void removingAGateTheCmtsForgotGivesNotFound() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(0);
        d.install(List.of(r), T);
        cmts.forgetSilently(gateOf(r));

        List<Outcome> out = d.remove(List.of(r.id()), T);

        assertThat(statuses(out)).containsExactly(OutcomeStatus.NOT_FOUND);
        assertThat(out.get(0).detail()).contains("Gate-Delete-Err 2 Unknown GateID");
    }

    @Test
    void lateAnswerGivesTimeoutAndStillUpdatesTheMirror() {
        PcmmDevice d = adapter();
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        cmts.answerDelay(Duration.ofMillis(800));
        DeviceReservation r = reservation(0);

        assertThat(statuses(d.install(List.of(r), Duration.ofMillis(300)))).containsExactly(OutcomeStatus.TIMEOUT);

        Poll.until(() -> mirrorHolds(d, 1), WAIT, "the late Gate-Set-Ack in the mirror");
        cmts.answerDelay(Duration.ZERO);
        assertThat(statuses(d.install(List.of(r), T))).containsExactly(OutcomeStatus.ALREADY_PRESENT);
        assertThat(cmts.gates()).hasSize(1);
    }

    @Test
    void connectionLostWithAnAnswerOutstandingGivesUnreachable() throws Exception {
        PcmmDevice d = adapter();
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        cmts.answerDelay(Duration.ofSeconds(30));
        DeviceReservation r = reservation(0);

        CompletableFuture<List<Outcome>> install = CompletableFuture.supplyAsync(() -> d.install(List.of(r), Duration.ofSeconds(20)));
        Poll.until(() -> cmts.received().stream().anyMatch(c -> c.command() == GateCommand.GATE_SET), WAIT, "the Gate-Set");
        cmts.disconnectAll();

        List<Outcome> out = install.get(10, TimeUnit.SECONDS);
        assertThat(statuses(out)).containsExactly(OutcomeStatus.UNREACHABLE);
        assertThat(out.get(0).detail()).contains("closed the connection");
    }

    // ---------------------------------------------------------------- reports from the CMTS

    @Test
    void preemptionReportDropsTheGateFromTheMirrorAndTheListing() {
        PcmmDevice d = adapter();
        DeviceReservation preempted = reservation(0);
        DeviceReservation other = reservation(1);
        d.install(List.of(preempted, other), T);
        assertThat(mirrorHolds(d, 2)).isTrue();

        assertThat(cmts.preempt(gateOf(preempted))).isTrue();

        Poll.until(() -> mirrorHolds(d, 1), WAIT, "the report to reach the mirror");
        assertThat(listed(d)).containsExactly(other.id());
        assertThat(statuses(d.install(List.of(preempted), T))).as("installed again, not already present")
                .containsExactly(OutcomeStatus.APPLIED);
    }

    @Test
    void t1ExpiryOfAnAuthorizedGateIsReportedAndTheGateDisappears() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(2);
        GateSpec spec = GateMapping.gateSpec(r, GateMappingTest.config(Map.of()));
        GateSpec shortT1 = new GateSpec(spec.direction(), true, spec.dscpTosField(), spec.dscpTosMask(), spec.sessionClass(), 1, 0, 0, 0);
        TrafficProfile authorizedOnly = new TrafficProfile.ServiceClassName(TrafficProfile.AUTHORIZED, "VOICE");
        cmts.addGate(new PcmmObject.Amid(1, 42), address("10.7.0.3"), shortT1, authorizedOnly,
                List.of(GateMapping.classifier(r, address("10.7.0.3"), 0)), GateMapping.opaque(r).data());
        assertThat(listed(d)).containsExactly(r.id());

        Poll.until(() -> mirrorHolds(d, 0), WAIT, "the T1 report to reach the mirror");

        assertThat(cmts.gates()).isEmpty();
        assertThat(listed(d)).isEmpty();
    }

    @Test
    void t3InactivityReportDropsTheGate() {
        PcmmDevice d = adapter();
        DeviceReservation r = reservation(0);
        d.install(List.of(r), T);

        assertThat(cmts.expire(gateOf(r), 3)).isTrue();

        Poll.until(() -> mirrorHolds(d, 0), WAIT, "the T3 report to reach the mirror");
        assertThat(listed(d)).isEmpty();
    }

    // ---------------------------------------------------------------- a misbehaving CMTS

    @Test
    void clientOpenForAnotherClientTypeGetsUnsupportedClientAndHealthDown() {
        cmts.clientType(0x8008);
        PcmmDevice d = adapter();

        DeviceHealth h = d.health(T);

        assertThat(h.status()).isEqualTo(DeviceHealth.Status.DOWN);
        assertThat(h.detail()).contains("client-type 0x8008");
        // the adapter may report DOWN before the emulator has read the Client-Close it sent
        Poll.until(() -> cmts.fromPdp().stream().anyMatch(m -> m.opCode() == CopsOpCode.CC), WAIT, "the Client-Close at the CMTS");
        assertThat(cmts.fromPdp()).filteredOn(m -> m.opCode() == CopsOpCode.CC).first()
                .satisfies(m -> assertThat(m.first(CopsObject.ErrorObject.class))
                        .contains(new CopsObject.ErrorObject(CopsErrorCode.UNSUPPORTED_CLIENT, 0)));
    }

    @Test
    void malformedMessageFromTheCmtsGetsClientCloseWithItsErrorAndTheSessionReconnects() {
        PcmmDevice d = adapter();
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);

        cmts.sendGarbage();

        Poll.until(() -> cmts.accepted() == 2 && d.health(T).status() == DeviceHealth.Status.UP, WAIT, "the session after reconnect");
        assertThat(cmts.fromPdp()).filteredOn(m -> m.opCode() == CopsOpCode.CC).singleElement()
                .satisfies(m -> assertThat(m.first(CopsObject.ErrorObject.class))
                        .contains(new CopsObject.ErrorObject(CopsErrorCode.BAD_MESSAGE_FORMAT, 0)));
    }

    @Test
    void closeSendsClientCloseShuttingDown() {
        PcmmDevice d = adapter();
        assertThat(d.health(T).status()).isEqualTo(DeviceHealth.Status.UP);

        d.close();

        Poll.until(() -> cmts.fromPdp().stream().anyMatch(m -> m.opCode() == CopsOpCode.CC), WAIT, "the Client-Close");
        assertThat(cmts.fromPdp()).filteredOn(m -> m.opCode() == CopsOpCode.CC).singleElement()
                .satisfies(m -> assertThat(m.first(CopsObject.ErrorObject.class))
                        .contains(new CopsObject.ErrorObject(CopsErrorCode.SHUTTING_DOWN, 0)));
        assertThat(statuses(d.install(List.of(reservation(0)), T))).containsExactly(OutcomeStatus.UNREACHABLE);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
