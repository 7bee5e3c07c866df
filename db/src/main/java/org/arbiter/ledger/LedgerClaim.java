package org.arbiter.ledger;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.arbiter.core.ledger.Ledger.LedgerException;

/**
 * Which ledgers may write a shared PostgreSQL database: any number of relational ledgers
 * ({@link JdbcLedger}, one per node), or one journal ledger ({@link JournalLedger}), never both.
 *
 * <h2>Design</h2>
 * A claim is a PostgreSQL session-level advisory lock on the key ({@value #KEY}, hash of the
 * ledger's schema) in the ledger's database, held by a connection of its own for as long as the ledger is open (outside the connection pool, which
 * retires its connections). A relational ledger takes it shared, a journal ledger exclusive; a
 * claim that cannot be taken refuses the open and names the server processes holding it. H2 needs
 * no claim: its file lock keeps every other process out.
 *
 * <p>A lock alone cannot stop a journal ledger whose claim connection was lost (the server then
 * frees the lock) while another node opened the journal since. So a journal ledger also takes
 * <em>ownership</em>: opening raises {@code journal_owner.epoch}, and each of its writes first
 * updates the owner row where the epoch is still its own ({@link #fence}). That update takes the
 * row lock a later opener's raise waits for, so every write is ordered before or after the
 * takeover; a write after it matches no row and fails, and the ledger fails closed.
 *
 * <p>A relational ledger whose claim connection was lost would likewise go on writing while a
 * journal ledger opened the database since. So each of its write transactions also takes the
 * lock shared for the transaction ({@link #guard}) before it commits: while a journal ledger holds
 * it that fails, the transaction is rolled back, and the ledger fails closed for good (the journal
 * has read the database without the rows this ledger would write).
 *
 * <pre>
 *   claim:      (none) --take--> HELD --close, or the connection is lost--> RELEASED
 *   ownership:  OWNER(epoch n) --another node opens (epoch n+1)--> SUPERSEDED: every write fails
 *   guard:      SHARING --a write finds a journal ledger holding the lock--> LOST: every write fails
 * </pre>
 */
final class LedgerClaim implements AutoCloseable {

    /** The first half of the advisory lock key (the bytes of "Arbi"); the second is the schema's hash. */
    static final int KEY = 0x41726269;

    /** No claim: H2, or a ledger opened for reading. */
    static final LedgerClaim NONE = new LedgerClaim(null, null, 0, false);

    private final Connection connection;
    private final String url;
    private final long epoch;
    /** A relational ledger's claim: its writes are {@link #guard}ed. */
    private final boolean shared;
    /** Set when a guarded write found a journal ledger holding the database; never cleared. */
    private volatile String lost;

    private LedgerClaim(Connection connection, String url, long epoch, boolean shared) {
        this.connection = connection;
        this.url = url;
        this.epoch = epoch;
        this.shared = shared;
    }

    /**
     * Takes the claim of a relational ledger ({@code exclusive} false) or of a journal ledger
     * (true, which also takes the journal's ownership) on a PostgreSQL database; on H2 returns
     * {@link #NONE}.
     *
     * @throws LedgerException when another ledger holds a claim this one cannot share, naming it
     */
    static LedgerClaim take(LedgerConfig config, boolean exclusive) {
        if (Dialect.of(config.jdbcUrl()) != Dialect.POSTGRESQL) {
            return NONE;
        }
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password());
        props.setProperty("ApplicationName", exclusive ? "arbiter journal ledger" : "arbiter relational ledger");
        // a claim connection cut without a word (a firewall, a dead host) is then noticed by the server
        props.setProperty("tcpKeepAlive", "true");
        Connection c;
        try {
            c = DriverManager.getConnection(config.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new LedgerException("claiming the ledger database " + config.redactedUrl() + " failed: " + e.getMessage(), e);
        }
        try {
            boolean taken;
            try (PreparedStatement ps = c.prepareStatement(exclusive
                    ? "SELECT pg_try_advisory_lock(?, hashtext(current_schema()))"
                    : "SELECT pg_try_advisory_lock_shared(?, hashtext(current_schema()))")) {
                ps.setInt(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getBoolean(1);
                }
            }
            if (!taken) {
                throw new LedgerException("the ledger database " + config.redactedUrl() + " is in use by "
                        + holders(c) + (exclusive
                        ? "; a journal ledger (ledger.journal: true) writes its database alone"
                        : "; relational ledgers (ledger.journal: false) share a database with each other, not with a journal ledger"));
            }
            return new LedgerClaim(c, config.redactedUrl(), exclusive ? raiseEpoch(c) : 0, !exclusive);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new LedgerException("claiming the ledger database " + config.redactedUrl() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Who holds the lock: mode, server process, client address and application of each holder. */
    private static String holders(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        // the two-key form: classid is the first key, objid the second as an unsigned number, objsubid 2
        try (PreparedStatement ps = c.prepareStatement("SELECT l.mode, l.pid, a.client_addr, a.application_name, "
                + "l.objid::bigint, hashtext(current_schema()) FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = ? "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY l.pid")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(5) != (rs.getInt(6) & 0xFFFF_FFFFL)) {
                        continue;
                    }
                    String who = "ExclusiveLock".equals(rs.getString(1)) ? "a journal ledger" : "a relational ledger";
                    out.add(who + " (server process " + rs.getLong(2) + ", client " + rs.getString(3) + ", application '"
                            + rs.getString(4) + "')");
                }
            }
        }
        return out.isEmpty() ? "another ledger (its claim was released while this one was refused; open again)"
                : String.join(", ", out);
    }

    /** Makes this node the journal's owner: the epoch one above the last owner's. */
    private static long raiseEpoch(Connection c) throws SQLException {
        String node = node();
        Timestamp now = Timestamp.from(Instant.now());
        c.setAutoCommit(false);
        try {
            long epoch;
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE journal_owner SET epoch = epoch + 1, node = ?, since = ? WHERE id = 1 RETURNING epoch")) {
                up.setString(1, node);
                up.setTimestamp(2, now);
                try (ResultSet rs = up.executeQuery()) {
                    epoch = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (epoch == 0) {
                epoch = 1;
                try (PreparedStatement in = c.prepareStatement(
                        "INSERT INTO journal_owner (id, epoch, node, since) VALUES (1, 1, ?, ?)")) {
                    in.setString(1, node);
                    in.setTimestamp(2, now);
                    in.executeUpdate();
                }
            }
            c.commit();
            return epoch;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String node() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown host";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    /**
     * First statement of every journal write on {@code c} (in its transaction): fails when another
     * node has taken the journal over since this one opened. No-op without ownership.
     */
    void fence(Connection c) throws SQLException {
        if (epoch == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE journal_owner SET epoch = epoch WHERE id = 1 AND epoch = ?")) {
            ps.setLong(1, epoch);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        String owner = "another node";
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch, node, since FROM journal_owner WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                owner = rs.getString(2) + " (owner " + rs.getLong(1) + " since " + rs.getTimestamp(3).toInstant() + ")";
            }
        }
        throw new LedgerException("the journal on " + url + " was taken over by " + owner + " after this node opened it as owner "
                + epoch + "; this node writes nothing more");
    }

    /**
     * Last statement before a relational ledger commits a write on {@code c}: takes the lock shared
     * until the transaction ends, and fails when a journal ledger holds it (this ledger's claim was
     * lost and a journal ledger opened the database since), from then on for every write. No-op
     * for other claims.
     */
    void guard(Connection c) throws SQLException {
        if (!shared) {
            return;
        }
        String was = lost;
        if (was == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock_shared(?, hashtext(current_schema()))")) {
                ps.setInt(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            was = holders(c);
            lost = was;
        }
        throw new LedgerException(lostClaim(was));
    }

    private String lostClaim(String holders) {
        return "this relational ledger lost its claim of the ledger database " + url + ", which is now in use by " + holders
                + "; this node writes nothing more";
    }

    /** Why a relational ledger writes nothing more, once {@link #guard} found its claim lost; empty until then. */
    Optional<String> failure() {
        String was = lost;
        return was == null ? Optional.empty() : Optional.of(lostClaim(was));
    }

    /** The ownership epoch of a journal ledger on PostgreSQL; 0 otherwise. */
    long epoch() {
        return epoch;
    }

    @Override
    public void close() {
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the server releases the lock with the connection either way
        }
    }
}
