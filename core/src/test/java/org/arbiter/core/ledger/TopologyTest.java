package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

    static PoolSpec pool(String id, String parent, long cap) {
        return new PoolSpec(id, parent, cap, cap, 1.0, id + "-dev");
    }

    @Test
    void longestPrefixWinsAndPathRunsLeafToRoot() {
        Topology t = Topology.of(List.of(pool("bras", null, 1000), pool("dslam", "bras", 100), pool("line", "dslam", 10),
                        pool("line-vip", "dslam", 20)),
                List.of(new Attachment(IpPrefix.parse("10.1.0.0/16"), "line"),
                        new Attachment(IpPrefix.parse("10.1.0.7/32"), "line-vip")));
        assertThat(t.resolve("10.1.0.7")).get().satisfies(p ->
                assertThat(p.hops()).extracting(PathHop::poolId).containsExactly("line-vip", "dslam", "bras"));
        assertThat(t.resolve("10.1.0.8")).get().satisfies(p ->
                assertThat(p.hops()).extracting(PathHop::poolId).containsExactly("line", "dslam", "bras"));
        assertThat(t.resolve("10.9.0.1")).isEmpty();
        assertThat(t.resolve("not-an-address")).isEmpty();
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(() -> Topology.of(
                List.of(pool("a", "b", 1), pool("b", "a", 1), pool("c", "nowhere", 1), pool("a", null, 1)),
                List.of(new Attachment(IpPrefix.parse("10.0.0.0/8"), "zz"),
                        new Attachment(IpPrefix.parse("10.0.0.0/8"), "a"))))
                .isInstanceOfSatisfying(Topology.TopologyException.class, e -> assertThat(e.errors()).anyMatch(m -> m.contains("defined twice"))
                        .anyMatch(m -> m.contains("unknown parent 'nowhere'"))
                        .anyMatch(m -> m.contains("cycle"))
                        .anyMatch(m -> m.contains("unknown pool 'zz'"))
                        .anyMatch(m -> m.contains("attached twice")));
    }

    @Test
    void admissibleFractionScalesCapacity() {
        PoolSpec p = new PoolSpec("x", null, 1000, 2000, 0.5, null);
        assertThat(p.admissible(org.arbiter.core.qos.Direction.UPLINK)).isEqualTo(500);
        assertThat(p.admissible(org.arbiter.core.qos.Direction.DOWNLINK)).isEqualTo(1000);
        assertThatThrownBy(() -> new PoolSpec("y", null, 1, 1, 0, null)).hasMessageContaining("admissibleFraction");
    }
}
