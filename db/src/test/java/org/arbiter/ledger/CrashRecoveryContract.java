package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * Kills a process in the middle of admitting (SIGKILL) and checks what a restart finds: everything
 * the process was told is there, unfinished reservations expire, nothing is counted twice.
 */
abstract class CrashRecoveryContract {

    /** A configuration for a fresh, empty database. */
    protected abstract LedgerConfig freshDatabase();

    protected abstract String label();

    @Test
    void aKilledProcessLeavesAConsistentLedger() throws Exception {
        LedgerConfig config = freshDatabase();
        try (JdbcLedger setup = JdbcLedger.open(config)) {
            setup.applyTopology(Hammer.contendedTopology(), false);
        }
        Map<String, String> told = new HashMap<>();
        int admitted = 0;
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrashChild.class.getName(),
                config.jdbcUrl(), config.user(), "4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(admitted).as("the child must have admitted before it was killed").isEqualTo(80);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        try (JdbcLedger restarted = JdbcLedger.open(config)) {
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

            int reserved = (int) Hammer.count(config, "SELECT COUNT(DISTINCT session_id) FROM holds WHERE state = 'RESERVED'");
            int expired = restarted.expire(Instant.now().plusSeconds(31), 100_000).size();
            assertThat(expired).isEqualTo(reserved);
            assertThat(Hammer.count(config, "SELECT COUNT(*) FROM holds WHERE state = 'RESERVED'")).isZero();
            assertThat(restarted.recount(false)).isEmpty();
            Map<String, Map<String, Long>> active = Hammer.activeHolds(config);
            told.forEach((sid, state) -> {
                if (state.equals("COMMITTED") && !active.containsKey(sid)) {
                    assertThat(restarted.session(sid).orElseThrow().holds()).allMatch(h -> h.state() == HoldState.RELEASED);
                }
            });
            System.out.println("crash[" + label() + "]: killed after " + admitted + " admissions (" + told.size()
                    + " sessions reported), " + reserved + " unfinished reservations expired on restart, "
                    + active.size() + " sessions still active, counters consistent");
        }
    }
}
