package org.arbiter.e2e;

import static org.arbiter.e2e.CallAssertions.activeHolds;
import static org.arbiter.e2e.CallAssertions.assertCompleted;
import static org.arbiter.e2e.CallAssertions.assertNothingHeld;
import static org.arbiter.e2e.CallAssertions.assertPoolUse;
import static org.arbiter.e2e.CallAssertions.of;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Game calls placed by SIPp through a real P-CSCF (Kamailio 5.6, ims_qos over cdp) that asks
 * Arbiter for QoS over Diameter Rx: AAR when the callee answers, STR on BYE, 488 when Arbiter
 * refuses, BYE to both parties when Arbiter aborts the session.
 *
 * <p>Every call offers audio ({@code b=AS:64}) and a game flow ({@code b=AS:2000},
 * {@code a=qos-class:fps-game}, {@code a=qos-latency:40}) from 127.0.0.1 to 127.0.0.2, and the
 * callee answers both unchanged. The policy grants exactly that, so a call holds 64 kbit/s +
 * 2 Mbit/s each way on every pool of both parties' paths ({@link AccessNetworks}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class KamailioRxCallsIT {

    private static final Logger LOG = LoggerFactory.getLogger(KamailioRxCallsIT.class);

    /** What one call holds per pool and direction: audio 64 kbit/s plus the game's 2 Mbit/s. */
    private static final long CALL_BPS = 64_000 + 2_000_000;
    /** Holds of one call: 2 flows x 2 directions x 2 parties x 3 pools per party's path. */
    private static final int HOLDS_PER_CALL = 2 * 2 * 2 * AccessNetworks.PATH_LENGTH;
    /** Of those, on the DSLAM (the lines and its uplink: 4 per flow and direction) and on the BRAS (2). */
    private static final int DSLAM_ROWS_PER_CALL = 2 * 2 * 4;
    private static final int BRAS_ROWS_PER_CALL = 2 * 2 * 2;

    /** Kept when the test fails: the peers' logs, configurations and SIPp traces are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void tenCallsHoldTheirReservationsWhileUpAndReleaseThemOnBye() {
        int calls = 10;
        Set<Long> kamailio;
        try (CallLab lab = CallLab.start(dir, ArbiterUnderTest.start(dir.resolve("arbiter"), AccessNetworks.roomy()))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-answer.xml", calls, 2000, 40, Duration.ofSeconds(60));
            // 5 calls per second, each held 10 s: all ten are up together from about 2 s to 10 s
            // (less when the AARs queue on the shared pools; on a loaded machine they took up to 1.5 s)
            SippProcess caller = lab.caller("uac-call.xml", calls, 5, Duration.ofSeconds(10), Duration.ofSeconds(15),
                    Duration.ofSeconds(60));

            arbiter.awaitExchanges(Duration.ofSeconds(30), calls + " answered AARs",
                    ex -> of(ex, RxExchange.Kind.AAR).size() >= calls);

            List<RxExchange> during = arbiter.exchanges();
            assertThat(of(during, RxExchange.Kind.STR)).as("STRs before the first call ended").isEmpty();
            List<RxExchange> aars = of(during, RxExchange.Kind.AAR);
            assertThat(aars).as("one AAR per call").hasSize(calls);
            assertThat(aars).extracting(RxExchange::code).containsOnly(ResultCode.DIAMETER_SUCCESS);
            assertThat(aars).extracting(RxExchange::originHost).containsOnly(KamailioProcess.ORIGIN_HOST);
            List<String> sessions = aars.stream().map(RxExchange::sessionId).toList();
            assertThat(sessions).doesNotHaveDuplicates();
            for (String s : sessions) {
                assertThat(activeHolds(arbiter, s)).as("active holds of %s", s).hasSize(HOLDS_PER_CALL);
            }
            assertPoolUse(arbiter, Map.of(
                    AccessNetworks.CALLER_LINE, calls * CALL_BPS,
                    AccessNetworks.CALLEE_LINE, calls * CALL_BPS,
                    AccessNetworks.DSLAM_UPLINK, 2 * calls * CALL_BPS,
                    AccessNetworks.BRAS_POOL, 2 * calls * CALL_BPS));
            assertThat(arbiter.deviceReservations()).containsOnly(
                    Map.entry(AccessNetworks.DSLAM, calls * DSLAM_ROWS_PER_CALL),
                    Map.entry(AccessNetworks.BRAS, calls * BRAS_ROWS_PER_CALL));

            SippProcess.Result placed = assertCompleted(caller, Duration.ofSeconds(60), calls, "the caller");
            assertCompleted(callee, Duration.ofSeconds(30), calls, "the callee");

            arbiter.awaitExchanges(Duration.ofSeconds(15), calls + " answered STRs",
                    ex -> of(ex, RxExchange.Kind.STR).size() == calls);
            List<RxExchange> after = arbiter.exchanges();
            assertThat(of(after, RxExchange.Kind.AAR)).as("AARs in all").hasSize(calls);
            List<RxExchange> strs = of(after, RxExchange.Kind.STR);
            assertThat(strs).extracting(RxExchange::sessionId).containsExactlyInAnyOrderElementsOf(sessions);
            assertThat(strs).extracting(RxExchange::code).containsOnly(ResultCode.DIAMETER_SUCCESS);
            assertThat(strs).extracting(RxExchange::cause).containsOnly(TerminationCause.DIAMETER_LOGOUT);
            for (String s : sessions) {
                assertThat(activeHolds(arbiter, s)).as("active holds of %s after its BYE", s).isEmpty();
            }
            assertNothingHeld(arbiter);
            kamailio = lab.kamailio().pids();
            assertThat(KamailioProcess.cdpPipes(KamailioProcess.CDP_PIPE_DIR, kamailio))
                    .as("cdp's sender pipes while Kamailio runs").isNotEmpty();
            LOG.info("{} calls: INVITE to 200 OK {} ms on average (AAR/AAA included), call length {} ms; "
                            + "AAR handled in {} ms on average, STR in {} ms",
                    calls, placed.meanResponseTime().toMillis(), placed.meanCallLength().toMillis(),
                    meanMillis(aars), meanMillis(strs));
        }
        assertThat(KamailioProcess.cdpPipes(KamailioProcess.CDP_PIPE_DIR, kamailio))
                .as("cdp's sender pipes once Kamailio is stopped").isEmpty();
    }

    @Test
    void answerThatLowersTheGameFlowIsReservedAsAnswered() {
        try (CallLab lab = CallLab.start(dir, ArbiterUnderTest.start(dir.resolve("arbiter"), AccessNetworks.roomy()))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            // the callee answers the game flow with b=AS:1500 and a=qos-latency:30 (offered: 2000, 40)
            SippProcess callee = lab.callee("uas-answer.xml", 1, 1500, 30, Duration.ofSeconds(30));
            SippProcess caller = lab.caller("uac-call.xml", 1, 1, Duration.ofSeconds(3), Duration.ofSeconds(15),
                    Duration.ofSeconds(30));
            arbiter.awaitExchanges(Duration.ofSeconds(15), "the AAR", ex -> !ex.isEmpty());
            RxExchange aar = arbiter.exchanges().getFirst();
            assertThat(aar.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(activeHolds(arbiter, aar.sessionId())).hasSize(HOLDS_PER_CALL);

            // the answerer's requirement is the one authorized (ARCHITECTURE.md section 5): 1.5 Mbit/s each way
            long callBps = 64_000 + 1_500_000;
            assertPoolUse(arbiter, Map.of(
                    AccessNetworks.CALLER_LINE, callBps,
                    AccessNetworks.CALLEE_LINE, callBps,
                    AccessNetworks.DSLAM_UPLINK, 2 * callBps,
                    AccessNetworks.BRAS_POOL, 2 * callBps));

            assertCompleted(caller, Duration.ofSeconds(30), 1, "the caller");
            assertCompleted(callee, Duration.ofSeconds(20), 1, "the callee");
            arbiter.awaitExchanges(Duration.ofSeconds(10), "the STR", ex -> ex.size() == 2);
            assertThat(arbiter.exchanges().get(1).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertNothingHeld(arbiter);
        }
    }

    @Test
    void earlyAnswerIsAuthorizedOnThe183AndAgainOnThe200InOneSession() {
        try (CallLab lab = CallLab.start(dir, ArbiterUnderTest.start(dir.resolve("arbiter"), AccessNetworks.roomy()))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-early-answer.xml", 1, 2000, 40, Duration.ofSeconds(30));
            SippProcess caller = lab.caller("uac-call.xml", 1, 1, Duration.ofSeconds(2), Duration.ofSeconds(15),
                    Duration.ofSeconds(30));
            arbiter.awaitExchanges(Duration.ofSeconds(15), "the AARs of the 183 and the 200", ex -> ex.size() == 2);
            List<RxExchange> aars = arbiter.exchanges();
            assertThat(aars).extracting(RxExchange::kind).containsOnly(RxExchange.Kind.AAR);
            assertThat(aars).extracting(RxExchange::code).containsOnly(ResultCode.DIAMETER_SUCCESS);
            String session = aars.getFirst().sessionId();
            assertThat(aars.get(1).sessionId()).as("the 200's AAR updates the 183's session").isEqualTo(session);
            assertThat(activeHolds(arbiter, session)).hasSize(HOLDS_PER_CALL);
            assertPoolUse(arbiter, Map.of(
                    AccessNetworks.CALLER_LINE, CALL_BPS,
                    AccessNetworks.CALLEE_LINE, CALL_BPS,
                    AccessNetworks.DSLAM_UPLINK, 2 * CALL_BPS,
                    AccessNetworks.BRAS_POOL, 2 * CALL_BPS));

            assertCompleted(caller, Duration.ofSeconds(30), 1, "the caller");
            assertCompleted(callee, Duration.ofSeconds(20), 1, "the callee");
            arbiter.awaitExchanges(Duration.ofSeconds(10), "the STR", ex -> ex.size() == 3);
            RxExchange str = arbiter.exchanges().get(2);
            assertThat(str.kind()).isEqualTo(RxExchange.Kind.STR);
            assertThat(str.sessionId()).isEqualTo(session);
            assertThat(str.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertNothingHeld(arbiter);
        }
    }

    @Test
    void callBeyondTheCalleeLineIsRefusedWith488AndHoldsNothing() {
        try (CallLab lab = CallLab.start(dir, ArbiterUnderTest.start(dir.resolve("arbiter"), AccessNetworks.narrowCalleeLine()))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-early.xml", 1, 2000, 40, Duration.ofSeconds(20));
            SippProcess caller = lab.caller("uac-refused.xml", 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(15),
                    Duration.ofSeconds(20));

            assertCompleted(caller, Duration.ofSeconds(30), 1, "the caller, refused with 488");
            assertThat(caller.messages()).contains("SIP/2.0 488 Sorry no QoS available").doesNotContain("SIP/2.0 200 OK");
            assertCompleted(callee, Duration.ofSeconds(30), 1, "the callee, cancelled after its 183");

            assertThat(lab.kamailio().awaitNoTransactions(Duration.ofSeconds(10)))
                    .as("Kamailio finished the refused call").isTrue();
            List<RxExchange> exchanges = arbiter.exchanges();
            assertThat(exchanges).hasSize(1);
            RxExchange aar = exchanges.getFirst();
            assertThat(aar.kind()).isEqualTo(RxExchange.Kind.AAR);
            assertThat(aar.code()).isEqualTo(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED);
            assertThat(activeHolds(arbiter, aar.sessionId())).isEmpty();
            assertNothingHeld(arbiter);
        }
    }

    @Test
    void sessionAbortedByArbiterEndsTheCallForBothPartiesAndIsReleased() {
        try (CallLab lab = CallLab.start(dir, ArbiterUnderTest.start(dir.resolve("arbiter"), AccessNetworks.roomy()))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-answer.xml", 1, 2000, 40, Duration.ofSeconds(30));
            SippProcess caller = lab.caller("uac-aborted.xml", 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(20),
                    Duration.ofSeconds(30));
            arbiter.awaitExchanges(Duration.ofSeconds(15), "the AAR", ex -> !ex.isEmpty());
            RxExchange aar = arbiter.exchanges().getFirst();
            assertThat(aar.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(activeHolds(arbiter, aar.sessionId())).hasSize(HOLDS_PER_CALL);
            // Kamailio tears down both sides only of a confirmed dialog: wait until the ACK got through
            callee.awaitMessage("ACK sip:", Duration.ofSeconds(10));

            arbiter.abort(aar.sessionId(), aar.originHost(), "the operator ends the session");

            assertCompleted(caller, Duration.ofSeconds(30), 1, "the caller, which must get a BYE");
            assertCompleted(callee, Duration.ofSeconds(30), 1, "the callee, which must get a BYE");
            arbiter.awaitExchanges(Duration.ofSeconds(10), "the STR after the ASR", ex -> ex.size() == 2);
            RxExchange str = arbiter.exchanges().get(1);
            assertThat(str.kind()).isEqualTo(RxExchange.Kind.STR);
            assertThat(str.sessionId()).isEqualTo(aar.sessionId());
            assertThat(str.cause()).isEqualTo(TerminationCause.DIAMETER_ADMINISTRATIVE);
            assertThat(str.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(activeHolds(arbiter, aar.sessionId())).isEmpty();
            assertNothingHeld(arbiter);
        }
    }

    private static long meanMillis(List<RxExchange> exchanges) {
        return (long) exchanges.stream().mapToLong(e -> e.handling().toMillis()).average().orElse(0);
    }
}
