package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2Compactor}: the chunks of a busy H2 file are mostly dead copies of pages that later
 * commits rewrote; the compactor rewrites the live pages of the emptiest chunks, so that the live
 * share of the chunks rises and freed chunks can be reused instead of the file growing.
 */
class H2CompactionIT {

    @TempDir
    Path dir;

    /** A setting of H2's store, read through {@code INFORMATION_SCHEMA.SETTINGS} ({@code info.*}). */
    private static long info(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info." + name + "'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        } finally {
            c.rollback();
        }
    }

    @Test
    void theLiveShareOfABusyJournalFilesChunksRisesWhileTheLedgerRuns() throws Exception {
        LedgerConfig config = LedgerConfig.h2File(dir);
        // a mark after every group: an H2 commit (a chunk) per group, many chunks for the compactor
        try (JournalLedger ledger = JournalFixtures.open(config, LedgerFixtures.smallTopology(), Duration.ZERO);
             Connection c = JournalFixtures.connect(config)) {
            // chunks become rewritable once H2's retention time (45 s by default) has passed
            try (Statement s = c.createStatement()) {
                s.execute("SET RETENTION_TIME 0");
            }
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int caller = t;
                callers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 750; i++) {
                        String sid = "c" + caller + "-" + i;
                        LedgerFixtures.admitOnLineA(ledger, sid, 1_000, 1_000);
                        ledger.commit(sid, LedgerFixtures.T0);
                        ledger.release(sid, TerminationCause.DIAMETER_LOGOUT, LedgerFixtures.T0);
                    }
                }));
            }
            for (Thread t : callers) {
                t.join(Duration.ofMinutes(2));
            }
            long writes = info(c, "FILE_WRITE");
            assertThat(writes).as("chunks written: one per group commit").isGreaterThan(200);

            // without compaction nearly every chunk written stays, a quarter of it live (each keeps a journal block)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((info(c, "CHUNKS_FILL_RATE") < 50 || info(c, "CHUNK_COUNT") * 4 > writes) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }

            assertThat(info(c, "CHUNKS_FILL_RATE")).as("live share of the chunks, percent").isGreaterThanOrEqualTo(50);
            assertThat(info(c, "CHUNK_COUNT")).as("chunks kept of the %d written", writes).isLessThan(writes / 4);
            assertThat(ledger.activeSessions()).isZero();
        }
        try (JournalLedger reopened = JournalLedger.open(config)) {
            assertThat(JournalFixtures.count(config, "RELEASE")).isEqualTo(3_000);
            assertThat(reopened.activeSessions()).isZero();
        }
    }
}
