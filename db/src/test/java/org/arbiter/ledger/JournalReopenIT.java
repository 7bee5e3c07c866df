package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.AUTHORIZE;
import static org.arbiter.ledger.LedgerFixtures.RESERVE;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/**
 * Closing and opening the journal ledger again: the state rebuilt from the journal is the state
 * it had, from the start of the journal and from a replay mark past it.
 */
class JournalReopenIT extends OpenJournalLedger {

    private static final Duration INTERVAL = Duration.ofSeconds(120);

    private void reopen() {
        ledger.close();
        ledger = JournalLedger.open(config);
    }

    /** The highest hold id any admission of this test returned. */
    private long maxHoldSeen;

    private Admission admit(AdmissionRequest r) {
        Admission a = ledger.admit(r);
        a.holds().forEach(h -> maxHoldSeen = Math.max(maxHoldSeen, h.holdId()));
        return a;
    }

    private Admission admit(String sid, String address, Instant at, long ul, long dl) {
        AccessPath p = path(ledger, address);
        Admission a = admit(request(sid, at, List.of(hold(p, 1, UPLINK, ul), hold(p, 1, DOWNLINK, dl))));
        assertThat(a.status()).as(sid).isEqualTo(Admission.Status.ADMITTED);
        return a;
    }

    private static long maxHoldId(Map<String, SessionView> sessions) {
        return sessions.values().stream().flatMap(v -> v.holds().stream()).mapToLong(Hold::holdId).max().orElse(0);
    }

    @Test
    void aMixedStateIsTheSameAfterReopening() {
        // reserved, never committed
        admit("reserved", "10.0.0.7", T0, 100_000, 200_000);
        // committed
        admit("committed", "10.0.1.7", T0, 50_000, 400_000);
        ledger.commit("committed", T0.plusSeconds(1));
        // committed, then updated: one flow grows (replaced, RESERVED), a second flow is added
        admit("updated", "10.2.7.7", T0, 100_000, 100_000);
        ledger.commit("updated", T0.plusSeconds(1));
        AccessPath p = path(ledger, "10.2.7.7");
        Admission update = admit(request("updated", T0.plusSeconds(5), List.of(hold(p, 1, UPLINK, 100_000),
                hold(p, 1, DOWNLINK, 300_000), hold(p, 2, DOWNLINK, 64_000))));
        assertThat(update.holds()).extracting(Hold::state).contains(HoldState.COMMITTED, HoldState.RESERVED);
        assertThat(update.released()).as("replaced, not released").isEmpty();
        ledger.commit("updated", T0.plusSeconds(6));
        // refreshed: the authorization moves later
        admit("refreshed", "10.2.1.7", T0, 10_000, 10_000);
        ledger.commit("refreshed", T0.plusSeconds(1));
        AccessPath r = path(ledger, "10.2.1.7");
        assertThat(ledger.admit(request("refreshed", T0.plusSeconds(60), List.of(hold(r, 1, UPLINK, 10_000),
                hold(r, 1, DOWNLINK, 10_000)))).status()).isEqualTo(Admission.Status.UNCHANGED);
        // committed with two interim records
        admit("billed", "10.2.1.8", T0, 20_000, 20_000);
        ledger.commit("billed", T0.plusSeconds(1));
        assertThat(ledger.writeInterim(T0.plusSeconds(1).plus(INTERVAL), INTERVAL, 100))
                .extracting(ChargingRecord::sessionId).containsExactlyInAnyOrder("committed", "updated", "refreshed",
                        "billed");
        assertThat(ledger.writeInterim(T0.plusSeconds(1).plus(INTERVAL.multipliedBy(2)), INTERVAL, 100)).hasSize(4);
        // released
        admit("ended", "10.2.1.9", T0, 30_000, 30_000);
        ledger.release("ended", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));
        // expired: admitted earlier, its reservation ran out
        admit("expired", "10.2.1.10", T0.minusSeconds(60), 30_000, 30_000);
        assertThat(ledger.expire(T0, 10)).extracting(SessionRelease::sessionId).containsExactly("expired");

        Map<String, SessionView> before = JournalFixtures.running(ledger);
        List<PoolUsage> poolsBefore = ledger.pools();
        assertThat(before).containsOnlyKeys("reserved", "committed", "updated", "refreshed", "billed");
        assertThat(maxHoldId(before)).isLessThan(maxHoldSeen);
        long maxHold = maxHoldSeen;

        reopen();

        Map<String, SessionView> after = JournalFixtures.running(ledger);
        assertThat(after).isEqualTo(before);
        for (String sid : before.keySet()) {
            assertThat(ledger.session(sid)).as(sid).contains(before.get(sid));
        }
        assertThat(ledger.pools()).isEqualTo(poolsBefore);
        assertThat(ledger.activeSessions()).isEqualTo(5);
        assertThat(ledger.session("ended")).isEmpty();
        assertThat(ledger.session("expired")).isEmpty();
        assertThat(ledger.release("ended", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(400))).isEmpty();
        assertThat(ledger.release("expired", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(400))).isEmpty();

        // the billing sequence goes on: a third interim record, then the final one
        List<ChargingRecord> third = ledger.writeInterim(T0.plusSeconds(1).plus(INTERVAL.multipliedBy(3)), INTERVAL, 100);
        assertThat(third).filteredOn(c -> c.sessionId().equals("billed")).singleElement()
                .extracting(ChargingRecord::sequence).isEqualTo(3);
        SessionRelease billed = ledger.release("billed", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(400))
                .orElseThrow();
        assertThat(billed.record().sequence()).isEqualTo(4);
        assertThat(billed.record().committedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(billed.record().startedAt()).isEqualTo(T0);

        // new holds are numbered above every earlier one
        Admission fresh = admit("fresh", "10.0.0.8", T0.plusSeconds(400), 1_000, 1_000);
        assertThat(fresh.holds()).allMatch(h -> h.holdId() > maxHold);

        // the reserved session still expires when its timer runs out, the refreshed one later
        assertThat(ledger.expire(T0.plus(RESERVE), 100)).extracting(SessionRelease::sessionId)
                .containsExactly("reserved");
        assertThat(ledger.expire(T0.plusSeconds(5).plus(AUTHORIZE), 100)).extracting(SessionRelease::sessionId)
                .containsExactlyInAnyOrder("committed", "updated", "fresh");
        assertThat(ledger.session("refreshed").orElseThrow().holds())
                .allMatch(h -> h.expiresAt().equals(T0.plusSeconds(60).plus(AUTHORIZE)));
    }

    @Test
    void aReplayFromAMarkPastTheStartRebuildsTheSameState() {
        for (int i = 0; i < 40; i++) {
            admit("old-" + i, "10.2.1." + (i + 1), T0.plusSeconds(i), 10_000, 10_000);
            ledger.commit("old-" + i, T0.plusSeconds(i));
            ledger.release("old-" + i, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(i + 1));
        }
        admit("kept", "10.0.0.7", T0.plusSeconds(50), 100_000, 100_000);
        ledger.commit("kept", T0.plusSeconds(51));
        long keptStart = JournalFixtures.lastSeq(config, "ADMIT", "kept");
        for (int i = 0; i < 10; i++) {
            admit("late-" + i, "10.2.2." + (i + 1), T0.plusSeconds(60 + i), 10_000, 10_000);
            ledger.release("late-" + i, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(61 + i));
        }
        Map<String, SessionView> before = JournalFixtures.running(ledger);
        List<PoolUsage> poolsBefore = ledger.pools();
        long maxHold = maxHoldId(before);
        long lastHoldHandedOut = ledger.admit(request("probe", T0.plusSeconds(80),
                List.of(hold(path(ledger, "10.2.3.1"), 1, UPLINK, 1)))).holds().getFirst().holdId();
        ledger.release("probe", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(81));

        ledger.close();
        assertThat(JournalFixtures.replayFrom(config)).as("replay_from").isEqualTo(keptStart).isGreaterThan(100);
        ledger = JournalLedger.open(config);

        assertThat(JournalFixtures.running(ledger)).isEqualTo(before).containsOnlyKeys("kept");
        assertThat(ledger.pools()).isEqualTo(poolsBefore);
        assertThat(maxHold).isLessThan(lastHoldHandedOut);
        Admission next = admit("next", "10.2.3.2", T0.plusSeconds(90), 1, 1);
        assertThat(next.holds()).allMatch(h -> h.holdId() > lastHoldHandedOut);
        assertThat(ledger.release("old-3", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(100))).isEmpty();
        SessionRelease kept = ledger.release("kept", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(100))
                .orElseThrow();
        assertThat(kept.record().committedAt()).isEqualTo(T0.plusSeconds(51));
        assertThat(kept.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED);
    }

    @Test
    void aSessionThatStartedBeforeTheMarkAndEndedAfterItDoesNotStopTheReplay() {
        // "early" starts first and keeps changing after "pinned" started, then ends: the mark
        // moves past its start to the start of "pinned", while its refresh, its update and its
        // interim record lie after the mark
        admit("early", "10.2.1.1", T0, 10_000, 10_000);
        ledger.commit("early", T0.plusSeconds(1));
        admit("pinned", "10.0.0.7", T0.plusSeconds(2), 100_000, 100_000);
        long pinnedStart = JournalFixtures.lastSeq(config, "ADMIT", "pinned");
        AccessPath p = path(ledger, "10.2.1.1");
        assertThat(ledger.admit(request("early", T0.plusSeconds(3), List.of(hold(p, 1, UPLINK, 10_000),
                hold(p, 1, DOWNLINK, 10_000)))).status()).isEqualTo(Admission.Status.UNCHANGED);
        assertThat(ledger.writeInterim(T0.plusSeconds(200), INTERVAL, 10)).extracting(ChargingRecord::sessionId)
                .containsExactly("early");
        assertThat(ledger.admit(request("early", T0.plusSeconds(201), List.of(hold(p, 1, DOWNLINK, 20_000))))
                .status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(ledger.writeInterim(T0.plusSeconds(400), INTERVAL, 10)).isEmpty();
        ledger.commit("early", T0.plusSeconds(202));
        assertThat(ledger.writeInterim(T0.plusSeconds(400), INTERVAL, 10)).extracting(ChargingRecord::sessionId)
                .containsExactly("early");
        SessionRelease early = ledger.release("early", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(401))
                .orElseThrow();
        assertThat(early.record().sequence()).isEqualTo(3);
        // "again" reuses a Session-Id whose earlier run began before the mark
        admit("early2", "10.2.1.2", T0.plusSeconds(402), 1_000, 1_000);
        ledger.release("early2", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(403));
        Map<String, SessionView> before = JournalFixtures.running(ledger);
        List<PoolUsage> poolsBefore = ledger.pools();

        ledger.close();
        assertThat(JournalFixtures.replayFrom(config)).isEqualTo(pinnedStart).isGreaterThan(1);
        ledger = JournalLedger.open(config);

        assertThat(JournalFixtures.running(ledger)).isEqualTo(before).containsOnlyKeys("pinned");
        assertThat(ledger.pools()).isEqualTo(poolsBefore);
        assertThat(ledger.session("early")).isEmpty();
        assertThat(ledger.pool("us-1").orElseThrow().usedDownlinkBps()).isZero();

        // the Session-Id starts a new run, numbered from one
        admit("early", "10.2.1.1", T0.plusSeconds(500), 10_000, 10_000);
        ledger.commit("early", T0.plusSeconds(501));
        assertThat(ledger.release("early", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(502)).orElseThrow()
                .record().sequence()).isEqualTo(1);
        ledger.close();
        ledger = JournalLedger.open(config);
        assertThat(JournalFixtures.running(ledger)).containsOnlyKeys("pinned");
    }

    @Test
    void anUpdateThatDropsEveryHoldEndsTheRunSoTheMarkMovesOn() {
        admit("emptied", "10.2.1.1", T0, 10_000, 10_000);
        Admission emptied = ledger.admit(request("emptied", T0.plusSeconds(1), List.of()));
        assertThat(emptied.holds()).isEmpty();
        assertThat(emptied.released()).hasSize(4);
        admit("later", "10.0.0.7", T0.plusSeconds(2), 1_000, 1_000);
        long laterStart = JournalFixtures.lastSeq(config, "ADMIT", "later");
        List<PoolUsage> poolsBefore = ledger.pools();

        ledger.close();
        assertThat(JournalFixtures.replayFrom(config)).isEqualTo(laterStart);
        ledger = JournalLedger.open(config);

        assertThat(ledger.pools()).isEqualTo(poolsBefore);
        assertThat(ledger.pool("us-1").orElseThrow().usedUplinkBps()).isZero();
        assertThat(JournalFixtures.running(ledger)).containsOnlyKeys("later");
        admit("emptied", "10.2.1.1", T0.plusSeconds(3), 10_000, 10_000);
        assertThat(ledger.session("emptied").orElseThrow().createdAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void reopeningManyTimesKeepsTheStateAndTheHoldIds() {
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            Admission a = admit("s" + round, "10.2.1." + (round + 1), T0.plusSeconds(round), 1_000, 1_000);
            ids.addAll(a.holds().stream().map(Hold::holdId).toList());
            if (round % 2 == 0) {
                ledger.commit("s" + round, T0.plusSeconds(round));
            }
            reopen();
        }

        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat(JournalFixtures.running(ledger)).containsOnlyKeys("s0", "s1", "s2", "s3");
        assertThat(ledger.session("s2").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(ledger.session("s3").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.RESERVED);
        assertThat(ledger.pool("us-1").orElseThrow().usedUplinkBps()).isEqualTo(4_000);
        assertThat(ledger.pool("cmts-1").orElseThrow().usedDownlinkBps()).isEqualTo(4_000);
    }
}
