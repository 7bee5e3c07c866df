package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.ledger.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample topology the demo uses (docs/examples/topology.yaml) loads and behaves as documented. */
class SampleTopologyIT {

    private static final Path SAMPLE = Path.of("..", "docs", "examples", "topology.yaml");

    @TempDir
    Path dir;

    @Test
    void sampleResolvesBothAccessNetworks() {
        Topology t = TopologyFile.load(SAMPLE);

        assertThat(t.resolve("10.1.0.10").orElseThrow().hops()).extracting(PathHop::poolId, PathHop::deviceId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dsl-line-1", "dslam-1"),
                        org.assertj.core.groups.Tuple.tuple("dslam-1-uplink", "dslam-1"),
                        org.assertj.core.groups.Tuple.tuple("bras-1", "bras-1"));
        assertThat(t.resolve("10.2.0.20").orElseThrow().hops()).extracting(PathHop::poolId)
                .containsExactly("cm-1", "cmts-1-us-1", "cmts-1");
        assertThat(t.resolve("2001:db8:1::10").orElseThrow().hops().getFirst().poolId()).isEqualTo("dsl-line-2");
    }

    @Test
    void aSecondSessionThatOverfillsTheDslLineIsRefused() {
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir))) {
            ledger.applyTopology(TopologyFile.load(SAMPLE), false);
            long lineUplink = ledger.pool("dsl-line-1").orElseThrow().pool().uplinkCapacityBps();
            long video = lineUplink * 3 / 4;

            Admission first = ledger.admit(request("video-1", List.of(hold(path(ledger, "10.1.0.10"), 1, UPLINK, video))));
            Admission second = ledger.admit(request("video-2", List.of(hold(path(ledger, "10.1.0.11"), 1, UPLINK, video))));

            assertThat(first.status()).isEqualTo(Admission.Status.ADMITTED);
            assertThat(second.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
            assertThat(second.shortfalls()).singleElement().satisfies(s -> {
                assertThat(s.poolId()).isEqualTo("dsl-line-1");
                assertThat(s.availableBps()).isEqualTo(lineUplink - video);
            });
        }
    }
}
