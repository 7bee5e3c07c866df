package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.junit.jupiter.api.Test;

class AdmissionPlanTest {

    private static final AccessPath LINE = new AccessPath("10.0.0.7", IpPrefix.parse("10.0.0.0/24"),
            List.of(new PathHop("line", "dslam"), new PathHop("up", "dslam"), new PathHop("bras", "bras")));

    private static HoldRequest want(int component, Direction d, long bps) {
        return new HoldRequest(new FlowKey(component, 0), d, LINE, bps, 46, null);
    }

    private static Hold held(long id, int component, Direction d, String pool, long bps, HoldState state) {
        return new Hold(id, "s1", new FlowKey(component, 0), d, "10.0.0.7", pool, "dslam", bps, 46, null, state, T0);
    }

    private static List<Hold> heldOnPath(int component, Direction d, long bps) {
        return List.of(held(1, component, d, "line", bps, HoldState.COMMITTED),
                held(2, component, d, "up", bps, HoldState.COMMITTED),
                held(3, component, d, "bras", bps, HoldState.COMMITTED));
    }

    private static Map<String, AdmissionPlan.PoolState> pools(long lineUsedDl, long upUsedDl, long brasUsedDl) {
        return Map.of(
                "line", new AdmissionPlan.PoolState("line", "dslam", 1_000_000, 2_000_000, 0, lineUsedDl),
                "up", new AdmissionPlan.PoolState("up", "dslam", 4_000_000, 4_000_000, 0, upUsedDl),
                "bras", new AdmissionPlan.PoolState("bras", "bras", 10_000_000, 10_000_000, 0, brasUsedDl));
    }

    @Test
    void wantsOneHoldPerPoolOfThePathInRequestOrder() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 100))), List.of());

        assertThat(plan.wanted()).extracting(AdmissionPlan.Wanted::poolId).containsExactly("line", "up", "bras");
        assertThat(plan.wanted().iterator().next().reservationId()).isEqualTo("s1|1.0|DL|10.0.0.7|line");
    }

    @Test
    void sameHoldsAndBandwidthsAreUnchanged() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 500))), heldOnPath(1, DOWNLINK, 500));

        assertThat(plan.unchanged()).isTrue();
        assertThat(plan.deltas()).isEmpty();
    }

    @Test
    void otherBandwidthIsAChange() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 600))), heldOnPath(1, DOWNLINK, 500));

        assertThat(plan.unchanged()).isFalse();
        assertThat(plan.deltas()).containsEntry(new AdmissionPlan.PoolDirection("line", DOWNLINK), 100L).hasSize(3);
    }

    @Test
    void anEmptyRequestForAnEmptySessionIsNotUnchanged() {
        assertThat(AdmissionPlan.of(request("s1", List.of()), List.of()).unchanged()).isFalse();
    }

    @Test
    void theSessionsOwnHoldsCountAsAvailableToIt() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 2_000_000))),
                heldOnPath(1, DOWNLINK, 1_500_000));

        assertThat(plan.shortfalls(pools(1_500_000, 1_500_000, 1_500_000))).isEmpty();
    }

    @Test
    void aShortFlowReportsTheTightestPoolAndWhatItCouldStillGive() {
        AdmissionPlan plan = AdmissionPlan.of(request("s2", List.of(want(1, DOWNLINK, 1_000_000))), List.of());

        List<Admission.Shortfall> s = plan.shortfalls(pools(1_500_000, 3_800_000, 0));
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.poolId()).isEqualTo("up");
            assertThat(x.availableBps()).isEqualTo(200_000);
            assertThat(x.requestedBps()).isEqualTo(1_000_000);
        });
    }

    @Test
    void twoFlowsOnOnePoolMustFitTogether() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 1_200_000),
                want(2, DOWNLINK, 1_200_000))), List.of());

        assertThat(plan.shortfalls(pools(0, 0, 0))).extracting(Admission.Shortfall::poolId)
                .containsExactly("line", "line");
    }

    @Test
    void directionsAreCheckedSeparately() {
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, UPLINK, 1_000_000),
                want(1, DOWNLINK, 2_000_000))), List.of());

        assertThat(plan.shortfalls(pools(0, 0, 0))).isEmpty();
    }

    @Test
    void overbookedPoolReportsZeroAvailable() {
        AdmissionPlan plan = AdmissionPlan.of(request("s2", List.of(want(1, DOWNLINK, 1))), List.of());

        assertThat(plan.shortfalls(pools(2_500_000, 0, 0)).getFirst().availableBps()).isZero();
    }

    @Test
    void droppedHoldsAreThoseNoLongerWanted() {
        List<Hold> current = new java.util.ArrayList<>(heldOnPath(1, DOWNLINK, 500));
        current.add(held(4, 2, UPLINK, "line", 100, HoldState.RESERVED));
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 500))), current);

        assertThat(plan.dropped()).extracting(Hold::holdId).containsExactly(4L);
        assertThat(plan.deltas()).containsExactly(Map.entry(new AdmissionPlan.PoolDirection("line", UPLINK), -100L));
    }

    @Test
    void poolsAreLockedInSortedOrderIncludingThoseOnlyCurrentlyHeld() {
        List<Hold> current = List.of(held(9, 3, UPLINK, "aaa-old", 100, HoldState.COMMITTED));
        AdmissionPlan plan = AdmissionPlan.of(request("s1", List.of(want(1, DOWNLINK, 500))), current);

        assertThat(plan.poolsToLock()).containsExactly("aaa-old", "bras", "line", "up");
    }
}
