package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.qos.Direction;

/**
 * Helpers of the journal ledger tests: opening with a topology, and reading the journal with
 * plain JDBC on the ledger's own URL (an embedded H2 database takes a second connection in the
 * same JVM).
 */
final class JournalFixtures {

    private JournalFixtures() {}

    /** Opens the journal ledger and makes its topology {@code topology}. */
    static JournalLedger open(LedgerConfig config, Topology topology) {
        return open(config, topology, JournalLedger.MARK_EVERY);
    }

    /** Opens the journal ledger, its writer moving the mark every {@code markEvery}, and makes its topology {@code topology}. */
    static JournalLedger open(LedgerConfig config, Topology topology, java.time.Duration markEvery) {
        JournalLedger ledger = JournalLedger.open(config, markEvery);
        try {
            ledger.applyTopology(topology, false);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
        return ledger;
    }

    static Connection connect(LedgerConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
    }

    /** The last journal row in {@code journal_block} (0 when empty): rows only in the journal logs are not counted. */
    static long tableLastSeq(LedgerConfig config) {
        return number(config, "SELECT COALESCE(MAX(last_seq), 0) FROM journal_block");
    }

    /** The single number a query returns. */
    static long number(LedgerConfig config, String sql, Object... params) {
        try (Connection c = connect(config); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError(sql + ": no row");
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs one statement; returns the rows it changed. */
    static int execute(LedgerConfig config, String sql, Object... params) {
        try (Connection c = connect(config); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every journal row, oldest first, decoded from the blocks: those of the table, then, on an
     * H2 file, those still only in the journal logs (the writer moves them every 200 ms).
     */
    static List<JournalBlock.Row> rows(LedgerConfig config) {
        List<JournalBlock.Row> out = new ArrayList<>();
        // the logs first: rows moved into the table meanwhile are read there
        List<JournalLog.Entry> logged = new ArrayList<>();
        for (Path p : logPaths(config)) {
            logged.addAll(JournalLog.readFile(p).entries());
        }
        logged.sort(Comparator.comparingLong(JournalLog.Entry::firstSeq));
        try (Connection c = connect(config);
             PreparedStatement ps = c.prepareStatement("SELECT first_seq, last_seq, data FROM journal_block ORDER BY first_seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.addAll(JournalBlock.decode(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        long last = out.isEmpty() ? 0 : out.getLast().seq();
        for (JournalLog.Entry e : logged) {
            for (JournalBlock.Row r : JournalBlock.decode(e.firstSeq(), e.lastSeq(), e.block())) {
                if (r.seq() > last) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The journal logs of an H2 file database; none for another database. */
    static List<Path> logPaths(LedgerConfig config) {
        if (!config.jdbcUrl().startsWith("jdbc:h2:file:")) {
            return List.of();
        }
        try (Connection c = connect(config); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE_PATH()")) {
            rs.next();
            return List.of(JournalLog.pathOf(rs.getString(1), 0), JournalLog.pathOf(rs.getString(1), 1));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The number of journal rows of one kind, or of every kind when {@code kind} is null. */
    static long count(LedgerConfig config, String kind) {
        return rows(config).stream().filter(r -> kind == null || r.kind().equals(kind)).count();
    }

    /** The journal as "seq kind session" lines, oldest first. */
    static List<String> journal(LedgerConfig config) {
        return rows(config).stream().map(r -> r.seq() + " " + r.kind() + " " + r.sessionId()).toList();
    }

    /** The kinds of the journal rows of one session, oldest first. */
    static List<String> kinds(LedgerConfig config, String sessionId) {
        return rows(config).stream().filter(r -> r.sessionId().equals(sessionId)).map(JournalBlock.Row::kind).toList();
    }

    /** The body of one journal row. */
    static String body(LedgerConfig config, long seq) {
        return rows(config).stream().filter(r -> r.seq() == seq).findFirst()
                .orElseThrow(() -> new AssertionError("no journal row " + seq)).body();
    }

    /** Replaces the body of one journal row in its block, as damage on disk would. */
    static void rewrite(LedgerConfig config, String body, long seq) {
        try (Connection c = connect(config);
             PreparedStatement read = c.prepareStatement("SELECT first_seq, last_seq, data FROM journal_block "
                     + "WHERE first_seq <= ? AND last_seq >= ?");
             PreparedStatement write = c.prepareStatement("UPDATE journal_block SET data = ? WHERE first_seq = ?")) {
            read.setLong(1, seq);
            read.setLong(2, seq);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no journal block holds row " + seq);
                }
                JournalBlock.Builder b = new JournalBlock.Builder();
                for (JournalBlock.Row r : JournalBlock.decode(rs.getLong(1), rs.getLong(2), rs.getBytes(3))) {
                    b.add(r.seq(), r.kind(), r.sessionId(), r.at(), r.seq() == seq ? body : r.body());
                }
                write.setBytes(1, b.bytes());
                write.setLong(2, rs.getLong(1));
                assertThat(write.executeUpdate()).isEqualTo(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The seq of the last row of one kind of one session. */
    static long lastSeq(LedgerConfig config, String kind, String sessionId) {
        return rows(config).stream().filter(r -> r.kind().equals(kind) && r.sessionId().equals(sessionId))
                .mapToLong(JournalBlock.Row::seq).max().orElseThrow(() -> new AssertionError("no " + kind + " of " + sessionId));
    }

    static long replayFrom(LedgerConfig config) {
        return number(config, "SELECT replay_from FROM journal_mark WHERE id = 1");
    }

    /** Use per pool: pool id to [uplink, downlink]. */
    static Map<String, List<Long>> use(List<PoolUsage> pools) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (PoolUsage u : pools) {
            out.put(u.pool().id(), List.of(u.usedUplinkBps(), u.usedDownlinkBps()));
        }
        return out;
    }

    /**
     * The sum of the active holds of the given sessions per pool: pool id to [uplink, downlink],
     * every pool of {@code pools} listed.
     */
    static Map<String, List<Long>> sumOfActiveHolds(List<PoolUsage> pools, Iterable<SessionView> sessions) {
        Map<String, long[]> sums = new HashMap<>();
        for (PoolUsage u : pools) {
            sums.put(u.pool().id(), new long[2]);
        }
        for (SessionView v : sessions) {
            for (Hold h : v.holds()) {
                if (h.state().active()) {
                    sums.computeIfAbsent(h.poolId(), k -> new long[2])[h.direction() == Direction.UPLINK ? 0 : 1]
                            += h.bandwidthBps();
                }
            }
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
        return out;
    }

    /** Pools whose use exceeds their admissible capacity in a direction, as readable lines. */
    static List<String> overbooked(List<PoolUsage> pools) {
        List<String> out = new ArrayList<>();
        for (PoolUsage u : pools) {
            if (u.headroomUplinkBps() < 0 || u.headroomDownlinkBps() < 0) {
                out.add(u.pool().id() + " UL " + u.usedUplinkBps() + "/" + u.pool().admissible(Direction.UPLINK)
                        + ", DL " + u.usedDownlinkBps() + "/" + u.pool().admissible(Direction.DOWNLINK));
            }
        }
        return out;
    }

    /** Every running session with its view, by Session-Id. */
    static Map<String, SessionView> running(JournalLedger ledger) {
        Map<String, SessionView> out = new TreeMap<>();
        for (SessionSummary s : ledger.sessions(null, null, Integer.MAX_VALUE)) {
            ledger.session(s.sessionId()).ifPresent(v -> out.put(s.sessionId(), v));
        }
        return out;
    }
}
