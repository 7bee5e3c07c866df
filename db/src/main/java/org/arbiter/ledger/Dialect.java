package org.arbiter.ledger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * The two databases the ledger runs on. The SQL of the hot path is the same for both; only
 * session settings, the durability step and the codes of transient failures differ.
 */
enum Dialect {
    H2 {
        @Override
        String sessionSetup(Duration lockTimeout) {
            return "SET LOCK_TIMEOUT " + lockTimeout.toMillis();
        }
    },
    POSTGRESQL {
        @Override
        String sessionSetup(Duration lockTimeout) {
            return "SET lock_timeout = " + lockTimeout.toMillis();
        }
    };

    /**
     * SQLStates after which the whole transaction is rolled back and run again: serialization
     * failure and deadlock (40001, PostgreSQL 40P01), lock wait timeouts (PostgreSQL 55P03, H2
     * HYT00) and H2's concurrent update (90131).
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "HYT00", "90131");

    /** SQLState of a unique key violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** The statement every new connection runs first. */
    abstract String sessionSetup(Duration lockTimeout);

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL " + LedgerConfig.redact(jdbcUrl));
    }

    /** True for an H2 database that lives in memory (nothing to make durable). */
    static boolean inMemory(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:mem:");
    }

    /** True when running the transaction again may succeed. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if (n.getSQLState() != null && TRANSIENT.contains(n.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
