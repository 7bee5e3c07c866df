package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal of schema version 5 (one database row per journal row) opened by this version: its
 * rows move into blocks unchanged, and the ledger opens on exactly the state it had.
 */
class JournalBlockMigrationIT {

    @TempDir
    Path original;
    @TempDir
    Path legacy;

    private static void admit(JournalLedger ledger, String sid, long bps) {
        AccessPath p = path(ledger, "10.0.0.7");
        ledger.admit(request(sid, List.of(hold(p, 1, UPLINK, bps), hold(p, 1, DOWNLINK, bps))));
    }

    @Test
    void aVersion5JournalIsCarriedOverIntoBlocksAndOpensOnTheSameState() throws SQLException {
        LedgerConfig source = LedgerConfig.h2File(original);
        try (JournalLedger ledger = JournalFixtures.open(source, LedgerFixtures.smallTopology())) {
            admit(ledger, "running", 100_000);
            ledger.commit("running", T0.plusSeconds(1));
            admit(ledger, "done", 200_000);
            ledger.commit("done", T0.plusSeconds(1));
            ledger.release("done", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(30));
            ledger.recordRejection("refused", "pcscf.example.net", LedgerFixtures.reject("r-deny"), T0.plusSeconds(2));
            admit(ledger, "updated", 50_000);
            admit(ledger, "updated", 70_000);
        }
        List<JournalBlock.Row> rows = JournalFixtures.rows(source);
        long replayFrom = JournalFixtures.replayFrom(source);
        long nextHold = JournalFixtures.number(source, "SELECT next_hold_id FROM journal_mark WHERE id = 1");
        Map<String, SessionView> running;
        List<PoolUsage> pools;
        List<AuditedDecision> decisions;
        List<ChargingRecord> records;
        try (JournalLedger ledger = JournalLedger.open(source)) {
            running = JournalFixtures.running(ledger);
            pools = ledger.pools();
            decisions = ledger.recentDecisions(100);
            records = ledger.chargingRecords(T0, T0.plusSeconds(3600), 100);
        }
        assertThat(running).containsOnlyKeys("running", "updated");
        assertThat(records).hasSize(1);

        // the same journal as version 5 kept it
        LedgerConfig target = LedgerConfig.h2File(legacy);
        JournalFixtures.open(target, LedgerFixtures.smallTopology()).close();
        try (Connection c = JournalFixtures.connect(target); Statement s = c.createStatement()) {
            s.execute("DROP TABLE journal_session");
            s.execute("DROP TABLE journal_block");
            s.execute("DROP TABLE journal_owner");
            s.execute("ALTER TABLE journal_mark DROP COLUMN indexed_to");
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('6', '7', '8')");
            s.execute("CREATE TABLE journal (seq BIGINT NOT NULL PRIMARY KEY, kind VARCHAR(10) NOT NULL, "
                    + "session_id VARCHAR(1024) NOT NULL, written_at TIMESTAMP WITH TIME ZONE NOT NULL, body VARCHAR NOT NULL)");
            s.execute("CREATE INDEX journal_session ON journal (session_id)");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO journal (seq, kind, session_id, written_at, body) VALUES (?, ?, ?, ?, ?)")) {
                for (JournalBlock.Row r : rows) {
                    ps.setLong(1, r.seq());
                    ps.setString(2, r.kind());
                    ps.setString(3, r.sessionId());
                    ps.setTimestamp(4, Timestamp.from(r.at()));
                    ps.setString(5, r.body());
                    ps.executeUpdate();
                }
            }
            s.execute("UPDATE journal_mark SET replay_from = " + replayFrom + ", next_hold_id = " + nextHold);
        }

        try (JournalLedger ledger = JournalLedger.open(target)) {
            assertThat(JournalFixtures.running(ledger)).isEqualTo(running);
            assertThat(ledger.pools()).isEqualTo(pools);
            assertThat(ledger.recentDecisions(100)).isEqualTo(decisions);
            assertThat(ledger.decisions("updated")).hasSize(2);
            assertThat(ledger.chargingRecords(T0, T0.plusSeconds(3600), 100)).isEqualTo(records);
            // the next session continues the journal's numbers
            admit(ledger, "after", 1_000);
        }
        List<JournalBlock.Row> carried = JournalFixtures.rows(target);
        assertThat(carried.subList(0, rows.size())).isEqualTo(rows);
        assertThat(carried.getLast().seq()).isEqualTo(rows.getLast().seq() + 1);
        assertThat(JournalFixtures.number(target, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'JOURNAL'"))
                .as("the version 5 table is gone").isZero();
        // a run each of running, done and updated, the rejection, and the run of after
        assertThat(JournalFixtures.number(target, "SELECT COUNT(*) FROM journal_session")).isEqualTo(5);
    }
}
