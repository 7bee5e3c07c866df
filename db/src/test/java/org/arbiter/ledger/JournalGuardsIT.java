package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the journal ledger refuses: the wrong database, a second instance, a database of the other
 * ledger, a journal that does not apply again; and how it fails closed when the journal cannot be
 * written.
 */
class JournalGuardsIT {

    @TempDir
    Path dir;

    private Admission admit(JournalLedger ledger, String sid, long ul, long dl) {
        AccessPath p = path(ledger, "10.0.0.7");
        return ledger.admit(request(sid, List.of(hold(p, 1, UPLINK, ul), hold(p, 1, DOWNLINK, dl))));
    }

    // ---- opening

    @Test
    void anUnreachablePostgresqlServerIsNamedWithoutItsSecretsAndLeavesTheUrlFree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LedgerConfig pg = new LedgerConfig("jdbc:postgresql://127.0.0.1:" + port + "/x?password=s3cret", "arbiter", "hunter2",
                2, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ZERO);

        assertThatThrownBy(() -> JournalLedger.open(pg)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + port + "/x")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("hunter2");
        // the failed open was not left registered: the same URL fails for the same reason again
        assertThatThrownBy(() -> JournalLedger.open(pg)).hasMessageContaining("cannot open the ledger database")
                .hasMessageNotContaining("open in this process already");
    }

    @Test
    void aSecondInstanceOnTheSameDatabaseIsRefusedUntilTheFirstCloses() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        JournalLedger first = JournalFixtures.open(config, LedgerFixtures.smallTopology());
        try {
            admit(first, "s1", 100_000, 100_000);

            assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("open in this process already");
            LedgerConfig withSettings = LedgerConfig.of(config.jdbcUrl() + ";LOCK_TIMEOUT=5000", "arbiter", "");
            assertThatThrownBy(() -> JournalLedger.open(withSettings)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("open in this process already");
            assertThat(first.session("s1")).isPresent();
        } finally {
            first.close();
        }

        try (JournalLedger second = JournalLedger.open(config)) {
            assertThat(second.session("s1").orElseThrow().holds()).hasSize(6);
        }
    }

    @Test
    void closingAClosedLedgerAgainDoesNotLetAThirdInstanceIn() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        JournalLedger first = JournalFixtures.open(config, LedgerFixtures.smallTopology());
        first.close();
        JournalLedger second = JournalLedger.open(config);
        try {
            first.close();

            assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("open in this process already");
            assertThat(admit(second, "s1", 1_000, 1_000).status()).isEqualTo(Admission.Status.ADMITTED);
        } finally {
            second.close();
        }
    }

    @Test
    void theRelationalLedgerRefusesADatabaseTheJournalLedgerWrote() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger journal = JournalFixtures.open(config, LedgerFixtures.smallTopology())) {
            admit(journal, "s1", 1_000, 1_000);
        }

        assertThatThrownBy(() -> JdbcLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("ledger.journal");
        try (JournalLedger again = JournalLedger.open(config)) {
            assertThat(again.session("s1")).isPresent();
        }
    }

    @Test
    void aDatabaseTheJournalLedgerOnlyOpenedIsStillItsOwn() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        JournalLedger.open(config).close();

        assertThat(JournalFixtures.number(config, "SELECT COUNT(*) FROM journal_mark")).isEqualTo(1);
        assertThatThrownBy(() -> JdbcLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("ledger.journal");
    }

    @Test
    void theJournalLedgerRefusesADatabaseWithActiveHoldsOfTheRelationalLedger() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JdbcLedger relational = JdbcLedger.open(config)) {
            relational.applyTopology(LedgerFixtures.smallTopology(), false);
            AccessPath p = path(relational, "10.0.0.7");
            relational.admit(request("r1", List.of(hold(p, 1, UPLINK, 1_000))));
        }

        assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("3 active hold(s) of the relational ledger");
        assertThatThrownBy(() -> JournalLedger.open(config)).as("nothing stays open after a refusal")
                .hasMessageContaining("active hold(s)");

        try (JdbcLedger relational = JdbcLedger.open(config)) {
            assertThat(relational.release("r1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1))).isPresent();
        }
        try (JournalLedger journal = JournalLedger.open(config)) {
            assertThat(journal.pools()).allMatch(u -> u.usedUplinkBps() == 0 && u.usedDownlinkBps() == 0);
            assertThat(admit(journal, "j1", 1_000, 1_000).status()).isEqualTo(Admission.Status.ADMITTED);
        }
    }

    // ---- a journal that does not apply again

    @Test
    void aDamagedJournalRowStopsTheOpeningNamingTheRowUntilItIsRepaired() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        Map<String, SessionView> before;
        List<PoolUsage> poolsBefore;
        try (JournalLedger ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology())) {
            admit(ledger, "s1", 100_000, 200_000);
            ledger.commit("s1", T0.plusSeconds(1));
            admit(ledger, "s2", 1_000, 1_000);
            before = JournalFixtures.running(ledger);
            poolsBefore = ledger.pools();
        }
        long commit = JournalFixtures.lastSeq(config, "COMMIT", "s1");
        String good = JournalFixtures.body(config, commit);

        for (String damaged : List.of("garbage", good + JournalCodec.SEP + "1", "x" + good)) {
            JournalFixtures.rewrite(config, damaged, commit);

            assertThatThrownBy(() -> JournalLedger.open(config)).as(damaged).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("at row " + commit + ":");
        }
        assertThatThrownBy(() -> JournalLedger.open(config)).as("nothing stays open after a refusal")
                .hasMessageContaining("at row " + commit + ":");

        JournalFixtures.rewrite(config, good, commit);
        try (JournalLedger repaired = JournalLedger.open(config)) {
            assertThat(JournalFixtures.running(repaired)).isEqualTo(before);
            assertThat(repaired.pools()).isEqualTo(poolsBefore);
            assertThat(repaired.session("s1").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.COMMITTED);
        }
    }

    @Test
    void aWellFormedRowWhoseChangeComesOutOtherwiseStopsTheOpening() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JournalLedger ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology())) {
            admit(ledger, "kept", 1_000, 1_000);
            admit(ledger, "s1", 77_777, 1_000);
            ledger.commit("s1", T0.plusSeconds(1));
            ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2));
        }
        long release = JournalFixtures.lastSeq(config, "RELEASE", "s1");
        String good = JournalFixtures.body(config, release);
        String sep = String.valueOf(JournalCodec.SEP);
        assertThat(good).contains(sep + "77777" + sep);

        // the billing record says 77 778 bit/s where the session held 77 777
        JournalFixtures.rewrite(config, good.replace(sep + "77777" + sep, sep + "77778" + sep), release);
        assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("at row " + release + ":");

        // the commit is dated a second later than it was
        long commit = JournalFixtures.lastSeq(config, "COMMIT", "s1");
        String goodCommit = JournalFixtures.body(config, commit);
        JournalFixtures.rewrite(config, good, release);
        JournalFixtures.rewrite(config, new JournalCodec.Out().time(T0.plusSeconds(2)).toString(), commit);
        assertThatThrownBy(() -> JournalLedger.open(config)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("at row " + release + ":");

        JournalFixtures.rewrite(config, goodCommit, commit);
        try (JournalLedger repaired = JournalLedger.open(config)) {
            assertThat(JournalFixtures.running(repaired)).containsOnlyKeys("kept");
        }
    }

    // ---- failing closed

    @Test
    void aJournalWriteThatFailsClosesTheLedgerToEveryLaterChange() {
        LedgerConfig config = LedgerConfig.h2File(dir);
        Map<String, SessionView> durable;
        // a mark after every group: the table's constraint fails the mark that moves the row breaking it
        try (JournalLedger ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology(), Duration.ZERO)) {
            // one call at a time, each waiting for its mark: every row is in the table before the next call
            ledger.awaitMarked();
            admit(ledger, "s1", 100_000, 200_000);
            ledger.awaitMarked();
            ledger.commit("s1", T0.plusSeconds(1));
            ledger.awaitMarked();
            assertThat(JournalFixtures.tableLastSeq(config))
                    .isEqualTo(JournalFixtures.count(config, null));
            long next = JournalFixtures.count(config, null) + 1;
            JournalFixtures.execute(config, "ALTER TABLE journal_block ADD CONSTRAINT j_stop CHECK (last_seq < " + next + ")");

            // s2's row is durable in its journal log when the call returns; the mark that would
            // move it into the table fails after, and closes the ledger
            assertThat(ledger.failure()).isEmpty();
            assertThat(admit(ledger, "s2", 1_000, 1_000).status()).isEqualTo(Admission.Status.ADMITTED);
            durable = JournalFixtures.running(ledger);
            ledger.awaitMarked();
            assertThat(ledger.failure()).hasValueSatisfying(m -> assertThat(m).contains("failed closed").contains("journal mark")
                    .contains("J_STOP"));
            assertThatThrownBy(() -> admit(ledger, "s3", 1_000, 1_000)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("failed closed").hasMessageContaining("journal mark");
            assertThatThrownBy(() -> ledger.commit("s1", T0.plusSeconds(2))).isInstanceOf(LedgerException.class);
            assertThatThrownBy(() -> ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(3)))
                    .isInstanceOf(LedgerException.class);
            assertThatThrownBy(() -> ledger.expire(T0.plusSeconds(3600), 10)).isInstanceOf(LedgerException.class);
            assertThatThrownBy(() -> ledger.writeInterim(T0.plusSeconds(600), Duration.ofSeconds(60), 10))
                    .isInstanceOf(LedgerException.class);
            assertThatThrownBy(() -> ledger.recordRejection("s4", "pcscf", LedgerFixtures.reject("r"), T0))
                    .isInstanceOf(LedgerException.class);
            // the journal holds s2's row, in its log only, and nothing after it
            assertThat(JournalFixtures.count(config, null)).isEqualTo(next);
            assertThat(JournalFixtures.tableLastSeq(config)).isLessThan(next);
        }

        JournalFixtures.execute(config, "ALTER TABLE journal_block DROP CONSTRAINT j_stop");
        // nothing answered is lost: the opening moves s2's row from the log into the table
        try (JournalLedger reopened = JournalLedger.open(config)) {
            assertThat(JournalFixtures.running(reopened)).isEqualTo(durable).containsOnlyKeys("s1", "s2");
            assertThat(reopened.pool("line-a").orElseThrow().usedDownlinkBps()).isEqualTo(201_000);
            assertThat(reopened.session("s1").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.COMMITTED);
            assertThat(admit(reopened, "s3", 1_000, 1_000).status()).isEqualTo(Admission.Status.ADMITTED);
        }
    }
}
