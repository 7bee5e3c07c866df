package org.arbiter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;

/**
 * What the end-to-end tests check of Arbiter's state: exchanges of one kind, a session's active
 * holds, and the use of every pool and device.
 */
final class CallAssertions {

    private CallAssertions() {}

    /** The exchanges of one kind, in order. */
    static List<RxExchange> of(List<RxExchange> exchanges, RxExchange.Kind kind) {
        return exchanges.stream().filter(e -> e.kind() == kind).toList();
    }

    /** The active holds of a session (empty when the ledger does not know it). */
    static List<Hold> activeHolds(ArbiterUnderTest arbiter, String sessionId) {
        return arbiter.session(sessionId).map(SessionView::holds).orElse(List.of()).stream()
                .filter(h -> h.state().active()).toList();
    }

    /** Asserts each pool's use, uplink and downlink alike, in bit/s. */
    static void assertPoolUse(ArbiterUnderTest arbiter, Map<String, Long> expectedBps) {
        for (PoolUsage u : arbiter.pools()) {
            long want = expectedBps.getOrDefault(u.pool().id(), 0L);
            assertThat(u.usedUplinkBps()).as("uplink use of pool %s", u.pool().id()).isEqualTo(want);
            assertThat(u.usedDownlinkBps()).as("downlink use of pool %s", u.pool().id()).isEqualTo(want);
        }
    }

    /**
     * Waits for a SIPp run and asserts that every call ran its scenario to the end.
     *
     * @param what the run, as the failure message names it
     */
    static SippProcess.Result assertCompleted(SippProcess run, Duration timeout, int calls, String what) {
        SippProcess.Result r = run.await(timeout);
        assertThat(r.successful()).as("%s: calls that ran their scenario to the end; %s", what, run.report()).isEqualTo(calls);
        assertThat(r.failed()).as("%s: failed calls; %s", what, run.report()).isZero();
        assertThat(r.exitCode()).as("%s: SIPp's exit code; %s", what, run.report()).isZero();
        return r;
    }

    /** Asserts that no pool is in use and no device holds a reservation. */
    static void assertNothingHeld(ArbiterUnderTest arbiter) {
        assertPoolUse(arbiter, Map.of());
        assertThat(arbiter.deviceReservations()).as("reservations on the devices")
                .containsOnly(Map.entry(AccessNetworks.DSLAM, 0), Map.entry(AccessNetworks.BRAS, 0));
    }
}
