package org.arbiter.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the ledger database. Validated on construction; immutable.
 *
 * <p>Two databases are supported: H2 (embedded, the default; file mode for anything that must
 * survive a restart, e.g. {@code jdbc:h2:file:./data/arbiter}) and PostgreSQL 15 or newer
 * ({@code jdbc:postgresql://host:5432/arbiter}). Several Arbiter nodes may share one PostgreSQL
 * database; an H2 file belongs to one process.
 *
 * <p>{@link #toString()} never shows the password, and neither does any message of this module.
 *
 * @param jdbcUrl the JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user the database user
 * @param password the password, or {@code ""} for none; never logged
 * @param maxPoolSize the most connections this node opens, 1..500 (default 10)
 * @param connectionTimeout how long a caller waits for a free connection, and how long opening
 *     waits for the database before failing, 250 ms..10 min (default 5 s)
 * @param lockTimeout how long a transaction waits for a pool another transaction has locked
 *     before it fails and is retried, 100 ms..10 min (default 10 s)
 * @param topologyRefresh how often {@link JdbcLedger#resolve} checks whether another node applied
 *     a new topology, 0 (every call)..1 h (default 5 s)
 */
public record LedgerConfig(
        String jdbcUrl,
        String user,
        String password,
        int maxPoolSize,
        Duration connectionTimeout,
        Duration lockTimeout,
        Duration topologyRefresh) {

    /** Default {@link #maxPoolSize()}. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** Default {@link #connectionTimeout()}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #lockTimeout()}. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #topologyRefresh()}. */
    public static final Duration DEFAULT_TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    /** @throws IllegalArgumentException naming the field, the value and what is allowed */
    public LedgerConfig {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("jdbcUrl: '" + (jdbcUrl == null ? null : redact(jdbcUrl))
                    + "' is not supported; use jdbc:h2:file:<path>, jdbc:h2:mem:<name> or jdbc:postgresql://<host>:<port>/<db>");
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (maxPoolSize < 1 || maxPoolSize > 500) {
            throw new IllegalArgumentException("maxPoolSize: " + maxPoolSize + " is out of range; allowed 1..500");
        }
        requireBetween("connectionTimeout", connectionTimeout, Duration.ofMillis(250), Duration.ofMinutes(10));
        requireBetween("lockTimeout", lockTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
        requireBetween("topologyRefresh", topologyRefresh, Duration.ZERO, Duration.ofHours(1));
    }

    /** A configuration with every default except the connection. */
    public static LedgerConfig of(String jdbcUrl, String user, String password) {
        return new LedgerConfig(jdbcUrl, user, password, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT,
                DEFAULT_LOCK_TIMEOUT, DEFAULT_TOPOLOGY_REFRESH);
    }

    /** The embedded default: an H2 database in {@code directory/arbiter.mv.db}, user {@code arbiter}. */
    public static LedgerConfig h2File(Path directory) {
        return of("jdbc:h2:file:" + directory.toAbsolutePath().resolve("arbiter"), "arbiter", "");
    }

    /** The same configuration with another pool size. */
    public LedgerConfig withMaxPoolSize(int size) {
        return new LedgerConfig(jdbcUrl, user, password, size, connectionTimeout, lockTimeout, topologyRefresh);
    }

    /** The same configuration with another topology refresh interval. */
    public LedgerConfig withTopologyRefresh(Duration refresh) {
        return new LedgerConfig(jdbcUrl, user, password, maxPoolSize, connectionTimeout, lockTimeout, refresh);
    }

    /** The URL with any password parameter masked, fit for messages and logs. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    @Override
    public String toString() {
        return "LedgerConfig[jdbcUrl=" + redactedUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
                + ", maxPoolSize=" + maxPoolSize + ", connectionTimeout=" + connectionTimeout
                + ", lockTimeout=" + lockTimeout + ", topologyRefresh=" + topologyRefresh + "]";
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password\\s*=)[^;&]*", "$1****");
    }

    private static void requireBetween(String name, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + ": " + d + " is out of range; allowed " + min + ".." + max);
        }
    }
}
