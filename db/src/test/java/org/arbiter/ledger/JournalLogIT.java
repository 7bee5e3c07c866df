package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal logs of an H2 file: rows the writer has logged but not yet moved into
 * {@code journal_block} are read by the writer's ledger and by a reader, opening moves them into
 * the table, and a log that does not continue the table stops the opening.
 */
class JournalLogIT {

    /** Long enough that the writer moves nothing during a test: every row stays in the logs. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static void admitAndRelease(JournalLedger ledger, String running, String released) {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request(running, T0, List.of(hold(p, 1, UPLINK, 1_000), hold(p, 1, DOWNLINK, 1_000))));
        ledger.commit(running, T0.plusMillis(1));
        ledger.admit(request(released, T0.plusSeconds(1), List.of(hold(p, 2, UPLINK, 1_000))));
        ledger.release(released, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(5));
    }

    @Test
    void rowsOnlyInTheLogsAreReadByTheWriterAndByAReader() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalLedger.open(config, NEVER)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            admitAndRelease(ledger, "running", "ended");

            // durable (each call returned), in the logs only
            assertThat(JournalFixtures.tableLastSeq(config)).isZero();
            assertThat(JournalFixtures.logPaths(config)).anySatisfy(p -> assertThat(JournalLog.readFile(p).entries()).isNotEmpty());
            assertThat(ledger.decisions("running")).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo("ADMITTED"));
            assertThat(ledger.recentDecisions(5)).extracting(AuditedDecision::sessionId).containsExactly("ended", "running");
            assertThat(ledger.chargingRecords(T0, T0.plusSeconds(10), 10)).singleElement()
                    .satisfies(r -> assertThat(r.sessionId()).isEqualTo("ended"));

            try (JournalLedger reader = JournalLedger.openReadOnly(config)) {
                assertThat(reader.session("running")).isPresent();
                assertThat(reader.session("ended")).isEmpty();
                assertThat(reader.activeSessions()).isEqualTo(1);
                assertThat(reader.decisions("ended")).extracting(AuditedDecision::outcome).containsExactly("ADMITTED");
                assertThat(reader.chargingRecords(T0, T0.plusSeconds(10), 10)).hasSize(1);
            }
        }
        // closing moves them into the table and empties the logs
        assertThat(JournalFixtures.tableLastSeq(config)).isEqualTo(4);
        assertThat(JournalFixtures.logPaths(config)).allSatisfy(p -> assertThat(JournalLog.readFile(p).entries()).isEmpty());
    }

    @Test
    void theWriterStartsAtMostOneLogForceEveryInterval() throws Exception {
        Duration every = Duration.ofMillis(100);
        int callers = 8;
        int sessionsEach = 5;
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalLedger.open(config, NEVER, every)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            AccessPath p = path(ledger, "10.0.0.7");
            long forcesBefore = ledger.writerCounts().forces();
            long started = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            AtomicInteger released = new AtomicInteger();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < sessionsEach; i++) {
                        String id = "s-" + caller + "-" + i;
                        ledger.admit(request(id, T0, List.of(hold(p, 1, UPLINK, 1))));
                        if (ledger.release(id, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1)).isPresent()) {
                            released.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(60))).as("caller finished").isTrue();
            }
            long elapsed = System.nanoTime() - started;
            long forces = ledger.writerCounts().forces() - forcesBefore;

            // 80 durable calls, each waiting for a force: without the pause nearly one force each
            assertThat(released.get()).isEqualTo(callers * sessionsEach);
            assertThat(forces).isPositive().isLessThanOrEqualTo(elapsed / every.toNanos() + 1);
            assertThat(ledger.activeSessions()).isZero();
        }
    }

    @Test
    void theJournalLedgerKeepsH2sPageCacheSmallOnItsFile() {
        String small = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE' AND SETTING_VALUE = '"
                + JournalLedger.H2_CACHE_KB + "'";
        LedgerConfig relationalFile = LedgerConfig.h2File(dir.resolve("relational"));
        try (JdbcLedger relational = JdbcLedger.open(relationalFile)) {
            // the relational ledger keeps H2's default, sized by the heap
            assertThat(JournalFixtures.number(relationalFile, small)).isZero();
        }
        LedgerConfig journalFile = LedgerConfig.h2File(dir.resolve("journal"));
        try (JournalLedger ledger = JournalLedger.open(journalFile)) {
            assertThat(JournalFixtures.number(journalFile, small)).isOne();
        }
    }

    @Test
    void theWriterMovesLoggedRowsIntoTheTableWithTheMark() throws Exception {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalLedger.open(config, Duration.ofMillis(1))) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            admitAndRelease(ledger, "running", "ended");
            // the move follows a group written after the mark is due
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int n = 0;
            while (JournalFixtures.tableLastSeq(config) < 4 && System.nanoTime() < deadline) {
                ledger.recordRejection("r" + n++, "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0);
            }
            assertThat(JournalFixtures.tableLastSeq(config)).isGreaterThanOrEqualTo(4);
            assertThat(ledger.decisions("running")).hasSize(1);
        }
    }

    @Test
    void callsReturnWhileAMarkWaitsForTheDatabase() throws Exception {
        LedgerConfig config = LedgerConfig.h2File(dir);
        // a mark after every group, whose transaction waits while another one holds the mark's row
        try (JournalLedger ledger = JournalLedger.open(config, Duration.ZERO);
             Connection holder = JournalFixtures.connect(config)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            ledger.awaitMarked();
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT replay_from FROM journal_mark WHERE id = 1 FOR UPDATE").close();
            }
            long before = JournalFixtures.tableLastSeq(config);

            // every call is durable in the logs and returns while the first mark waits (the
            // writer does not wait for it)
            admitAndRelease(ledger, "running", "ended");
            assertThat(JournalFixtures.tableLastSeq(config)).isEqualTo(before);
            assertThat(ledger.session("running")).isPresent();

            holder.rollback();
            ledger.awaitMarked();
            assertThat(JournalFixtures.tableLastSeq(config)).as("the first mark, once the row is free").isGreaterThan(before);
            ledger.recordRejection("r", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0);
            ledger.awaitMarked();
            assertThat(JournalFixtures.tableLastSeq(config)).isEqualTo(before + 5);
        }
        assertThat(JournalFixtures.logPaths(config)).allSatisfy(p -> assertThat(JournalLog.readFile(p).entries()).isEmpty());
    }

    @Test
    void aProcessKilledWithItsRowsInTheLogsOnlyLeavesThemToTheNextOpening() throws Exception {
        LedgerConfig config = LedgerConfig.h2File(dir);
        JournalFixtures.open(config, Hammer.contendedTopology()).close();
        long before = JournalFixtures.tableLastSeq(config);

        Map<String, String> told = JournalCrashIT.runAndKill(config, 100, 0, NEVER.toMillis());

        assertThat(JournalFixtures.tableLastSeq(config)).as("every row the child wrote is in its logs only").isEqualTo(before);
        try (JournalLedger restarted = JournalLedger.open(config)) {
            assertThat(JournalCrashIT.assertRebuildsWhatItWasTold(config, restarted, told)).isPositive();
            assertThat(JournalFixtures.tableLastSeq(config)).isGreaterThan(before);
        }
    }

    @Test
    void openingMovesTheRowsOfTheLogsIntoTheTable() throws IOException {
        LedgerConfig config = LedgerConfig.h2File(dir);
        Path logCopy = dir.resolve("copy");
        try (JournalLedger ledger = JournalLedger.open(config, NEVER)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            admitAndRelease(ledger, "running", "ended");
            // what the logs held while it ran: as a killed process leaves them
            Files.copy(JournalFixtures.logPaths(config).getFirst(), logCopy);
        }
        // as if the close had not moved them: the table without them, the log with them
        JournalFixtures.execute(config, "DELETE FROM journal_block WHERE first_seq > 0");
        JournalFixtures.execute(config, "DELETE FROM journal_session");
        JournalFixtures.execute(config, "UPDATE journal_mark SET replay_from = 1, indexed_to = 0");
        Files.copy(logCopy, JournalFixtures.logPaths(config).getFirst(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        try (JournalLedger reopened = JournalLedger.open(config)) {
            assertThat(reopened.session("running")).isPresent();
            assertThat(reopened.session("ended")).isEmpty();
            assertThat(reopened.decisions("ended")).hasSize(1);
            assertThat(JournalFixtures.tableLastSeq(config)).isEqualTo(4);
            assertThat(JournalFixtures.logPaths(config)).allSatisfy(p -> assertThat(JournalLog.readFile(p).entries()).isEmpty());
        }
    }

    @Test
    void aLogThatDoesNotContinueTheTableStopsTheOpeningAndIsKept() throws IOException {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalLedger.open(config, NEVER)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            admitAndRelease(ledger, "running", "ended");
        }
        Path log = JournalFixtures.logPaths(config).get(1);
        try (JournalLog l = JournalLog.open(log)) {
            // rows 8 and 9 where row 5 would follow the table's 4
            l.append(List.of(new JournalBlock.Builder().add(8, "COMMIT", "x", T0, "").add(9, "COMMIT", "x", T0, "").build()));
        }
        long size = Files.size(log);

        assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("hold rows 8 to 9 where row 5 follows the journal")
                .hasMessageContaining("rather than open with rows missing");
        assertThat(log).hasSize(size);

        Files.delete(log);
        try (JournalLog l = JournalLog.open(log)) {
            // a record whose block is not its rows
            l.append(List.of(new JournalBlock.Data(5, 5, T0, T0, new byte[] {1, 2})));
        }
        assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("hold a malformed block of rows 5 to 5");
        assertThat(JournalFixtures.tableLastSeq(config)).isEqualTo(4);
    }
}
