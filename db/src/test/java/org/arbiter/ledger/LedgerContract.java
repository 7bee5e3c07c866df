package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.AUTHORIZE;
import static org.arbiter.ledger.LedgerFixtures.M;
import static org.arbiter.ledger.LedgerFixtures.RESERVE;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's behaviour, run against every database: each subclass supplies a fresh database
 * per test.
 */
abstract class LedgerContract {

    protected JdbcLedger ledger;
    protected LedgerConfig config;

    /** A configuration for a fresh, empty database. */
    protected abstract LedgerConfig freshDatabase();

    @BeforeEach
    void openLedger() {
        config = freshDatabase();
        ledger = JdbcLedger.open(config);
        ledger.applyTopology(LedgerFixtures.smallTopology(), false);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    // ---- helpers

    private PoolUsage usage(String pool) {
        return ledger.pool(pool).orElseThrow();
    }

    private Admission admitOnLineA(String session, long ulBps, long dlBps) {
        return LedgerFixtures.admitOnLineA(ledger, session, ulBps, dlBps);
    }

    protected long count(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private List<String> transitionsOf(long holdId) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT from_state, to_state, reason FROM hold_changes WHERE ' ' || hold_ids || ' ' LIKE ? ORDER BY id")) {
            ps.setString(1, "% " + holdId + " %");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "->" + rs.getString(2) + " (" + rs.getString(3) + ")");
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    // ---- path resolution

    @Test
    void resolveWalksFromTheAttachedPoolToTheRoot() {
        assertThat(path(ledger, "10.0.0.7").hops()).extracting(PathHop::poolId)
                .containsExactly("line-a", "dslam-1-up", "bras-1");
    }

    @Test
    void resolvePrefersTheLongestMatchingPrefix() {
        assertThat(path(ledger, "10.2.7.9").hops().getFirst().poolId()).isEqualTo("us-2");
        assertThat(path(ledger, "10.2.8.9").hops().getFirst().poolId()).isEqualTo("us-1");
    }

    @Test
    void resolveMatchesIpv6Prefixes() {
        assertThat(path(ledger, "2001:db8:1:ff::5").hops().getFirst().poolId()).isEqualTo("line-b");
    }

    @Test
    void resolveOfAnUncoveredOrMalformedAddressIsEmpty() {
        assertThat(ledger.resolve("192.0.2.1")).isEmpty();
        assertThat(ledger.resolve("not-an-address")).isEmpty();
    }

    // ---- admission

    @Test
    void admissionHoldsTheBandwidthOnEveryPoolOfThePath() {
        Admission a = admitOnLineA("s1", 100_000, 300_000);

        assertThat(a.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(a.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.RESERVED);
        assertThat(a.holds()).extracting(Hold::poolId)
                .containsExactly("line-a", "dslam-1-up", "bras-1", "line-a", "dslam-1-up", "bras-1");
        assertThat(a.holds().getFirst().deviceId()).isEqualTo("dslam-1");
        assertThat(a.holds().getFirst().expiresAt()).isEqualTo(T0.plus(RESERVE));
        for (String pool : List.of("line-a", "dslam-1-up", "bras-1")) {
            assertThat(usage(pool).usedUplinkBps()).as(pool).isEqualTo(100_000);
            assertThat(usage(pool).usedDownlinkBps()).as(pool).isEqualTo(300_000);
        }
    }

    @Test
    void repeatedRequestIsUnchangedAndAddsNoHold() {
        Admission first = admitOnLineA("s1", 100_000, 300_000);
        Admission again = admitOnLineA("s1", 100_000, 300_000);

        assertThat(again.status()).isEqualTo(Admission.Status.UNCHANGED);
        assertThat(again.holds()).extracting(Hold::holdId)
                .containsExactlyElementsOf(first.holds().stream().map(Hold::holdId).toList());
        assertThat(count("SELECT COUNT(*) FROM holds")).isEqualTo(6);
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(300_000);
    }

    @Test
    void updateMayGrowIntoTheSessionsOwnHolds() {
        admitOnLineA("s1", 100_000, 1_500_000);
        Admission grown = admitOnLineA("s1", 100_000, 2_000_000);

        assertThat(grown.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(2_000_000);
        assertThat(count("SELECT COUNT(*) FROM holds WHERE state IN ('RESERVED','COMMITTED')")).isEqualTo(6);
    }

    @Test
    void updateShrinksTheHoldsAndFreesThePools() {
        admitOnLineA("s1", 100_000, 1_500_000);
        Admission shrunk = ledger.admit(request("s1", List.of(hold(path(ledger, "10.0.0.7"), 1, DOWNLINK, 500_000))));

        assertThat(shrunk.status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(shrunk.holds()).hasSize(3).allMatch(h -> h.bandwidthBps() == 500_000 && h.direction() == DOWNLINK);
        assertThat(usage("line-a").usedUplinkBps()).isZero();
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(500_000);
        assertThat(ledger.session("s1").orElseThrow().holds())
                .filteredOn(h -> h.state() == HoldState.RELEASED).hasSize(6);
    }

    @Test
    void updateReportsTheHoldsOfTheReservationsItDropped() {
        Admission first = admitOnLineA("s1", 100_000, 1_500_000);
        Admission shrunk = ledger.admit(request("s1", List.of(hold(path(ledger, "10.0.0.7"), 1, DOWNLINK, 1_500_000))));

        assertThat(first.released()).isEmpty();
        assertThat(shrunk.released()).hasSize(3).allMatch(h -> h.direction() == UPLINK)
                .extracting(Hold::holdId).isSubsetOf(first.holds().stream().map(Hold::holdId).toList());
        assertThat(ledger.admit(request("s1", List.of(hold(path(ledger, "10.0.0.7"), 1, DOWNLINK, 1_500_000))))
                .released()).isEmpty();
        assertThat(ledger.admit(request("s2", List.of(hold(path(ledger, "10.0.0.7"), 1, DOWNLINK, 1_000_000)))))
                .satisfies(a -> assertThat(a.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY))
                .satisfies(a -> assertThat(a.released()).isEmpty());
    }

    @Test
    void updateKeepsCommittedHoldsThatDidNotChange() {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request("s1", List.of(hold(p, 1, UPLINK, 100_000))));
        ledger.commit("s1", T0.plusSeconds(1));
        Admission updated = ledger.admit(request("s1", T0.plusSeconds(5),
                List.of(hold(p, 1, UPLINK, 100_000), hold(p, 2, UPLINK, 50_000))));

        assertThat(updated.holds()).filteredOn(h -> h.flow().mediaComponent() == 1)
                .allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(updated.holds()).filteredOn(h -> h.flow().mediaComponent() == 2)
                .allMatch(h -> h.state() == HoldState.RESERVED);
    }

    @Test
    void insufficientCapacityWritesNothingAndNamesTheTightestPool() {
        admitOnLineA("s1", 100_000, 1_500_000);
        long holdsBefore = count("SELECT COUNT(*) FROM holds");
        Admission refused = admitOnLineA("s2", 100_000, 1_000_000);

        assertThat(refused.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(refused.holds()).isEmpty();
        assertThat(refused.shortfalls()).singleElement().satisfies(s -> {
            assertThat(s.poolId()).isEqualTo("line-a");
            assertThat(s.direction()).isEqualTo(DOWNLINK);
            assertThat(s.requestedBps()).isEqualTo(1_000_000);
            assertThat(s.availableBps()).isEqualTo(500_000);
            assertThat(s.partyAddress()).isEqualTo("10.0.0.7");
        });
        assertThat(ledger.session("s2")).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM holds")).isEqualTo(holdsBefore);
        assertThat(count("SELECT COUNT(*) FROM decisions WHERE session_id = 's2'")).isZero();
        assertThat(usage("line-a").usedDownlinkBps()).isEqualTo(1_500_000);
    }

    @Test
    void allFlowsOfASessionAreAdmittedTogetherOrNotAtAll() {
        AccessPath a = path(ledger, "10.0.0.7");
        AccessPath b = path(ledger, "10.0.1.7");
        Admission refused = ledger.admit(request("s1", List.of(hold(a, 1, DOWNLINK, 1_000_000),
                hold(b, 2, DOWNLINK, 1_000_000), hold(b, 3, DOWNLINK, 1_500_000))));

        assertThat(refused.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(refused.shortfalls()).extracting(Admission.Shortfall::poolId).containsOnly("line-b");
        assertThat(ledger.pools()).allMatch(u -> u.usedDownlinkBps() == 0 && u.usedUplinkBps() == 0);
    }

    @Test
    void sharedParentPoolLimitsSessionsOnDifferentLines() {
        ledger.applyTopology(Topology.of(List.of(
                new PoolSpec("up", null, 3 * M, 3 * M, 1.0, "dslam-1"),
                new PoolSpec("l1", "up", 2 * M, 2 * M, 1.0, "dslam-1"),
                new PoolSpec("l2", "up", 2 * M, 2 * M, 1.0, "dslam-1")), List.of(
                new Attachment(IpPrefix.parse("10.9.1.0/24"), "l1"),
                new Attachment(IpPrefix.parse("10.9.2.0/24"), "l2"))), false);
        ledger.admit(request("s1", List.of(hold(path(ledger, "10.9.1.1"), 1, DOWNLINK, 2 * M))));
        Admission second = ledger.admit(request("s2", List.of(hold(path(ledger, "10.9.2.1"), 1, DOWNLINK, 2 * M))));

        assertThat(second.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(second.shortfalls().getFirst().poolId()).isEqualTo("up");
        assertThat(second.shortfalls().getFirst().availableBps()).isEqualTo(1 * M);
    }

    @Test
    void admissibleFractionLimitsWhatMayBeReserved() {
        ledger.applyTopology(Topology.of(List.of(new PoolSpec("half", null, 2 * M, 2 * M, 0.5, "dev")),
                List.of(new Attachment(IpPrefix.parse("10.8.0.0/16"), "half"))), false);
        Admission a = ledger.admit(request("s1", List.of(hold(path(ledger, "10.8.0.1"), 1, UPLINK, 1_000_001))));

        assertThat(a.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(a.shortfalls().getFirst().availableBps()).isEqualTo(1 * M);
    }

    @Test
    void pathNamingAnUnknownPoolIsALedgerError() {
        AccessPath bogus = new AccessPath("10.0.0.7", IpPrefix.parse("10.0.0.0/24"), List.of(new PathHop("nope", null)));

        assertThatThrownBy(() -> ledger.admit(request("s1", List.of(hold(bogus, 1, UPLINK, 1)))))
                .isInstanceOf(LedgerException.class).hasMessageContaining("unknown pool 'nope'");
        assertThat(ledger.session("s1")).isEmpty();
    }

    @Test
    void overlongSessionIdIsRefusedWithAClearError() {
        assertThatThrownBy(() -> admitOnLineA("x".repeat(1025), 1, 1))
                .isInstanceOf(LedgerException.class).hasMessageContaining("Session-Id must have 1..1024 characters");
    }

    // ---- commit, release, expiry

    @Test
    void commitMovesReservedHoldsToCommittedUntilTheAuthorizationEnds() {
        admitOnLineA("s1", 100_000, 300_000);

        assertThat(ledger.commit("s1", T0.plusSeconds(2))).isTrue();
        SessionView v = ledger.session("s1").orElseThrow();
        assertThat(v.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED)
                .allMatch(h -> h.expiresAt().equals(T0.plus(AUTHORIZE)));
        assertThat(ledger.commit("s1", T0.plusSeconds(3))).isFalse();
    }

    @Test
    void commitOfAnUnknownSessionIsFalse() {
        assertThat(ledger.commit("nobody", T0)).isFalse();
    }

    @Test
    void releaseFreesThePoolsAndWritesTheChargingRecord() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        SessionRelease r = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(60)).orElseThrow();

        assertThat(r.holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(r.record().cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
        assertThat(r.record().duration().toSeconds()).isEqualTo(60);
        assertThat(r.record().committedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(r.record().chargingId()).isEqualTo("icid-s1");
        assertThat(r.record().ruleId()).isEqualTo("r-voice");
        assertThat(r.record().flows()).hasSize(6);
        assertThat(ledger.pools()).allMatch(u -> u.usedDownlinkBps() == 0 && u.usedUplinkBps() == 0);
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(61), 10)).containsExactly(r.record());
    }

    @Test
    void releasingTwiceIsEmptyTheSecondTime() {
        admitOnLineA("s1", 100_000, 300_000);
        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1))).isPresent();

        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2))).isEmpty();
        assertThat(ledger.release("never-seen", TerminationCause.DIAMETER_LOGOUT, T0)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM cdrs")).isEqualTo(1);
    }

    @Test
    void reservedHoldsExpireAfterTheReserveTimer() {
        admitOnLineA("s1", 100_000, 300_000);

        assertThat(ledger.expire(T0.plus(RESERVE).minusMillis(1), 10)).isEmpty();
        List<SessionRelease> ended = ledger.expire(T0.plus(RESERVE), 10);
        assertThat(ended).singleElement().satisfies(r ->
                assertThat(r.record().cause()).isEqualTo(TerminationCause.HOLD_EXPIRED));
        assertThat(ledger.session("s1").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.EXPIRED);
        assertThat(usage("bras-1").usedDownlinkBps()).isZero();
    }

    @Test
    void committedHoldsExpireWhenTheAuthorizationLifetimePasses() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));

        assertThat(ledger.expire(T0.plus(RESERVE).plusSeconds(1), 10)).isEmpty();
        List<SessionRelease> ended = ledger.expire(T0.plus(AUTHORIZE), 10);
        assertThat(ended).singleElement().satisfies(r ->
                assertThat(r.record().cause()).isEqualTo(TerminationCause.DIAMETER_AUTH_EXPIRED));
    }

    @Test
    void repeatedRequestMovesTheAuthorizationExpiryForward() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        Instant later = T0.plusSeconds(300);
        AccessPath p = path(ledger, "10.0.0.7");
        Admission refreshed = ledger.admit(request("s1", later, List.of(hold(p, 1, UPLINK, 100_000),
                hold(p, 1, DOWNLINK, 300_000))));

        assertThat(refreshed.status()).isEqualTo(Admission.Status.UNCHANGED);
        assertThat(refreshed.holds()).allMatch(h -> h.expiresAt().equals(later.plus(AUTHORIZE)));
        assertThat(ledger.expire(T0.plus(AUTHORIZE), 10)).isEmpty();
    }

    @Test
    void extendingASessionMovesTheExpiryOfItsCommittedHolds() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        Instant later = T0.plus(AUTHORIZE).plusSeconds(600);

        assertThat(ledger.extend("s1", later, T0.plusSeconds(2))).isTrue();
        assertThat(ledger.session("s1").orElseThrow().holds()).allMatch(h -> h.expiresAt().equals(later));
        assertThat(ledger.expire(T0.plus(AUTHORIZE), 10)).isEmpty();
        assertThat(ledger.extend("nobody", later, T0)).isFalse();
    }

    @Test
    void expiryEndsAtMostTheLimitOfSessions() {
        for (int i = 0; i < 5; i++) {
            ledger.admit(request("s" + i, List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 100_000))));
        }

        assertThat(ledger.expire(T0.plus(RESERVE), 3)).hasSize(3);
        assertThat(ledger.expire(T0.plus(RESERVE), 3)).hasSize(2);
        assertThat(ledger.expire(T0.plus(RESERVE), 3)).isEmpty();
    }

    @Test
    void endedSessionIdStartsAFreshSessionWhenAdmittedAgain() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));
        Admission again = ledger.admit(request("s1", T0.plusSeconds(10), List.of(
                hold(path(ledger, "10.0.0.7"), 1, UPLINK, 200_000))));

        assertThat(again.status()).isEqualTo(Admission.Status.ADMITTED);
        SessionView v = ledger.session("s1").orElseThrow();
        assertThat(v.createdAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(v.holds()).hasSize(3).allMatch(h -> h.state() == HoldState.RESERVED);
    }

    @Test
    void everyHoldTransitionIsRecordedWithItsReason() {
        Admission a = admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));

        assertThat(transitionsOf(a.holds().getFirst().holdId())).containsExactly(
                "null->RESERVED (admitted)",
                "RESERVED->COMMITTED (devices confirmed)",
                "COMMITTED->RELEASED (released: DIAMETER_LOGOUT)");
    }

    @Test
    void eachChangeOfASessionIsOneRowListingItsHolds() {
        Admission a = admitOnLineA("s1", 100_000, 300_000);
        ledger.commit("s1", T0.plusSeconds(1));
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));

        String ids = a.holds().stream().map(Hold::holdId).sorted().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" "));
        assertThat(a.holds()).hasSize(6);
        assertThat(count("SELECT COUNT(*) FROM hold_changes WHERE session_id = 's1'")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM hold_changes WHERE session_id = 's1' AND hold_ids = ?", ids))
                .isEqualTo(3);
    }

    @Test
    void holdTransitionsOfAnOlderSchemaMoveToOneRowEach() throws Exception {
        LedgerConfig old = freshDatabase();
        org.flywaydb.core.Flyway.configure().dataSource(old.jdbcUrl(), old.user(), old.password())
                .locations("classpath:db/migration").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(old.jdbcUrl(), old.user(), old.password());
             java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO holds (hold_id, session_id, generation, media_component, flow_number, direction, "
                    + "party, pool_id, bandwidth_bps, dscp, state, reserved_until, authorized_until, expires_at, "
                    + "expiry_due, created_at, updated_at) VALUES (41, 's-old', 1, 1, 1, 'UL', '10.0.0.7', 'line-a', "
                    + "1000, 46, 'RELEASED', TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:30+00', "
                    + "TIMESTAMP WITH TIME ZONE '2030-01-01 02:00:00+00', TIMESTAMP WITH TIME ZONE '2030-01-01 02:00:00+00', "
                    + "NULL, TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2030-01-01 00:01:00+00')");
            st.execute("INSERT INTO hold_transitions (hold_id, from_state, to_state, occurred_at, reason) VALUES "
                    + "(41, NULL, 'RESERVED', TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:00+00', 'admitted'), "
                    + "(41, 'RESERVED', 'RELEASED', TIMESTAMP WITH TIME ZONE '2030-01-01 00:01:00+00', 'released: DIAMETER_LOGOUT')");
        }

        JdbcLedger.open(old).close();

        try (Connection c = DriverManager.getConnection(old.jdbcUrl(), old.user(), old.password());
             java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT session_id, hold_ids, from_state, to_state, reason FROM hold_changes "
                     + "ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " [" + rs.getString(2) + "] " + rs.getString(3) + "->" + rs.getString(4)
                        + " (" + rs.getString(5) + ")");
            }
            assertThat(rows).containsExactly("s-old [41] null->RESERVED (admitted)",
                    "s-old [41] RESERVED->RELEASED (released: DIAMETER_LOGOUT)");
        }
    }

    // ---- audit, views

    @Test
    void decisionsAreAuditedForAdmissionsRepeatsAndRejections() {
        admitOnLineA("s1", 100_000, 300_000);
        admitOnLineA("s1", 100_000, 300_000);
        ledger.recordRejection("s1", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(1));

        assertThat(ledger.decisions("s1")).extracting(AuditedDecision::outcome, AuditedDecision::ruleId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ADMITTED", "r-voice"),
                        org.assertj.core.groups.Tuple.tuple("UNCHANGED", "r-voice"),
                        org.assertj.core.groups.Tuple.tuple("REFUSED", "r-deny"));
        assertThat(ledger.decisions("s1").getLast().resultCode()).isEqualTo(5063);
    }

    @Test
    void sessionsAreListedNewestFirstAndFilteredBySubscriberAndHost() {
        AccessPath p = path(ledger, "10.2.1.1");
        for (int i = 0; i < 3; i++) {
            ledger.admit(new org.arbiter.core.ledger.AdmissionRequest("s" + i, i == 2 ? "other-af" : "pcscf.example.net",
                    i == 0 ? "sip:bob@example.net" : "sip:alice@example.net", null, LedgerFixtures.accept("r"),
                    List.of(hold(p, 1, UPLINK, 10_000)), T0.plusSeconds(i), T0.plus(RESERVE), T0.plus(AUTHORIZE)));
        }
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(5));

        assertThat(ledger.sessions(null, null, 10)).extracting(SessionSummary::sessionId)
                .containsExactly("s2", "s1", "s0");
        assertThat(ledger.sessions("sip:alice@example.net", null, 10)).extracting(SessionSummary::sessionId)
                .containsExactly("s2", "s1");
        assertThat(ledger.sessions("sip:alice@example.net", "pcscf.example.net", 10))
                .singleElement().satisfies(s -> assertThat(s.endedAt()).isEqualTo(T0.plusSeconds(5)));
        assertThat(ledger.sessions(null, null, 1)).hasSize(1);
    }

    @Test
    void recentDecisionsAreNewestFirst() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.recordRejection("s2", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(1));

        assertThat(ledger.recentDecisions(10)).extracting(AuditedDecision::sessionId).containsExactly("s2", "s1");
        assertThat(ledger.recentDecisions(1)).extracting(AuditedDecision::outcome).containsExactly("REFUSED");
    }

    @Test
    void activeHoldsOnADeviceListOnlyItsActiveHolds() {
        admitOnLineA("s1", 100_000, 300_000);
        ledger.admit(request("s2", List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 100_000))));
        ledger.admit(request("s3", List.of(hold(path(ledger, "10.0.1.1"), 1, UPLINK, 100_000))));
        ledger.release("s3", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));

        assertThat(ledger.activeHoldsOn("dslam-1")).hasSize(4).allMatch(h -> h.sessionId().equals("s1"));
        assertThat(ledger.activeHoldsOn("cmts-1")).hasSize(2);
        assertThat(ledger.activeHoldsOn("unknown")).isEmpty();
    }

    @Test
    void poolsReportCapacityUseAndHeadroom() {
        admitOnLineA("s1", 100_000, 300_000);
        Map<String, PoolUsage> byId = ledger.pools().stream().collect(Collectors.toMap(u -> u.pool().id(), u -> u));

        assertThat(byId).containsKeys("bras-1", "dslam-1-up", "line-a", "line-b", "cmts-1", "us-1", "us-2");
        assertThat(byId.get("line-a").headroomDownlinkBps()).isEqualTo(1_700_000);
        assertThat(byId.get("line-a").headroomUplinkBps()).isEqualTo(900_000);
        assertThat(byId.get("line-b").headroomDownlinkBps()).isEqualTo(2_000_000);
    }

    @Test
    void countersEqualTheSumOfActiveHoldsAfterMixedOperations() {
        admitOnLineA("s1", 100_000, 300_000);
        admitOnLineA("s2", 200_000, 300_000);
        admitOnLineA("s2", 300_000, 100_000);
        ledger.commit("s1", T0);
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));
        ledger.admit(request("s3", List.of(hold(path(ledger, "10.2.7.1"), 1, DOWNLINK, 100_000))));
        ledger.expire(T0.plus(RESERVE), 1);

        assertThat(ledger.recount(false)).isEmpty();
    }

    @Test
    void chargingRecordsAreSelectedByStopTime() {
        for (int i = 0; i < 3; i++) {
            ledger.admit(request("s" + i, List.of(hold(path(ledger, "10.2.1.1"), 1, UPLINK, 10_000))));
            ledger.release("s" + i, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(10L * (i + 1)));
        }

        List<ChargingRecord> middle = ledger.chargingRecords(T0.plusSeconds(15), T0.plusSeconds(30), 10);
        assertThat(middle).extracting(ChargingRecord::sessionId).containsExactly("s1");
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(60), 2)).extracting(ChargingRecord::sessionId)
                .containsExactly("s0", "s1");
    }

    // ---- topology

    @Test
    void applyingTheSameTopologyAgainChangesNothing() {
        TopologyChange change = ledger.applyTopology(LedgerFixtures.smallTopology(), false);

        assertThat(change.isEmpty()).isTrue();
        assertThat(change.version()).isEqualTo(1);
    }

    @Test
    void shrinkingAPoolBelowItsUseIsRefusedListingPoolUseAndNewCapacity() {
        admitOnLineA("s1", 100_000, 1_500_000);
        Topology shrunk = replacePool(LedgerFixtures.smallTopology(), new PoolSpec("line-a", "dslam-1-up", M, M, 1.0, "dslam-1"));

        assertThatThrownBy(() -> ledger.applyTopology(shrunk, false))
                .isInstanceOfSatisfying(TopologyConflictException.class, e -> assertThat(e.conflicts())
                        .containsExactly(new CapacityConflict("line-a", DOWNLINK, 1_500_000, 1_000_000)))
                .hasMessageContaining("pool 'line-a' DL: 1500000 bit/s in use, new admissible capacity 1000000 bit/s");
        assertThat(usage("line-a").pool().downlinkCapacityBps()).isEqualTo(2 * M);
    }

    @Test
    void forcedShrinkIsAppliedAndReportedAsOverbooked() {
        admitOnLineA("s1", 100_000, 1_500_000);
        Topology shrunk = replacePool(LedgerFixtures.smallTopology(), new PoolSpec("line-a", "dslam-1-up", M, M, 1.0, "dslam-1"));
        TopologyChange change = ledger.applyTopology(shrunk, true);

        assertThat(change.poolsChanged()).containsExactly("line-a");
        assertThat(change.overbooked()).extracting(CapacityConflict::poolId).containsExactly("line-a");
        assertThat(usage("line-a").headroomDownlinkBps()).isEqualTo(-500_000);
        assertThat(admitOnLineA("s2", 1, 1).status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
    }

    @Test
    void removingAPoolInUseRetiresItUntilItsHoldsEnd() {
        ledger.admit(request("s1", List.of(hold(path(ledger, "10.2.7.1"), 1, UPLINK, 100_000))));
        Topology withoutUs2 = Topology.of(LedgerFixtures.smallTopology().pools().stream()
                        .filter(p -> !p.id().equals("us-2")).toList(),
                LedgerFixtures.smallTopology().attachments().stream().filter(a -> !a.pool().equals("us-2")).toList());

        assertThatThrownBy(() -> ledger.applyTopology(withoutUs2, false)).isInstanceOf(TopologyConflictException.class);
        TopologyChange forced = ledger.applyTopology(withoutUs2, true);
        assertThat(forced.poolsRetired()).containsExactly("us-2");
        assertThat(forced.attachmentsRemoved()).containsExactly("10.2.7.0/24");
        assertThat(ledger.resolve("10.2.7.1").orElseThrow().hops().getFirst().poolId()).isEqualTo("us-1");

        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));
        TopologyChange cleanup = ledger.applyTopology(withoutUs2, false);
        assertThat(cleanup.poolsRemoved()).containsExactly("us-2");
        assertThat(ledger.pool("us-2")).isEmpty();
    }

    @Test
    void changingAPoolsDeviceMovesItsActiveHolds() {
        admitOnLineA("s1", 100_000, 300_000);
        Topology moved = replacePool(LedgerFixtures.smallTopology(), new PoolSpec("line-a", "dslam-1-up", M, 2 * M, 1.0, "dslam-2"));
        TopologyChange change = ledger.applyTopology(moved, false);

        assertThat(change.holdsMoved()).isEqualTo(2);
        assertThat(ledger.activeHoldsOn("dslam-2")).hasSize(2).allMatch(h -> h.poolId().equals("line-a"));
        assertThat(path(ledger, "10.0.0.7").hops().getFirst().deviceId()).isEqualTo("dslam-2");
    }

    @Test
    void anotherNodesTopologyChangeIsSeenByResolve() {
        try (JdbcLedger other = JdbcLedger.open(config.withTopologyRefresh(java.time.Duration.ZERO))) {
            ledger.applyTopology(Topology.of(List.of(new PoolSpec("solo", null, M, M, 1.0, null)),
                    List.of(new Attachment(IpPrefix.parse("10.0.0.0/24"), "solo"))), true);

            assertThat(other.resolve("10.0.0.7").orElseThrow().hops()).extracting(PathHop::poolId).containsExactly("solo");
        }
    }

    private static Topology replacePool(Topology t, PoolSpec replacement) {
        return Topology.of(t.pools().stream().map(p -> p.id().equals(replacement.id()) ? replacement : p).toList(),
                t.attachments());
    }
}
