package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final FlowKey FLOW = new FlowKey(1, 1);

    final InMemoryLedger ledger = new InMemoryLedger(Topology.of(List.of(
                    new PoolSpec("bras", null, 100_000_000, 100_000_000, 1.0, "bras-1"),
                    new PoolSpec("line", "bras", 4_000_000, 8_000_000, 1.0, "dslam-1")),
            List.of(new Attachment(IpPrefix.parse("10.1.0.7"), "line"))));
    final AccessPath path = ledger.resolve("10.1.0.7").orElseThrow();

    Admission admit(long ulBps, long dlBps) {
        List<HoldRequest> holds = new java.util.ArrayList<>();
        if (ulBps > 0) {
            holds.add(new HoldRequest(FLOW, Direction.UPLINK, path, ulBps, 46, null));
        }
        if (dlBps > 0) {
            holds.add(new HoldRequest(FLOW, Direction.DOWNLINK, path, dlBps, 46, null));
        }
        return ledger.admit(new AdmissionRequest("s1", "pcscf.test", null, null,
                Decision.accept(List.of(new FlowGrant(FLOW, "voice", ulBps, dlBps, null, 46, 1, 2, false)), "v1", "r1",
                        List.of()), holds, T0, T0.plusSeconds(30), T0.plusSeconds(600)));
    }

    @Test
    void aFirstAdmissionReleasesNothing() {
        Admission a = admit(1_000_000, 1_000_000);

        assertThat(a.released()).isEmpty();
    }

    @Test
    void anUpdateThatDropsADirectionReportsItsHoldsAsTheyWere() {
        Admission first = admit(1_000_000, 1_000_000);
        ledger.commit("s1", T0);

        Admission shrunk = admit(1_000_000, 0);

        assertThat(shrunk.released()).hasSize(2)
                .allMatch(h -> h.direction() == Direction.DOWNLINK && h.state() == HoldState.COMMITTED)
                .extracting(Hold::reservationId)
                .containsExactlyInAnyOrderElementsOf(first.holds().stream()
                        .filter(h -> h.direction() == Direction.DOWNLINK).map(Hold::reservationId).toList());
    }

    @Test
    void aHoldKeptWithAnotherBandwidthIsReplacedNotReleased() {
        admit(1_000_000, 1_000_000);

        Admission changed = admit(2_000_000, 1_000_000);

        assertThat(changed.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(changed.released()).isEmpty();
    }

    @Test
    void aRefusedAdmissionReleasesNothing() {
        admit(1_000_000, 1_000_000);

        Admission refused = admit(1_000_000, 9_000_000);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.released()).isEmpty();
        assertThat(ledger.session("s1").orElseThrow().holds()).allMatch(h -> h.state().active());
    }

    @Test
    void withoutEndedSessionsAnUpdateAskingForNothingLeavesNothingBehind() {
        InMemoryLedger forgetful = new InMemoryLedger(ledger.topology(), false, InMemoryLedger.countingIds());
        Decision d = Decision.accept(List.of(new FlowGrant(FLOW, "voice", 1_000_000, 0, null, 46, 1, 2, false)), "v1", "r1",
                List.of("a long trace line"));
        forgetful.admit(new AdmissionRequest("s1", "pcscf.test", null, null, d,
                List.of(new HoldRequest(FLOW, Direction.UPLINK, path, 1_000_000, 46, null)), T0, T0.plusSeconds(30),
                T0.plusSeconds(600)));
        assertThat(forgetful.activeSessions()).isEqualTo(1);

        Admission none = forgetful.admit(new AdmissionRequest("s1", "pcscf.test", null, null, d, List.of(), T0,
                T0.plusSeconds(30), T0.plusSeconds(600)));

        assertThat(none.released()).hasSize(2);
        assertThat(forgetful.session("s1")).isEmpty();
        assertThat(forgetful.sessions(null, null, 10)).isEmpty();
        assertThat(forgetful.activeSessions()).isZero();
        assertThat(forgetful.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
    }

    @Test
    void onePoolReadsItsUseAndAnUnknownPoolNothing() {
        admit(1_000_000, 2_000_000);

        PoolUsage line = ledger.pool("line").orElseThrow();
        assertThat(line.usedUplinkBps()).isEqualTo(1_000_000);
        assertThat(line.usedDownlinkBps()).isEqualTo(2_000_000);
        assertThat(ledger.pool("__readiness__")).isEmpty();
    }

    @Test
    void aReleasedSessionOfAForgetfulLedgerIsGoneAndItsRecordKeepsTheDecision() {
        InMemoryLedger forgetful = new InMemoryLedger(ledger.topology(), false, InMemoryLedger.countingIds());
        forgetful.admit(new AdmissionRequest("s1", "pcscf.test", null, null,
                Decision.accept(List.of(new FlowGrant(FLOW, "voice", 1_000_000, 0, null, 46, 1, 2, true)), "v7", "r9",
                        List.of()),
                List.of(new HoldRequest(FLOW, Direction.UPLINK, path, 1_000_000, 46, null)), T0, T0.plusSeconds(30),
                T0.plusSeconds(600)));

        ChargingRecord cdr = forgetful.release("s1", org.arbiter.core.session.TerminationCause.DIAMETER_LOGOUT,
                T0.plusSeconds(5)).orElseThrow().record();

        assertThat(cdr.policyVersion()).isEqualTo("v7");
        assertThat(cdr.ruleId()).isEqualTo("r9");
        assertThat(cdr.modified()).isTrue();
        assertThat(forgetful.session("s1")).isEmpty();
        assertThat(forgetful.chargingRecords()).isEmpty();
    }
}
