package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may write a shared PostgreSQL database ({@link LedgerClaim}): one journal ledger, or any
 * number of relational ledgers, never both; and a journal ledger another node took over from
 * writes nothing more. A second node is a second URL of the same schema (another parameter), so
 * that this process does not refuse it as already open.
 */
class PostgresJournalOwnerIT {

    @RegisterExtension
    static final PostgresPerClass POSTGRES = new PostgresPerClass();

    private LedgerConfig nodeA;
    private LedgerConfig nodeB;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void schema() {
        nodeA = POSTGRES.newLedgerConfig().withMaxPoolSize(3);
        nodeB = LedgerConfig.of(nodeA.jdbcUrl() + "&connectTimeout=9", nodeA.user(), nodeA.password()).withMaxPoolSize(3);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T ledger) {
        opened.add(ledger);
        return ledger;
    }

    private JournalLedger journal(LedgerConfig config) {
        return keep(JournalLedger.open(config));
    }

    /** Ends the claim connections of journal ledgers, as a lost connection or a server restart would. */
    private static int dropJournalClaims(LedgerConfig config) {
        return dropClaims(config, "arbiter journal ledger");
    }

    private static int dropClaims(LedgerConfig config, String application) {
        return (int) JournalFixtures.number(config, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = ?", application);
    }

    @Test
    void aSecondJournalLedgerIsRefusedNamingTheFirstUntilTheFirstCloses() {
        JournalLedger a = keep(JournalFixtures.open(nodeA, LedgerFixtures.smallTopology()));

        assertThatThrownBy(() -> JournalLedger.open(nodeB)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("is in use by a journal ledger (server process")
                .hasMessageContaining("application 'arbiter journal ledger'")
                .hasMessageContaining("writes its database alone");

        a.close();
        JournalLedger b = journal(nodeB);
        assertThat(b.pool("bras-1")).isPresent();
    }

    @Test
    void relationalAndJournalLedgersRefuseEachOthersDatabaseWhileOpen() {
        JdbcLedger r1 = keep(JdbcLedger.open(nodeA));
        JdbcLedger r2 = keep(JdbcLedger.open(nodeB));
        r1.applyTopology(LedgerFixtures.smallTopology(), false);
        assertThat(r2.pool("bras-1")).as("relational ledgers share a database").isPresent();

        LedgerConfig nodeC = LedgerConfig.of(nodeA.jdbcUrl() + "&connectTimeout=8", nodeA.user(), nodeA.password());
        assertThatThrownBy(() -> JournalLedger.open(nodeC)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("is in use by a relational ledger (server process")
                .hasMessageContaining("application 'arbiter relational ledger'");
        r1.close();
        r2.close();

        LedgerConfig fresh = POSTGRES.newLedgerConfig();
        LedgerConfig freshB = LedgerConfig.of(fresh.jdbcUrl() + "&connectTimeout=9", fresh.user(), fresh.password());
        journal(fresh);
        assertThatThrownBy(() -> JdbcLedger.open(freshB)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("is in use by a journal ledger")
                .hasMessageContaining("relational ledgers (ledger.journal: false) share a database with each other");
    }

    @Test
    void aNodeTakenOverFromWritesNothingMoreAndTheNewOwnerHasEverythingItWrote() {
        JournalLedger a = keep(JournalFixtures.open(nodeA, LedgerFixtures.smallTopology()));
        assertThat(LedgerFixtures.admitOnLineA(a, "before", 100_000, 100_000).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(JournalFixtures.number(nodeA, "SELECT epoch FROM journal_owner")).isEqualTo(1);

        assertThat(dropJournalClaims(nodeA)).isEqualTo(1);
        JournalLedger b = journal(nodeB);
        assertThat(JournalFixtures.number(nodeA, "SELECT epoch FROM journal_owner")).isEqualTo(2);
        assertThat(b.session("before")).as("the new owner replayed the old one's rows").isPresent();

        assertThatThrownBy(() -> LedgerFixtures.admitOnLineA(a, "after", 100_000, 100_000)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("was taken over by").hasMessageContaining("owner 2");
        assertThatThrownBy(() -> a.release("before", TerminationCause.DIAMETER_LOGOUT, LedgerFixtures.T0))
                .as("failed closed").isInstanceOf(LedgerException.class);
        assertThat(JournalFixtures.kinds(nodeA, "after")).as("nothing of the old owner after the takeover").isEmpty();
        assertThat(a.failure()).hasValueSatisfying(m -> assertThat(m).contains("failed closed").contains("was taken over by"));
        assertThat(b.failure()).isEmpty();

        assertThat(LedgerFixtures.admitOnLineA(b, "after", 100_000, 100_000).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(JournalFixtures.kinds(nodeA, "after")).containsExactly("ADMIT");
    }

    @Test
    void aChangeQueuedBeforeTheTakeoverFailsItsStageAndIsNotAnswered() {
        JournalLedger a = keep(JournalFixtures.open(nodeA, LedgerFixtures.smallTopology()));
        LedgerFixtures.admitOnLineA(a, "s1", 100_000, 100_000);
        dropJournalClaims(nodeA);
        journal(nodeB);

        // applied in memory and queued; the writer's write is refused by the new owner's epoch
        assertThat(a.commitBeforeDurable("s1", LedgerFixtures.T0.plusSeconds(1))).isTrue();
        assertThat(a.whenDurable().toCompletableFuture()).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(LedgerException.class)
                .withMessageContaining("did not reach disk").withMessageContaining("was taken over by");
        assertThat(JournalFixtures.kinds(nodeA, "s1")).containsExactly("ADMIT");
        assertThat(a.failure()).isPresent();
    }

    @Test
    void closingATakenOverNodeLeavesTheNewOwnersMarkAlone() {
        JournalLedger a = keep(JournalFixtures.open(nodeA, LedgerFixtures.smallTopology()));
        LedgerFixtures.admitOnLineA(a, "s1", 100_000, 100_000);
        dropJournalClaims(nodeA);
        JournalLedger b = journal(nodeB);
        LedgerFixtures.admitOnLineA(b, "s2", 100_000, 100_000);
        b.close();
        Timestamp mark = markWritten();
        long nextHold = JournalFixtures.number(nodeA, "SELECT next_hold_id FROM journal_mark");

        a.close();

        assertThat(markWritten()).as("written_at of the mark").isEqualTo(mark);
        assertThat(JournalFixtures.number(nodeA, "SELECT next_hold_id FROM journal_mark")).isEqualTo(nextHold);
    }

    @Test
    void aRelationalLedgerThatLostItsClaimWritesNothingOnceAJournalLedgerOpenedTheDatabase() {
        JdbcLedger r = keep(JdbcLedger.open(nodeA));
        r.applyTopology(LedgerFixtures.smallTopology(), false);
        assertThat(LedgerFixtures.admitOnLineA(r, "before", 100_000, 100_000).status()).isEqualTo(Admission.Status.ADMITTED);
        r.release("before", TerminationCause.DIAMETER_LOGOUT, LedgerFixtures.T0);

        assertThat(r.failure()).isEmpty();
        assertThat(dropClaims(nodeA, "arbiter relational ledger")).isEqualTo(1);
        JournalLedger j = journal(nodeB);

        assertThatThrownBy(() -> LedgerFixtures.admitOnLineA(r, "after", 100_000, 100_000)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("this relational ledger lost its claim")
                .hasMessageContaining("now in use by a journal ledger (server process")
                .hasMessageContaining("writes nothing more");
        assertThat(JournalFixtures.number(nodeA, "SELECT COUNT(*) FROM sessions WHERE session_id = 'after'"))
                .as("the refused write was rolled back").isZero();
        assertThat(r.failure()).hasValueSatisfying(m -> assertThat(m).contains("lost its claim").contains("writes nothing more"));

        j.close();
        assertThatThrownBy(() -> LedgerFixtures.admitOnLineA(r, "later", 100_000, 100_000))
                .as("failed closed for good, even once the journal ledger closed").isInstanceOf(LedgerException.class)
                .hasMessageContaining("lost its claim");
        assertThat(JournalFixtures.number(nodeA, "SELECT COUNT(*) FROM sessions WHERE session_id = 'later'")).isZero();
    }

    @Test
    void relationalLedgersKeepWritingSideBySide() {
        JdbcLedger r1 = keep(JdbcLedger.open(nodeA));
        r1.applyTopology(LedgerFixtures.smallTopology(), false);
        JdbcLedger r2 = keep(JdbcLedger.open(nodeB));
        assertThat(LedgerFixtures.admitOnLineA(r1, "one", 100_000, 100_000).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(LedgerFixtures.admitOnLineA(r2, "two", 100_000, 100_000).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(JournalFixtures.number(nodeA, "SELECT COUNT(*) FROM sessions WHERE session_id IN ('one', 'two')")).isEqualTo(2);
    }

    private Timestamp markWritten() {
        try (Connection c = JournalFixtures.connect(nodeA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT written_at FROM journal_mark WHERE id = 1")) {
            rs.next();
            return rs.getTimestamp(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
