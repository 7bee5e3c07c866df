package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.AUTHORIZE;
import static org.arbiter.ledger.LedgerFixtures.M;
import static org.arbiter.ledger.LedgerFixtures.RESERVE;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/**
 * The journal ledger's behaviour through the ledger port, on an H2 file: what {@link
 * LedgerContract} and {@link InterimContract} assert of the relational ledger, checked against
 * the state in memory and the journal rows on disk.
 */
class JournalLedgerIT extends OpenJournalLedger {

    static final Duration INTERVAL = Duration.ofSeconds(120);
    static final Instant COMMITTED = T0.plusSeconds(1);

    private PoolUsage usage(String pool) {
        return ledger.pool(pool).orElseThrow();
    }

    private Admission admitOnLineA(String session, long ulBps, long dlBps) {
        return LedgerFixtures.admitOnLineA(ledger, session, ulBps, dlBps);
    }

    private long rows() {
        return JournalFixtures.count(config, null);
    }

    private long rows(String kind) {
        return JournalFixtures.count(config, kind);
    }

    private void committedSession(String id) {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request(id, List.of(hold(p, 1, UPLINK, 1_000), hold(p, 1, DOWNLINK, 1_000))));
        assertThat(ledger.commit(id, COMMITTED)).isTrue();
    }

    // ---- lifecycle

    @Test
    void admitCommitReleaseRaisesThePoolsOfThePathAndBringsThemBackToZero() {
        Admission a = admitOnLineA("s1", 100_000, 300_000);

        assertThat(a.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(a.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.RESERVED)
                .allMatch(h -> h.expiresAt().equals(T0.plus(RESERVE)));
        assertThat(a.holds()).extracting(Hold::poolId)
                .containsExactly("line-a", "dslam-1-up", "bras-1", "line-a", "dslam-1-up", "bras-1");
        for (String pool : List.of("line-a", "dslam-1-up", "bras-1")) {
            assertThat(usage(pool).usedUplinkBps()).as(pool).isEqualTo(100_000);
            assertThat(usage(pool).usedDownlinkBps()).as(pool).isEqualTo(300_000);
        }
        for (String pool : List.of("line-b", "cmts-1", "us-1", "us-2")) {
            assertThat(usage(pool).usedUplinkBps() + usage(pool).usedDownlinkBps()).as(pool).isZero();
        }
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT");

        assertThat(ledger.commit("s1", T0.plusSeconds(2))).isTrue();
        SessionView committed = ledger.session("s1").orElseThrow();
        assertThat(committed.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED)
                .allMatch(h -> h.expiresAt().equals(T0.plus(AUTHORIZE)));
        assertThat(committed.holds()).extracting(Hold::holdId)
                .containsExactlyElementsOf(a.holds().stream().map(Hold::holdId).toList());
        assertThat(ledger.commit("s1", T0.plusSeconds(3))).isFalse();
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "COMMIT");

        SessionRelease r = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(60)).orElseThrow();
        assertThat(r.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(r.record().cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
        assertThat(r.record().kind()).isEqualTo(ChargingRecord.Kind.STOP);
        assertThat(r.record().sequence()).isEqualTo(1);
        assertThat(r.record().startedAt()).isEqualTo(T0);
        assertThat(r.record().committedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(r.record().duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.record().chargingId()).isEqualTo("icid-s1");
        assertThat(r.record().flows()).hasSize(6);
        assertThat(ledger.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
        assertThat(ledger.session("s1")).isEmpty();
        assertThat(ledger.activeSessions()).isZero();
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "COMMIT", "RELEASE");
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(61), 10)).containsExactly(r.record());
    }

    @Test
    void aRefusalNamesTheTightestPoolAndWritesNoJournalRow() {
        admitOnLineA("s1", 100_000, 1_500_000);
        long before = rows();
        Admission refused = admitOnLineA("s2", 100_000, 1_000_000);

        assertThat(refused.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(refused.holds()).isEmpty();
        assertThat(refused.released()).isEmpty();
        assertThat(refused.shortfalls()).singleElement().satisfies(s -> {
            assertThat(s.poolId()).isEqualTo("line-a");
            assertThat(s.direction()).isEqualTo(DOWNLINK);
            assertThat(s.requestedBps()).isEqualTo(1_000_000);
            assertThat(s.availableBps()).isEqualTo(500_000);
            assertThat(s.partyAddress()).isEqualTo("10.0.0.7");
        });
        assertThat(rows()).isEqualTo(before);
        assertThat(ledger.session("s2")).isEmpty();
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(1_500_000);
    }

    @Test
    void aSharedParentPoolRefusesSessionsOnDifferentLinesAndNamesItself() {
        ledger.applyTopology(Topology.of(List.of(
                new PoolSpec("up", null, 3 * M, 3 * M, 1.0, "dslam-1"),
                new PoolSpec("l1", "up", 2 * M, 2 * M, 1.0, "dslam-1"),
                new PoolSpec("l2", "up", 2 * M, 2 * M, 1.0, "dslam-1")), List.of(
                new Attachment(IpPrefix.parse("10.9.1.0/24"), "l1"),
                new Attachment(IpPrefix.parse("10.9.2.0/24"), "l2"))), false);
        assertThat(ledger.admit(request("s1", List.of(hold(path(ledger, "10.9.1.1"), 1, DOWNLINK, 2 * M)))).status())
                .isEqualTo(Admission.Status.ADMITTED);
        long before = rows();

        Admission second = ledger.admit(request("s2", List.of(hold(path(ledger, "10.9.2.1"), 1, DOWNLINK, 2 * M))));

        assertThat(second.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(second.shortfalls()).singleElement().satisfies(s -> {
            assertThat(s.poolId()).isEqualTo("up");
            assertThat(s.availableBps()).isEqualTo(M);
        });
        assertThat(rows()).isEqualTo(before);
        assertThat(JournalFixtures.kinds(config, "s2")).isEmpty();
        assertThat(ledger.pool("l2").orElseThrow().usedDownlinkBps()).isZero();
        assertThat(ledger.pool("up").orElseThrow().usedDownlinkBps()).isEqualTo(2 * M);
    }

    @Test
    void aRepeatedAdmissionIsUnchangedKeepsItsHoldsAndMovesTheAuthorizationForward() {
        Admission first = admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        Instant later = T0.plusSeconds(300);
        AccessPath p = path(ledger, "10.0.0.7");
        Admission again = ledger.admit(request("s1", later, List.of(hold(p, 1, UPLINK, 100_000),
                hold(p, 1, DOWNLINK, 300_000))));

        assertThat(again.status()).isEqualTo(Admission.Status.UNCHANGED);
        assertThat(again.holds()).extracting(Hold::holdId)
                .containsExactlyElementsOf(first.holds().stream().map(Hold::holdId).toList());
        assertThat(again.holds()).allMatch(h -> h.expiresAt().equals(later.plus(AUTHORIZE)));
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(300_000);
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "COMMIT", "ADMIT");
        assertThat(ledger.decisions("s1")).extracting(AuditedDecision::outcome).containsExactly("ADMITTED", "UNCHANGED");
        assertThat(ledger.expire(T0.plus(AUTHORIZE), 10)).isEmpty();
    }

    @Test
    void anUpdateThatShrinksReleasesTheDroppedHoldsAndReportsThem() {
        Admission first = admitOnLineA("s1", 100_000, 1_500_000);
        Admission shrunk = ledger.admit(request("s1", List.of(hold(path(ledger, "10.0.0.7"), 1, DOWNLINK, 500_000))));

        assertThat(first.released()).isEmpty();
        assertThat(shrunk.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(shrunk.holds()).hasSize(3).allMatch(h -> h.bandwidthBps() == 500_000 && h.direction() == DOWNLINK);
        assertThat(shrunk.released()).hasSize(3).allMatch(h -> h.direction() == UPLINK)
                .extracting(Hold::holdId).isSubsetOf(first.holds().stream().map(Hold::holdId).toList());
        assertThat(usage("line-a").usedUplinkBps()).isZero();
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(500_000);
        assertThat(usage("bras-1").usedDownlinkBps()).isEqualTo(500_000);
        // the dropped holds stay in the session as RELEASED; the replaced ones are gone
        assertThat(ledger.session("s1").orElseThrow().holds())
                .filteredOn(h -> h.state() == HoldState.RELEASED).extracting(Hold::holdId)
                .containsExactlyElementsOf(shrunk.released().stream().map(Hold::holdId).toList());
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "ADMIT");
    }

    @Test
    void releasingTwiceIsEmptyTheSecondTimeAndWritesOneRecord() {
        admitOnLineA("s1", 100_000, 300_000);

        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1))).isPresent();
        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2))).isEmpty();
        assertThat(ledger.release("never-seen", TerminationCause.DIAMETER_LOGOUT, T0)).isEmpty();
        assertThat(rows("RELEASE")).isEqualTo(1);
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(10), 10)).hasSize(1);
    }

    @Test
    void aCommitAndAReleaseBeforeDurableAreForcedBeforeTheirStageCompletes() throws Exception {
        admitOnLineA("s1", 100_000, 300_000);
        long forcesBefore = ledger.writerCounts().forces();

        assertThat(ledger.commitBeforeDurable("s1", T0.plusSeconds(1))).isTrue();
        // the forces counted when the dependent runs: the commit's group was forced first
        long forcesThen = ledger.whenDurable().thenApply(v -> ledger.writerCounts().forces()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(forcesThen).isGreaterThan(forcesBefore);
        assertThat(ledger.session("s1").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.COMMITTED);

        Optional<SessionRelease> released = ledger.releaseBeforeDurable("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));
        assertThat(released).hasValueSatisfying(r -> assertThat(r.holds()).hasSize(6));
        ledger.whenDurable().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "COMMIT", "RELEASE");

        ledger.close();
        ledger = JournalLedger.open(config);
        assertThat(ledger.session("s1")).isEmpty();
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(10), 10)).singleElement()
                .satisfies(r -> assertThat(r.committedAt()).isEqualTo(T0.plusSeconds(1)));
    }

    // ---- expiry

    @Test
    void reservedHoldsExpireAfterTheReserveTimerAndCommittedOnesWhenTheAuthorizationEnds() {
        admitOnLineA("r1", 100_000, 300_000);
        ledger.admit(request("c1", List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 200_000))));
        ledger.commit("c1", T0.plusSeconds(1));

        assertThat(ledger.expire(T0.plus(RESERVE).minusMillis(1), 10)).isEmpty();
        List<SessionRelease> reserved = ledger.expire(T0.plus(RESERVE), 10);
        assertThat(reserved).singleElement().satisfies(r -> {
            assertThat(r.sessionId()).isEqualTo("r1");
            assertThat(r.record().cause()).isEqualTo(TerminationCause.HOLD_EXPIRED);
            assertThat(r.record().committedAt()).isNull();
            assertThat(r.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.RESERVED);
        });
        assertThat(ledger.session("r1")).isEmpty();
        assertThat(usage("bras-1").usedDownlinkBps()).isZero();
        assertThat(usage("us-1").usedUplinkBps()).isEqualTo(200_000);

        assertThat(ledger.expire(T0.plus(AUTHORIZE).minusMillis(1), 10)).isEmpty();
        List<SessionRelease> authorized = ledger.expire(T0.plus(AUTHORIZE), 10);
        assertThat(authorized).singleElement().satisfies(r -> {
            assertThat(r.sessionId()).isEqualTo("c1");
            assertThat(r.record().cause()).isEqualTo(TerminationCause.DIAMETER_AUTH_EXPIRED);
            assertThat(r.record().stoppedAt()).isEqualTo(T0.plus(AUTHORIZE));
        });
        assertThat(ledger.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
        assertThat(JournalFixtures.kinds(config, "r1")).containsExactly("ADMIT", "EXPIRE");
        assertThat(JournalFixtures.kinds(config, "c1")).containsExactly("ADMIT", "COMMIT", "EXPIRE");
        assertThat(ledger.release("c1", TerminationCause.DIAMETER_LOGOUT, T0.plus(AUTHORIZE))).isEmpty();
    }

    @Test
    void expiryEndsAtMostTheLimitOfSessions() {
        for (int i = 0; i < 5; i++) {
            ledger.admit(request("s" + i, List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 100_000))));
        }

        assertThat(ledger.expire(T0.plus(RESERVE), 3)).hasSize(3);
        assertThat(ledger.expire(T0.plus(RESERVE), 3)).hasSize(2);
        assertThat(ledger.expire(T0.plus(RESERVE), 3)).isEmpty();
        assertThat(ledger.expire(T0.plus(RESERVE), 0)).isEmpty();
        assertThat(rows("EXPIRE")).isEqualTo(5);
    }

    // ---- billing records

    @Test
    void interimRecordsAreNumberedAndTheFinalRecordTakesTheNextNumber() {
        committedSession("s1");

        assertThat(ledger.writeInterim(COMMITTED.plus(INTERVAL).minusMillis(1), INTERVAL, 100)).isEmpty();
        List<ChargingRecord> first = ledger.writeInterim(COMMITTED.plus(INTERVAL), INTERVAL, 100);
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.INTERIM);
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.cause()).isNull();
            assertThat(r.startedAt()).isEqualTo(T0);
            assertThat(r.committedAt()).isEqualTo(COMMITTED);
            assertThat(r.stoppedAt()).isEqualTo(COMMITTED.plus(INTERVAL));
            assertThat(r.flows()).hasSize(6);
        });
        assertThat(ledger.writeInterim(COMMITTED.plus(INTERVAL), INTERVAL, 100)).isEmpty();
        List<ChargingRecord> second = ledger.writeInterim(COMMITTED.plus(INTERVAL.multipliedBy(2)), INTERVAL, 100);
        assertThat(second).singleElement().extracting(ChargingRecord::sequence).isEqualTo(2);

        SessionRelease end = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(300)).orElseThrow();

        assertThat(end.record().kind()).isEqualTo(ChargingRecord.Kind.STOP);
        assertThat(end.record().sequence()).isEqualTo(3);
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(301), 10))
                .containsExactly(first.getFirst(), second.getFirst(), end.record());
        assertThat(JournalFixtures.kinds(config, "s1"))
                .containsExactly("ADMIT", "COMMIT", "INTERIM", "INTERIM", "RELEASE");
    }

    @Test
    void aSessionNeverCommittedGetsNoInterimRecordAndOnePastItsAuthorizationIsLeftToExpiry() {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request("reserved", List.of(hold(p, 1, UPLINK, 1_000))));
        committedSession("late");

        assertThat(ledger.writeInterim(T0.plusSeconds(29), Duration.ofSeconds(1), 100))
                .extracting(ChargingRecord::sessionId).containsExactly("late");
        assertThat(ledger.writeInterim(T0.plus(AUTHORIZE), Duration.ofSeconds(1), 100)).isEmpty();
        assertThat(ledger.expire(T0.plus(AUTHORIZE), 10)).extracting(r -> r.record().sequence(), SessionRelease::sessionId)
                .containsExactlyInAnyOrder(tuple(1, "reserved"), tuple(2, "late"));
        assertThat(rows("INTERIM")).isEqualTo(1);
    }

    @Test
    void chargingRecordsAreSelectedByStopTimeAndLimited() {
        for (int i = 0; i < 3; i++) {
            ledger.admit(request("s" + i, List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 10_000))));
            ledger.release("s" + i, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(10L * (i + 1)));
        }
        committedSession("i1");
        ChargingRecord interim = ledger.writeInterim(T0.plusSeconds(25), Duration.ofSeconds(5), 10).getFirst();

        assertThat(ledger.chargingRecords(T0.plusSeconds(15), T0.plusSeconds(30), 10))
                .extracting(ChargingRecord::sessionId, ChargingRecord::kind)
                .containsExactly(tuple("s1", ChargingRecord.Kind.STOP), tuple("i1", ChargingRecord.Kind.INTERIM));
        assertThat(ledger.chargingRecords(T0.plusSeconds(25), T0.plusSeconds(26), 10)).containsExactly(interim);
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(60), 2)).extracting(ChargingRecord::sessionId)
                .containsExactly("s0", "s1");
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(10), 10)).isEmpty();
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(60), 0)).isEmpty();
    }

    @Test
    void chargingRecordsCompareTheExactStopTimeBelowTheMicrosecond() {
        Instant stop = T0.plusSeconds(40).plusNanos(999);
        ledger.admit(request("s1", List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 10_000))));
        ChargingRecord r = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, stop).orElseThrow().record();

        assertThat(ledger.chargingRecords(stop, stop.plusNanos(1), 10)).containsExactly(r);
        assertThat(ledger.chargingRecords(stop.minusNanos(998), stop, 10)).isEmpty();
        assertThat(ledger.chargingRecords(stop.plusNanos(1), stop.plusSeconds(1), 10)).isEmpty();
    }

    // ---- audit, devices

    @Test
    void anAdmissionRowKeepsTheDecisionWithoutItsTraceAndARejectionKeepsItsTrace() {
        admitOnLineA("s1", 100_000, 100_000);
        ledger.recordRejection("s9", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(1));

        String admit = JournalFixtures.body(config, JournalFixtures.lastSeq(config, "ADMIT", "s1"));
        assertThat(admit).doesNotContain("r-voice: accept").contains("r-voice").contains("granted");
        assertThat(JournalFixtures.body(config, JournalFixtures.lastSeq(config, "REJECT", "s9"))).contains("r-deny: reject");
        assertThat(ledger.decisions("s1")).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("r-voice");
            assertThat(d.policyVersion()).isEqualTo("v1");
            assertThat(d.reason()).isEqualTo("granted");
            assertThat(d.outcome()).isEqualTo("ADMITTED");
        });
    }

    @Test
    void aRejectionIsOneRejectRowInTheAuditTrail() {
        ledger.recordRejection("s9", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(1));

        assertThat(JournalFixtures.kinds(config, "s9")).containsExactly("REJECT");
        assertThat(ledger.decisions("s9")).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("REFUSED");
            assertThat(d.ruleId()).isEqualTo("r-deny");
            assertThat(d.resultCode()).isEqualTo(5063);
            assertThat(d.originHost()).isEqualTo("pcscf.example.net");
        });
        assertThat(ledger.session("s9")).isEmpty();
        assertThat(ledger.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
    }

    @Test
    void aRejectionTheJournalCannotHoldIsRefusedToItsCallerAndTheLedgerGoesOn() {
        assertThatThrownBy(() -> ledger.recordRejection("x".repeat(1025), "pcscf", LedgerFixtures.reject("r"), T0))
                .isInstanceOf(LedgerException.class).hasMessageContaining("Session-Id must have 1..1024 characters");
        assertThatThrownBy(() -> ledger.recordRejection("s1", "pcscf", LedgerFixtures.reject("r"), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, null))
                .isInstanceOf(NullPointerException.class);

        assertThat(admitOnLineA("s1", 100_000, 300_000).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1))).isPresent();
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "RELEASE");
    }

    @Test
    void activeHoldsOnADeviceListOnlyItsActiveHolds() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.admit(request("s2", List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 100_000))));
        ledger.admit(request("s3", List.of(hold(path(ledger, "10.0.1.1"), 1, UPLINK, 100_000))));
        ledger.release("s3", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));

        assertThat(ledger.activeHoldsOn("dslam-1")).hasSize(4).allMatch(h -> h.sessionId().equals("s1"))
                .extracting(Hold::poolId).containsOnly("line-a", "dslam-1-up");
        assertThat(ledger.activeHoldsOn("bras-1")).hasSize(2).allMatch(h -> h.sessionId().equals("s1"));
        assertThat(ledger.activeHoldsOn("cmts-1")).hasSize(2).allMatch(h -> h.sessionId().equals("s2"));
        assertThat(ledger.activeHoldsOn("unknown")).isEmpty();
    }

    @Test
    void anOverlongSessionIdIsRefusedBeforeAnythingChanges() {
        assertThatThrownBy(() -> admitOnLineA("x".repeat(1025), 1, 1))
                .isInstanceOf(LedgerException.class).hasMessageContaining("Session-Id must have 1..1024 characters");
        assertThat(rows()).isZero();
        assertThat(ledger.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
    }

    @Test
    void anAdmissionBeforeItsCommitHoldsAtOnceAndIsOnDiskWhenTheCommitOrReleaseReturns() {
        AccessPath p = path(ledger, "10.0.0.7");
        Admission a = ledger.admitBeforeCommit(request("s1", List.of(hold(p, 1, UPLINK, 600_000), hold(p, 1, DOWNLINK, 600_000))));

        assertThat(a.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(usage("line-a").usedUplinkBps()).isEqualTo(600_000);
        // the capacity is taken at once: line A (1 Mbit/s up) has no room for another 600 kbit/s
        assertThat(ledger.admitBeforeCommit(request("s2", List.of(hold(p, 1, UPLINK, 600_000)))).admitted()).isFalse();
        assertThat(ledger.commit("s1", COMMITTED)).isTrue();
        assertThat(JournalFixtures.kinds(config, "s1")).containsExactly("ADMIT", "COMMIT");

        ledger.admitBeforeCommit(request("s3", List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 1_000))));
        assertThat(ledger.release("s3", TerminationCause.ENFORCEMENT_FAILED, COMMITTED)).isPresent();
        assertThat(JournalFixtures.kinds(config, "s3")).containsExactly("ADMIT", "RELEASE");
    }

    @Test
    void everyChangeIsOnDiskWhenItsCallReturns() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        ledger.writeInterim(T0.plusSeconds(200), INTERVAL, 10);
        ledger.recordRejection("s2", "pcscf", LedgerFixtures.reject("r"), T0.plusSeconds(2));
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(300));

        assertThat(JournalFixtures.journal(config)).containsExactly("1 ADMIT s1", "2 COMMIT s1", "3 INTERIM s1",
                "4 REJECT s2", "5 RELEASE s1");
        Map<String, List<Long>> use = JournalFixtures.use(ledger.pools());
        assertThat(use.values()).allMatch(u -> u.equals(List.of(0L, 0L)));
    }
}
