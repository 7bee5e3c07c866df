package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process running the journal ledger under load (SIGKILL) and checks what opening the
 * journal again finds: everything the process was told is there, nothing it released, and the
 * pools count exactly the holds of the running sessions.
 */
class JournalCrashIT {

    /** Admissions the child must report before it is killed. */
    private static final int ADMISSIONS = 300;
    /** How long the child runs at least, so that the writer moves the replay mark (every 200 ms). */
    private static final long RUN_AT_LEAST_NANOS = TimeUnit.MILLISECONDS.toNanos(700);

    @TempDir
    Path dir;

    /** The configuration of a fresh, empty database: an H2 file, unless a subclass gives another. */
    protected LedgerConfig freshDatabase() {
        return LedgerConfig.h2File(dir);
    }

    @Test
    void aKilledProcessLeavesAJournalThatRebuildsWhatItWasTold() throws Exception {
        LedgerConfig config = freshDatabase();
        JournalFixtures.open(config, Hammer.contendedTopology()).close();
        Map<String, String> told = runAndKill(config, ADMISSIONS, RUN_AT_LEAST_NANOS);
        long replayFrom = JournalFixtures.replayFrom(config);
        long rows = JournalFixtures.count(config, null);
        assertThat(replayFrom).as("the writer moved the replay mark past the start of the journal").isGreaterThan(1);

        try (JournalLedger restarted = JournalLedger.open(config)) {
            int running = assertRebuildsWhatItWasTold(config, restarted, told);
            System.out.println("crash[journal]: killed after " + told.size() + " sessions reported, " + rows
                    + " journal rows, replayed from row " + replayFrom + ", " + running + " sessions running, pools consistent");
        }
    }

    /**
     * Runs {@link JournalCrashChild} on {@code config} (its writer moving the mark every
     * {@code markEveryMillis}) until it has reported {@code admissions} admissions and run
     * {@code runAtLeastNanos}, then kills it (SIGKILL). Returns what it reported: Session-Id to
     * ADMITTED, COMMITTED or RELEASED, the last for each.
     */
    static Map<String, String> runAndKill(LedgerConfig config, int admissions, long runAtLeastNanos, long... markEveryMillis)
            throws Exception {
        Map<String, String> told = new HashMap<>();
        int admitted = 0;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", JournalCrashChild.class.getName(),
                config.jdbcUrl(), config.user(), "4"));
        for (long m : markEveryMillis) {
            cmd.add(Long.toString(m));
        }
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long ready = Long.MAX_VALUE;
            String line;
            while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = System.nanoTime();
                    continue;
                }
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    told.put(parts[1], parts[0]);
                    if (parts[0].equals("ADMITTED")) {
                        admitted++;
                    }
                }
                if (admitted >= admissions && System.nanoTime() - ready >= runAtLeastNanos) {
                    break;
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(admitted).as("the child must have admitted before it was killed").isGreaterThanOrEqualTo(admissions);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return told;
    }

    /**
     * Checks that {@code restarted} holds everything the killed process reported, nothing it
     * released, and pools that count exactly the holds of the running sessions; returns how many run.
     */
    static int assertRebuildsWhatItWasTold(LedgerConfig config, JournalLedger restarted, Map<String, String> told) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : told.entrySet()) {
            SessionView v = restarted.session(e.getKey()).orElse(null);
            List<HoldState> states = v == null ? List.of() : v.holds().stream().map(Hold::state).distinct().toList();
            // the commit or the release may have returned without being reported: the ledger may
            // be ahead of what the process printed, never behind it; a session gone without being
            // reported released must have its release in the journal
            boolean releasedUnreported = v == null && !e.getValue().equals("RELEASED")
                    && JournalFixtures.kinds(config, e.getKey()).contains("RELEASE");
            boolean ok = switch (e.getValue()) {
                case "ADMITTED" -> states.equals(List.of(HoldState.RESERVED)) || states.equals(List.of(HoldState.COMMITTED))
                        || releasedUnreported;
                case "COMMITTED" -> states.equals(List.of(HoldState.COMMITTED)) || releasedUnreported;
                case "RELEASED" -> v == null;
                default -> false;
            };
            if (!ok || (v != null && v.holds().size() != 6)) {
                wrong.add(e.getKey() + " told " + e.getValue() + " but found " + (v == null ? "nothing" : v.holds()));
            }
        }
        assertThat(wrong).isEmpty();

        Map<String, SessionView> running = JournalFixtures.running(restarted);
        List<PoolUsage> pools = restarted.pools();
        assertThat(JournalFixtures.overbooked(pools)).isEmpty();
        assertThat(JournalFixtures.use(pools)).isEqualTo(JournalFixtures.sumOfActiveHolds(pools, running.values()));
        assertThat(pools).anyMatch(u -> u.usedUplinkBps() > 0);
        assertThat(running.values().stream().flatMap(v -> v.holds().stream()).map(Hold::holdId))
                .doesNotHaveDuplicates();
        return running.size();
    }
}
