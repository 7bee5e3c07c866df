package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.AUTHORIZE;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.session.TerminationCause;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interim billing records, run against every database: each subclass supplies a fresh database
 * per test. Time is driven through the {@code now} arguments.
 */
abstract class InterimContract {

    static final Duration INTERVAL = Duration.ofSeconds(120);
    /** When the fixtures commit: one second after admission at T0. */
    static final Instant COMMITTED = T0.plusSeconds(1);

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

    /** Admits a small session on line A at {@code T0} and commits it at {@link #COMMITTED}. */
    private void committedSession(String id) {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request(id, List.of(hold(p, 1, UPLINK, 1_000), hold(p, 1, DOWNLINK, 1_000))));
        assertThat(ledger.commit(id, COMMITTED)).isTrue();
    }

    private List<ChargingRecord> recordsOf(String sessionId) {
        return ledger.chargingRecords(Instant.EPOCH, T0.plus(Duration.ofDays(1)), 10_000).stream()
                .filter(r -> r.sessionId().equals(sessionId)).toList();
    }

    private long count(String sql) {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Test
    void noInterimRecordBeforeTheIntervalHasPassedSinceTheCommit() {
        committedSession("s1");

        assertThat(ledger.writeInterim(COMMITTED.plus(INTERVAL).minusMillis(1), INTERVAL, 100)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM cdrs")).isZero();
    }

    @Test
    void anInterimRecordIsWrittenOnceTheIntervalHasPassed() {
        committedSession("s1");
        Instant at = COMMITTED.plus(INTERVAL);

        List<ChargingRecord> written = ledger.writeInterim(at, INTERVAL, 100);

        assertThat(written).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.INTERIM);
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.cause()).isNull();
            assertThat(r.startedAt()).isEqualTo(T0);
            assertThat(r.committedAt()).isEqualTo(COMMITTED);
            assertThat(r.stoppedAt()).isEqualTo(at);
            assertThat(r.flows()).hasSize(6);
        });
        assertThat(recordsOf("s1")).containsExactlyElementsOf(written);
    }

    @Test
    void theNextInterimRecordIsDueAnIntervalAfterTheLastOne() {
        committedSession("s1");
        Instant first = COMMITTED.plus(INTERVAL).plusSeconds(7);
        ledger.writeInterim(first, INTERVAL, 100);

        assertThat(ledger.writeInterim(first, INTERVAL, 100)).isEmpty();
        assertThat(ledger.writeInterim(first.plus(INTERVAL).minusMillis(1), INTERVAL, 100)).isEmpty();
        assertThat(ledger.writeInterim(first.plus(INTERVAL), INTERVAL, 100)).singleElement()
                .extracting(ChargingRecord::sequence).isEqualTo(2);
    }

    @Test
    void theFinalRecordTakesTheSequenceNumberAfterTheInterims() {
        committedSession("s1");
        ledger.writeInterim(COMMITTED.plus(INTERVAL), INTERVAL, 100);
        ledger.writeInterim(COMMITTED.plus(INTERVAL.multipliedBy(2)), INTERVAL, 100);

        SessionRelease end = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(300)).orElseThrow();

        assertThat(end.record().kind()).isEqualTo(ChargingRecord.Kind.STOP);
        assertThat(end.record().sequence()).isEqualTo(3);
        assertThat(end.record().duration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(recordsOf("s1")).extracting(ChargingRecord::kind, ChargingRecord::sequence).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ChargingRecord.Kind.INTERIM, 1),
                org.assertj.core.groups.Tuple.tuple(ChargingRecord.Kind.INTERIM, 2),
                org.assertj.core.groups.Tuple.tuple(ChargingRecord.Kind.STOP, 3));
    }

    @Test
    void aSessionReleasedBeforeItsFirstIntervalGetsOnlyTheFinalRecord() {
        committedSession("s1");
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, COMMITTED.plusSeconds(30));

        assertThat(ledger.writeInterim(COMMITTED.plus(INTERVAL.multipliedBy(5)), INTERVAL, 100)).isEmpty();
        assertThat(recordsOf("s1")).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.STOP);
            assertThat(r.sequence()).isEqualTo(1);
        });
    }

    @Test
    void aSessionNeverCommittedGetsNoInterimRecord() {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request("s1", List.of(hold(p, 1, UPLINK, 1_000))));

        assertThat(ledger.writeInterim(T0.plusSeconds(29), Duration.ofSeconds(1), 100)).isEmpty();
    }

    @Test
    void aSessionPastItsAuthorizationIsLeftToExpiry() {
        committedSession("s1");

        assertThat(ledger.writeInterim(T0.plus(AUTHORIZE), INTERVAL, 100)).isEmpty();
        SessionRelease expired = ledger.expire(T0.plus(AUTHORIZE), 10).getFirst();
        assertThat(expired.record().sequence()).isEqualTo(1);
    }

    @Test
    void aSessionIdAdmittedAgainNumbersItsRecordsFromOne() {
        committedSession("s1");
        ledger.writeInterim(COMMITTED.plus(INTERVAL), INTERVAL, 100);
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, COMMITTED.plus(INTERVAL).plusSeconds(1));
        Instant again = T0.plusSeconds(1_000);
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request("s1", again, List.of(hold(p, 1, UPLINK, 1_000))));
        ledger.commit("s1", again);

        assertThat(ledger.writeInterim(again.plus(INTERVAL).minusMillis(1), INTERVAL, 100)).isEmpty();
        assertThat(ledger.writeInterim(again.plus(INTERVAL), INTERVAL, 100)).singleElement()
                .extracting(ChargingRecord::sequence).isEqualTo(1);
        assertThat(ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, again.plusSeconds(500)).orElseThrow()
                .record().sequence()).isEqualTo(2);
    }

    @Test
    void theLimitBoundsTheSessionsOfOneCall() {
        for (int i = 0; i < 5; i++) {
            committedSession("s" + i);
        }
        Instant at = COMMITTED.plus(INTERVAL);

        assertThat(ledger.writeInterim(at, INTERVAL, 3)).hasSize(3);
        assertThat(ledger.writeInterim(at, INTERVAL, 3)).hasSize(2);
        assertThat(ledger.writeInterim(at, INTERVAL, 3)).isEmpty();
    }

    @Test
    void aZeroIntervalIsRefused() {
        assertThatThrownBy(() -> ledger.writeInterim(T0, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }

    @Test
    void twoLedgersSweepingTheSameDatabaseAtOnceWriteEachInterimRecordOnce() throws Exception {
        int sessions = 60;
        for (int i = 0; i < sessions; i++) {
            committedSession(String.format("s%03d", i));
        }
        try (JdbcLedger other = JdbcLedger.open(config)) {
            List<JdbcLedger> nodes = List.of(ledger, other, ledger, other);
            for (int round = 1; round <= 2; round++) {
                Instant at = COMMITTED.plus(INTERVAL.multipliedBy(round));
                List<List<ChargingRecord>> results = sweepAtOnce(nodes, n -> n.writeInterim(at, INTERVAL, 1_000));

                assertThat(results.stream().mapToInt(List::size).sum()).as("round " + round).isEqualTo(sessions);
            }
        }
        assertThat(count("SELECT COUNT(*) FROM cdrs WHERE record_kind = 'INTERIM'")).isEqualTo(2L * sessions);
        assertThat(count("SELECT COUNT(*) FROM (SELECT session_id, record_seq FROM cdrs "
                + "GROUP BY session_id, record_seq HAVING COUNT(*) > 1) d")).isZero();
    }

    @Test
    void releasesRacingAnInterimSweepNumberEverySessionsRecordsOneToN() throws Exception {
        int sessions = 40;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(String.format("s%03d", i));
            committedSession(ids.getLast());
        }
        Instant at = COMMITTED.plus(INTERVAL);
        try (JdbcLedger other = JdbcLedger.open(config)) {
            sweepAtOnce(List.of(ledger, other), n -> {
                if (n == ledger) {
                    ids.forEach(id -> ledger.release(id, TerminationCause.DIAMETER_LOGOUT, at));
                    return List.of();
                }
                return other.writeInterim(at, INTERVAL, 1_000);
            });
        }
        Map<String, List<ChargingRecord>> bySession = new TreeMap<>();
        ledger.chargingRecords(Instant.EPOCH, at.plusSeconds(1), 10_000)
                .forEach(r -> bySession.computeIfAbsent(r.sessionId(), k -> new ArrayList<>()).add(r));
        assertThat(bySession).hasSize(sessions);
        bySession.forEach((id, records) -> {
            List<ChargingRecord> sorted = records.stream()
                    .sorted(java.util.Comparator.comparingInt(ChargingRecord::sequence)).toList();
            assertThat(sorted).as(id).extracting(ChargingRecord::sequence)
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, sorted.size()).boxed().toList());
            assertThat(sorted.getLast().kind()).as(id).isEqualTo(ChargingRecord.Kind.STOP);
            assertThat(sorted.subList(0, sorted.size() - 1)).as(id)
                    .allMatch(r -> r.kind() == ChargingRecord.Kind.INTERIM);
        });
    }

    @Test
    void recordsWrittenBeforeInterimRecordsExistedReadAsFinalRecordNumberOne() throws Exception {
        LedgerConfig old = freshDatabase();
        Flyway.configure().dataSource(old.jdbcUrl(), old.user(), old.password()).locations("classpath:db/migration")
                .target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(old.jdbcUrl(), old.user(), old.password());
             PreparedStatement ps = c.prepareStatement("INSERT INTO cdrs (record_id, session_id, started_at, stopped_at, "
                     + "modified, cause, cause_code) VALUES ('r-old', 's-old', ?, ?, FALSE, 'DIAMETER_LOGOUT', 1)")) {
            ps.setObject(1, java.time.OffsetDateTime.parse("2030-01-01T00:00:00Z"));
            ps.setObject(2, java.time.OffsetDateTime.parse("2030-01-01T00:01:00Z"));
            ps.executeUpdate();
        }

        try (JdbcLedger migrated = JdbcLedger.open(old)) {
            assertThat(migrated.chargingRecords(T0, T0.plusSeconds(61), 10)).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.STOP);
                assertThat(r.sequence()).isEqualTo(1);
                assertThat(r.cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
            });
        }
    }

    /** Runs one call per node at the same moment (barrier) and returns their results. */
    private static <T> List<T> sweepAtOnce(List<JdbcLedger> nodes, java.util.function.Function<JdbcLedger, T> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            CyclicBarrier start = new CyclicBarrier(nodes.size());
            List<Future<T>> futures = new ArrayList<>();
            for (JdbcLedger n : nodes) {
                Callable<T> task = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return call.apply(n);
                };
                futures.add(pool.submit(task));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
