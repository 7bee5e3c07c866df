package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.arbiter.core.ledger.Topology;
import org.arbiter.ledger.TopologyFile;
import org.junit.jupiter.api.Test;

class BenchWorldTest {

    @Test
    void everyLinesAddressResolvesToItsLineUnderItsDslamAndBras() {
        Topology t = TopologyFile.parse("bench", new StringReader(BenchWorld.topology(1234)));

        assertThat(t.pools()).hasSize(1234 + 13 + 2);
        assertThat(BenchWorld.ueAddresses(1234).get(1233)).isEqualTo("10.4.209.7");
        assertThat(t.resolve("10.4.209.7").orElseThrow().hops()).extracting(h -> h.poolId())
                .containsExactly("line-1233", "dslam-12-uplink", "bras-1");
    }

    @Test
    void theDevicesAreEveryBrasAndDslam() {
        assertThat(BenchWorld.deviceIds(250)).containsExactly("bras-0", "dslam-0", "dslam-1", "dslam-2");
    }

    @Test
    void thePolicyHasFiftyRules() {
        assertThat(BenchWorld.rules().lines().filter(l -> l.startsWith("  - id: "))).hasSize(50);
    }

    @Test
    void moreLinesThanTheAddressPlanHoldsAreRefused() {
        assertThatThrownBy(() -> BenchWorld.topology(65_537)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65537");
    }
}
