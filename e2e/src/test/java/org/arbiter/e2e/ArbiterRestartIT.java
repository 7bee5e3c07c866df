package org.arbiter.e2e;

import static org.arbiter.e2e.CallAssertions.activeHolds;
import static org.arbiter.e2e.CallAssertions.assertCompleted;
import static org.arbiter.e2e.CallAssertions.assertNothingHeld;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbiter restarts in the middle of a call through the Kamailio P-CSCF: the reservation lives in
 * the ledger (an H2 file), the P-CSCF reconnects within its Tc, and the STR that the caller's BYE
 * triggers later is answered by the new instance, which releases the reservation.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArbiterRestartIT {

    /** The Arbiter under test, in {@code dir}. */
    ArbiterUnderTest arbiter(Path dir) {
        return ArbiterUnderTest.start(dir, AccessNetworks.roomy());
    }

    /** Kept when the test fails: the peers' logs, configurations and SIPp traces are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void restartMidCallKeepsTheReservationAndReleasesItOnTheLaterBye() {
        try (CallLab lab = CallLab.start(dir, arbiter(dir.resolve("arbiter")))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-answer.xml", 1, 2000, 40, Duration.ofSeconds(40));
            // the hold outlasts the restart and cdp's reconnect (Tc = 2 s) by several seconds
            SippProcess caller = lab.caller("uac-call.xml", 1, 1, Duration.ofSeconds(12), Duration.ofSeconds(15),
                    Duration.ofSeconds(40));
            arbiter.awaitExchanges(Duration.ofSeconds(15), "the AAR", ex -> !ex.isEmpty());
            RxExchange aar = arbiter.exchanges().getFirst();
            assertThat(aar.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            List<Hold> before = activeHolds(arbiter, aar.sessionId());
            assertThat(before).hasSize(2 * 2 * 2 * AccessNetworks.PATH_LENGTH);
            // the AAA is on the wire once the call is up: a restart before would lose it (Kamailio then answers 488)
            callee.awaitMessage("ACK sip:", Duration.ofSeconds(10));

            arbiter.restart();
            lab.awaitRxConnection();

            assertThat(activeHolds(arbiter, aar.sessionId())).as("the session as the restarted Arbiter reads it")
                    .extracting(Hold::reservationId)
                    .containsExactlyInAnyOrderElementsOf(before.stream().map(Hold::reservationId).toList());
            assertCompleted(caller, Duration.ofSeconds(40), 1, "the caller");
            assertCompleted(callee, Duration.ofSeconds(20), 1, "the callee");

            arbiter.awaitExchanges(Duration.ofSeconds(10), "the STR of the BYE", ex -> ex.size() == 2);
            RxExchange str = arbiter.exchanges().get(1);
            assertThat(str.kind()).isEqualTo(RxExchange.Kind.STR);
            assertThat(str.sessionId()).isEqualTo(aar.sessionId());
            assertThat(str.generation()).as("the instance that answered the STR").isEqualTo(2);
            assertThat(str.cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
            assertThat(str.code()).as("a release of a session the restarted Arbiter knows").isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(activeHolds(arbiter, aar.sessionId())).isEmpty();
            assertNothingHeld(arbiter);
        }
    }
}
