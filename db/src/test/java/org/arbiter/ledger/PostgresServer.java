package org.arbiter.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for integration tests: {@code initdb} and {@code pg_ctl} from
 * {@code /usr/lib/postgresql/<major>/bin} (the newest major found; override the directory with
 * the system property {@code arbiter.pg.bin}), a fresh cluster in a temp directory, listening on
 * 127.0.0.1 on a free port, user {@code arbiter} with trust authentication. When the JVM runs as
 * root, the server runs as the {@code postgres} user via {@code runuser}.
 *
 * <p>{@link #close()} stops the server this instance started and deletes its directory; a
 * shutdown hook does the same if a test run dies first. Nothing else is touched.
 *
 * <p>Missing binaries are an error, not a skip: {@link #start()} throws with what to install.
 * Published in the db module's test-jar for other modules' integration tests.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "arbiter";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-test-server-stop");
    }

    /**
     * Creates a cluster and starts it.
     *
     * @throws IllegalStateException when the PostgreSQL server binaries are missing or the server
     *     does not start (the message carries the server log's tail)
     */
    public static PostgresServer start() {
        Path bin = findBin().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/<major>/bin; "
                        + "install the Debian package 'postgresql' (15 or newer) or set -Darbiter.pg.bin=<dir>"));
        boolean root = "root".equals(System.getProperty("user.name"));
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("arbiter-pg-");
                if (root) {
                    UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
                    Files.setOwner(dir, postgres);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare a directory for PostgreSQL", e);
            }
            PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
            try {
                server.initAndStart();
                Runtime.getRuntime().addShutdownHook(server.shutdownHook);
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.stopQuietly();
            }
        }
        throw last;
    }

    private static Optional<Path> findBin() {
        String override = System.getProperty("arbiter.pg.bin");
        if (override != null) {
            Path p = Path.of(override);
            return Files.isExecutable(p.resolve("pg_ctl")) ? Optional.of(p) : Optional.empty();
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(root)) {
            return majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/initdb")) && Files.isExecutable(p.resolve("bin/pg_ctl")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private void initAndStart() {
        run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--locale=C", "--no-sync"), "initdb");
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", log().toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                "start"), "pg_ctl start");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    private void run(List<String> command, String what) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path out = dir.resolve(what.replace(' ', '-') + ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within 90 s" + tails(out));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + tails(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private String tails(Path out) {
        return "\n--- " + out.getFileName() + ":\n" + tail(out) + "\n--- server.log:\n" + tail(log());
    }

    private static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(none)";
        }
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The database user (trust authentication, no password). */
    public String user() {
        return USER;
    }

    /** The JDBC URL of the given database. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public String createDatabase() {
        String name = "t" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /**
     * Creates a fresh, empty schema in the {@code postgres} database (much cheaper than a
     * database) and returns a JDBC URL whose connections use it.
     */
    public String createSchema() {
        String name = "s" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name + " on port " + port + ": " + e.getMessage(), e);
        }
        return jdbcUrl() + "?currentSchema=" + name;
    }

    /** A ledger configuration for a fresh schema on this server. */
    public LedgerConfig newLedgerConfig() {
        return LedgerConfig.of(createSchema(), USER, "");
    }

    /** Stops the server (fast shutdown) and deletes its directory. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs or ran stopQuietly itself
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (Files.exists(data().resolve("postmaster.pid"))) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "-t", "60",
                        "stop"), "pg_ctl stop");
            } catch (IllegalStateException e) {
                System.err.println("PostgreSQL test server on port " + port + " did not stop cleanly: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
