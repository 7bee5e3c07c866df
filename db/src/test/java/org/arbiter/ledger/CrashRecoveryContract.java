package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.SessionView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Kills a process in the middle of admitting (SIGKILL) and checks what a restart finds: everything
 * the process was told is there, unfinished reservations expire, nothing is counted twice.
 *
 * <p>Every step is bounded by {@link #STEP} and a hang fails the test naming the step (H2 once
 * spun for ever in the restarted ledger's expiry, {@code H2CrashLeftoverIT}), rather than running
 * into CI's limit. Each step takes seconds.
 */
abstract class CrashRecoveryContract {

    /** The most one step may take. */
    static final Duration STEP = Duration.ofMinutes(3);

    /** A configuration for a fresh, empty database. */
    protected abstract LedgerConfig freshDatabase();

    protected abstract String label();

    @Test
    void aKilledProcessLeavesAConsistentLedger() throws Exception {
        LedgerConfig config = freshDatabase();
        step("setting up the topology", () -> {
            try (JdbcLedger setup = JdbcLedger.open(config)) {
                return setup.applyTopology(Hammer.contendedTopology(), false);
            }
        });
        Map<String, String> told = new HashMap<>();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrashChild.class.getName(),
                config.jdbcUrl(), config.user(), "4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int admitted;
        try {
            // a read still blocked when the step times out ends when the child is killed (finally)
            admitted = step("reading the child's reports", () -> readReports(child, told));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ended within 30 s of SIGKILL").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(admitted).as("the child must have admitted before it was killed").isEqualTo(80);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        JdbcLedger restarted = step("opening the ledger after the kill", () -> JdbcLedger.open(config));
        try (restarted) {
            step("checking the restarted ledger against what the child was told", () -> checkTold(config, restarted, told));
            int reserved = (int) Hammer.count(config, "SELECT COUNT(DISTINCT session_id) FROM holds WHERE state = 'RESERVED'");
            int expired = step("expiring the unfinished reservations",
                    () -> restarted.expire(Instant.now().plusSeconds(31), 100_000).size());
            assertThat(expired).isEqualTo(reserved);
            int active = step("checking the ledger after expiry", () -> checkAfterExpiry(config, restarted, told));
            System.out.println("crash[" + label() + "]: killed after " + admitted + " admissions (" + told.size()
                    + " sessions reported), " + reserved + " unfinished reservations expired on restart, "
                    + active + " sessions still active, counters consistent");
        }
    }

    /** Runs one step, failing the test, with the step's name, if it takes longer than {@link #STEP}. */
    private static <T> T step(String what, ThrowingSupplier<T> body) {
        return assertTimeoutPreemptively(STEP, body, () -> what + " did not finish within " + STEP);
    }

    /** Reads the child's reports into {@code told} until 80 admissions, its end or 120 s; returns the admissions. */
    private static int readReports(Process child, Map<String, String> told) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        int admitted = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (admitted < 80 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
            String[] parts = line.split(" ");
            if (parts.length == 2) {
                told.put(parts[1], parts[0]);
                if (parts[0].equals("ADMITTED")) {
                    admitted++;
                }
            }
        }
        return admitted;
    }

    /** Every session the child was told about is there in that state or a later one; counters equal the holds. */
    private static boolean checkTold(LedgerConfig config, JdbcLedger restarted, Map<String, String> told) throws SQLException {
        assertThat(restarted.recount(false)).as("counters equal the active holds").isEmpty();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : told.entrySet()) {
            SessionView v = restarted.session(e.getKey()).orElse(null);
            List<HoldState> states = v == null ? List.of() : v.holds().stream().map(Hold::state).distinct().toList();
            boolean ok = switch (e.getValue()) {
                case "ADMITTED" -> states.size() == 1 && states.getFirst() != HoldState.EXPIRED;
                case "COMMITTED" -> states.equals(List.of(HoldState.COMMITTED)) || states.equals(List.of(HoldState.RELEASED));
                case "RELEASED" -> states.equals(List.of(HoldState.RELEASED));
                default -> false;
            };
            if (!ok || v.holds().size() != 6) {
                wrong.add(e.getKey() + " told " + e.getValue() + " but found " + (v == null ? "nothing" : v.holds()));
            }
        }
        assertThat(wrong).isEmpty();
        long released = told.values().stream().filter("RELEASED"::equals).count();
        assertThat(Hammer.count(config, "SELECT COUNT(*) FROM cdrs")).isGreaterThanOrEqualTo(released);
        return true;
    }

    /** No reservation is left, counters equal the holds, committed sessions are active or released; returns the active sessions. */
    private static int checkAfterExpiry(LedgerConfig config, JdbcLedger restarted, Map<String, String> told) throws SQLException {
        assertThat(Hammer.count(config, "SELECT COUNT(*) FROM holds WHERE state = 'RESERVED'")).isZero();
        assertThat(restarted.recount(false)).isEmpty();
        Map<String, Map<String, Long>> active = Hammer.activeHolds(config);
        told.forEach((sid, state) -> {
            if (state.equals("COMMITTED") && !active.containsKey(sid)) {
                assertThat(restarted.session(sid).orElseThrow().holds()).allMatch(h -> h.state() == HoldState.RELEASED);
            }
        });
        return active.size();
    }
}
