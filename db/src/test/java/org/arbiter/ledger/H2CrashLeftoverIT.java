package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 file whose writer was killed in the middle of a commit, opened again.
 *
 * <p>{@code h2-crash-leftover/arbiter.mv.db} is the file of a run of {@link H2CrashRecoveryIT}
 * that hung, as that run left it: the contended topology, 80 sessions, and one more transaction,
 * the admission of {@code c2-20} (six RESERVED holds of 40 kbit/s, both directions on line-3-1,
 * up-3 and agg), that H2 had marked committed but not applied when the process died. H2 2.5.252
 * leaves such a transaction at open: readers did not see {@code c2-20}, and the first write to one
 * of its rows (expiry's counter update on agg) spun for ever ({@link H2LeftoverTransactions}).
 * Every test runs on a copy, under a bound: a spinning thread cannot be interrupted, so the test
 * fails at the bound instead of hanging the build.
 */
class H2CrashLeftoverIT {

    /** After every reservation in the file ran out (the last at 10:57:56.6), before any authorization did. */
    private static final Instant AFTER_RESERVATIONS = Instant.parse("2026-11-28T10:58:00Z");
    /** Each test takes a few seconds; spinning in H2, it would never end. */
    private static final Duration BOUND = Duration.ofMinutes(2);
    /** Expiry of the file's sessions takes well under a second; it spun for ever before the fix. */
    private static final Duration EXPIRY_BOUND = Duration.ofSeconds(30);
    private static final String LEFTOVER = "c2-20";

    @TempDir
    Path dir;

    private LedgerConfig config;

    @BeforeEach
    void copyTheFile() throws IOException {
        try (InputStream in = H2CrashLeftoverIT.class.getResourceAsStream("/h2-crash-leftover/arbiter.mv.db")) {
            assertThat(in).as("h2-crash-leftover/arbiter.mv.db on the test class path").isNotNull();
            Files.copy(in, dir.resolve("arbiter.mv.db"));
        }
        config = LedgerConfig.h2File(dir);
    }

    @Test
    void theLeftoverAdmissionIsAppliedWhenTheLedgerOpens() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (JdbcLedger ledger = JdbcLedger.open(config)) {
                assertThat(ledger.sessions(null, null, 1_000)).hasSize(81);
                SessionView s = ledger.session(LEFTOVER).orElseThrow();
                assertThat(s.holds()).hasSize(6)
                        .allMatch(h -> h.state() == HoldState.RESERVED && h.bandwidthBps() == 40_000);
                assertThat(s.holds()).extracting(Hold::poolId).containsOnly("line-3-1", "up-3", "agg");
                assertThat(ledger.recount(false)).as("counters equal the active holds").isEmpty();
            }
        }, "opening the ledger on the kept file and reading it did not end within " + BOUND);
    }

    @Test
    void expiryReturnsAndEndsExactlyTheReservationsThatRanOut() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (JdbcLedger ledger = JdbcLedger.open(config)) {
                List<SessionView> before = sessions(ledger);
                Set<String> due = new TreeSet<>();
                Map<String, Long> freed = new HashMap<>();
                long committed = 0;
                for (SessionView s : before) {
                    List<Hold> active = s.holds().stream().filter(h -> h.state().active()).toList();
                    committed += active.stream().filter(h -> h.state() == HoldState.COMMITTED).count();
                    if (active.stream().anyMatch(h -> !h.expiresAt().isAfter(AFTER_RESERVATIONS))) {
                        assertThat(active).as(s.sessionId() + ": only reservations run out by then")
                                .allMatch(h -> h.state() == HoldState.RESERVED);
                        due.add(s.sessionId());
                        active.forEach(h -> freed.merge(key(h.poolId(), h.direction()), h.bandwidthBps(), Long::sum));
                    }
                }
                assertThat(due).contains(LEFTOVER).hasSizeGreaterThan(1);
                Map<String, Long> usedBefore = used(ledger);

                List<SessionRelease> expired = assertTimeoutPreemptively(EXPIRY_BOUND,
                        () -> ledger.expire(AFTER_RESERVATIONS, 100_000),
                        "expire on the kept file did not return within " + EXPIRY_BOUND);

                assertThat(expired).extracting(SessionRelease::sessionId).containsExactlyInAnyOrderElementsOf(due);
                due.forEach(sid -> assertThat(ledger.session(sid).orElseThrow().holds()).as(sid)
                        .allMatch(h -> h.state() == HoldState.EXPIRED));
                Map<String, Long> usedAfter = used(ledger);
                usedBefore.forEach((k, v) -> assertThat(usedAfter.get(k)).as(k).isEqualTo(v - freed.getOrDefault(k, 0L)));
                for (PoolSpec p : ledger.topology().pools()) {
                    PoolUsage u = ledger.pool(p.id()).orElseThrow();
                    assertThat(u.headroomUplinkBps()).as(p.id() + " uplink headroom").isNotNegative();
                    assertThat(u.headroomDownlinkBps()).as(p.id() + " downlink headroom").isNotNegative();
                }
                assertThat(ledger.recount(false)).as("counters equal the active holds").isEmpty();
                List<Hold> left = sessions(ledger).stream().flatMap(s -> s.holds().stream()).toList();
                assertThat(left).noneMatch(h -> h.state() == HoldState.RESERVED);
                assertThat(left).filteredOn(h -> h.state() == HoldState.COMMITTED).hasSize((int) committed);
            }
        }, "opening the ledger on the kept file and expiring did not end within " + BOUND);
    }

    @Test
    void aFileOpenedOnceHoldsNoLeftoverAndKeepsTheAdmission() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
                assertThat(H2LeftoverTransactions.finish(c, config.redactedUrl()))
                        .containsExactly(new H2LeftoverTransactions.Finished(2, 39));
            }
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
                assertThat(H2LeftoverTransactions.finish(c, config.redactedUrl())).isEmpty();
            }
            try (JdbcLedger ledger = JdbcLedger.open(config)) {
                assertThat(ledger.session(LEFTOVER)).isPresent();
                assertThat(ledger.recount(false)).isEmpty();
            }
        }, "opening the kept file three times did not end within " + BOUND);
    }

    private static List<SessionView> sessions(JdbcLedger ledger) {
        List<SessionView> out = new ArrayList<>();
        ledger.sessions(null, null, 1_000).forEach(s -> out.add(ledger.session(s.sessionId()).orElseThrow()));
        return out;
    }

    private static Map<String, Long> used(JdbcLedger ledger) {
        Map<String, Long> out = new HashMap<>();
        for (PoolSpec p : ledger.topology().pools()) {
            PoolUsage u = ledger.pool(p.id()).orElseThrow();
            out.put(key(p.id(), Direction.UPLINK), u.usedUplinkBps());
            out.put(key(p.id(), Direction.DOWNLINK), u.usedDownlinkBps());
        }
        return out;
    }

    private static String key(String poolId, Direction d) {
        return poolId + " " + d;
    }
}
