package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/**
 * The journal ledger's rows as blocks on disk: read back across many blocks and pages, the
 * session index, and the size a row may have.
 */
class JournalBlocksIT extends OpenJournalLedger {

    /** A mark after every group: on an H2 file, each group's block goes into the table as it is (not joined). */
    @Override
    protected java.time.Duration markEvery() {
        return java.time.Duration.ZERO;
    }

    private Admission admit(String sid, Instant now) {
        AccessPath p = path(ledger, "10.0.0.7");
        return ledger.admit(request(sid, now, List.of(hold(p, 1, UPLINK, 1_000), hold(p, 1, DOWNLINK, 1_000))));
    }

    /** A decision whose reason is {@code chars} long: an admission row of about that size. */
    private AdmissionRequest withReason(String sid, int chars) {
        AccessPath p = path(ledger, "10.0.0.7");
        Decision d = LedgerFixtures.accept("r-voice");
        Decision big = new Decision(d.verdict(), d.grants(), d.rejectCode(), "x".repeat(chars), d.policyVersion(),
                d.ruleId(), List.of(), d.enforce());
        AdmissionRequest r = request(sid, List.of(hold(p, 1, UPLINK, 1_000)));
        return new AdmissionRequest(r.sessionId(), r.originHost(), r.subscriber(), r.chargingId(), big, r.holds(),
                r.now(), r.reservedUntil(), r.authorizedUntil());
    }

    @Test
    void decisionsAndBillingRecordsAreReadAcrossManyBlocksInOrder() {
        List<ChargingRecord> stops = new ArrayList<>();
        ledger.awaitMarked();
        for (int i = 0; i < 60; i++) {
            String sid = String.format("s%02d", i);
            admit(sid, T0.plusSeconds(i));
            ledger.awaitMarked();
            ledger.commit(sid, T0.plusSeconds(i).plusMillis(1));
            ledger.awaitMarked();
            stops.add(ledger.release(sid, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(100 + i)).orElseThrow().record());
            ledger.awaitMarked();
            if (i == 30) {
                ledger.recordRejection("r1", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(i));
                ledger.awaitMarked();
            }
        }

        // one call at a time, each group moved by a mark of its own: a block per row, many more than a page of blocks
        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_block")).isEqualTo(181);
        assertReadsAcrossBlocks(stops);

        // the index is written with the mark: all of it once closed; the same reads from it alone
        ledger.close();
        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_session")).isEqualTo(61);
        assertThat(JournalFixtures.number(config, "SELECT indexed_to FROM journal_mark")).isEqualTo(181);
        ledger = JournalLedger.open(config);
        assertReadsAcrossBlocks(stops);
    }

    private void assertReadsAcrossBlocks(List<ChargingRecord> stops) {
        assertThat(ledger.decisions("s07")).singleElement().satisfies(d -> {
            assertThat(d.sessionId()).isEqualTo("s07");
            assertThat(d.outcome()).isEqualTo("ADMITTED");
            assertThat(d.decidedAt()).isEqualTo(T0.plusSeconds(7));
        });
        assertThat(ledger.decisions("r1")).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo("REFUSED"));
        assertThat(ledger.decisions("nobody")).isEmpty();
        assertThat(ledger.recentDecisions(4)).extracting(AuditedDecision::sessionId)
                .containsExactly("s59", "s58", "s57", "s56");
        assertThat(ledger.recentDecisions(30).getLast().sessionId()).isEqualTo("r1");

        assertThat(ledger.chargingRecords(T0.plusSeconds(110), T0.plusSeconds(115), 10)).isEqualTo(stops.subList(10, 15));
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(1000), 3)).isEqualTo(stops.subList(0, 3));
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(1000), 1000)).isEqualTo(stops);
    }

    @Test
    void theDecisionsOfASessionFollowEachOfItsRunsToItsEnd() {
        admit("x", T0);
        admit("other", T0.plusSeconds(1));
        admit("x", T0.plusSeconds(2));
        ledger.release("x", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(3));
        admit("other-2", T0.plusSeconds(4));
        ledger.recordRejection("x", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(5));
        admit("x", T0.plusSeconds(6));
        admit("other-3", T0.plusSeconds(7));

        assertThat(ledger.decisions("x")).extracting(d -> d.outcome() + "@" + d.decidedAt().getEpochSecond() % 10)
                .containsExactly("ADMITTED@0", "UNCHANGED@2", "REFUSED@5", "ADMITTED@6");
        // the first run, its update, the rejection and the second run: one index entry each but the update
        ledger.close();
        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_session WHERE session_id = 'x'")).isEqualTo(3);
    }

    @Test
    void opensIndexTheRowsTheLastWriterLeftWithoutAMark() {
        admit("x", T0);
        admit("y", T0.plusSeconds(1));
        ledger.release("x", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));
        admit("x", T0.plusSeconds(3));
        ledger.recordRejection("z", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(4));
        ledger.close();
        // as a writer that stopped before its next mark leaves it: the rows after row 1 not indexed
        JournalFixtures.execute(config, "DELETE FROM journal_session WHERE seq > 1");
        JournalFixtures.execute(config, "UPDATE journal_mark SET indexed_to = 1");

        try (JournalLedger reader = JournalLedger.openReadOnly(config)) {
            assertThat(reader.decisions("x")).extracting(d -> d.outcome() + "@" + d.decidedAt().getEpochSecond() % 10)
                    .as("the first run from the index, the second from the rows after indexed_to")
                    .containsExactly("ADMITTED@0", "ADMITTED@3");
            assertThat(reader.decisions("z")).hasSize(1);
        }
        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_session")).isEqualTo(1);

        ledger = JournalLedger.open(config);
        assertThat(ledger.decisions("x")).extracting(d -> d.outcome() + "@" + d.decidedAt().getEpochSecond() % 10)
                .containsExactly("ADMITTED@0", "ADMITTED@3");
        assertThat(JournalFixtures.number(config, "SELECT indexed_to FROM journal_mark")).isEqualTo(5);
        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_session")).as("x twice, y, z").isEqualTo(4);
        assertThat(JournalFixtures.number(config, "SELECT seq FROM journal_session WHERE session_id = 'z'")).isEqualTo(5);
        assertThat(ledger.decisions("z")).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo("REFUSED"));
    }

    @Test
    void aRowLargerThanABlockIsABlockOfItsOwnAndComesBackAfterAReopen() {
        Admission a = ledger.admit(withReason("big", 300_000));
        assertThat(a.admitted()).isTrue();
        admit("small", T0);
        ledger.close();

        ledger = JournalLedger.open(config);
        assertThat(ledger.session("big")).isPresent();
        assertThat(ledger.session("small")).isPresent();
        assertThat(ledger.decisions("big")).singleElement().satisfies(d -> assertThat(d.reason()).hasSize(300_000));
    }

    @Test
    void anAdmissionTooLargeForTheJournalIsRefusedBeforeAnythingChanges() {
        assertThatThrownBy(() -> ledger.admit(withReason("huge", JournalLedger.MAX_ROW_CHARS + 1)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("admission of session huge")
                .hasMessageContaining("more than the journal takes");

        assertThat(JournalFixtures.count(config, null)).isZero();
        assertThat(ledger.session("huge")).isEmpty();
        assertThat(ledger.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
        assertThat(admit("next", T0).admitted()).isTrue();
    }
}
