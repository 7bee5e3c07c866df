package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expiry sweep runs every second for as long as the server runs, so its scan must not read
 * the final holds, which only grow. H2 reports the rows an index scan read ({@code scanCount}) in
 * {@code EXPLAIN ANALYZE}.
 */
class H2ExpiryScanIT {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    Path dir;

    @Test
    void theExpiryScanReadsOnlyLiveHoldsWhateverTheFinalOnes() throws Exception {
        LedgerConfig config = LedgerConfig.h2File(dir);
        try (JdbcLedger ledger = JdbcLedger.open(config)) {
            ledger.applyTopology(LedgerFixtures.smallTopology(), false);
            AccessPath lineA = path(ledger, "10.0.0.7");
            for (int i = 0; i < 100; i++) {
                ledger.admit(request("ended-" + i, List.of(hold(lineA, 1, Direction.UPLINK, 1_000),
                        hold(lineA, 1, Direction.DOWNLINK, 1_000))));
                ledger.release("ended-" + i, TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(1));
            }
            ledger.admit(request("live", List.of(hold(lineA, 1, Direction.UPLINK, 1_000))));

            long scanned;
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
                 PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + JdbcLedger.EXPIRY_SCAN)) {
                JdbcLedger.setTime(ps, 1, Instant.EPOCH);
                JdbcLedger.setTime(ps, 2, T0.plusSeconds(3600));
                ps.setInt(3, 1600);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Matcher m = SCAN_COUNT.matcher(rs.getString(1));
                    assertThat(m.find()).as("scanCount in the plan: %s", rs.getString(1)).isTrue();
                    scanned = Long.parseLong(m.group(1));
                }
            }

            assertThat(scanned).as("rows read by the expiry scan; 600 final holds, 3 live").isLessThanOrEqualTo(4);
            assertThat(ledger.expire(T0.plusSeconds(3600), 10)).extracting(r -> r.sessionId()).containsExactly("live");
        }
    }
}
