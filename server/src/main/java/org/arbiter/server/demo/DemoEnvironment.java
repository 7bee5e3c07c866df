package org.arbiter.server.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowRequirement;

/** The ledger and policy the demo runs on. */
record DemoEnvironment(Ledger ledger, String ledgerDescription, PolicyEngine policy, List<String> deviceIds,
                       AutoCloseable[] closeables) {

    static DemoEnvironment create(Path dir, Path examples) {
        Topology t = Topology.of(List.of(
                new PoolSpec("bras-1", null, 1_000_000_000L, 1_000_000_000L, 1.0, "bras-1"),
                new PoolSpec("dslam-1-uplink", "bras-1", 100_000_000L, 100_000_000L, 1.0, "dslam-1"),
                new PoolSpec("line-alice", "dslam-1-uplink", 4_000_000L, 8_000_000L, 1.0, "dslam-1"),
                new PoolSpec("cmts-1", null, 400_000_000L, 1_000_000_000L, 1.0, "cmts-1"),
                new PoolSpec("cmts-1-us-1", "cmts-1", 30_000_000L, 200_000_000L, 1.0, "cmts-1"),
                new PoolSpec("modem-bob", "cmts-1-us-1", 10_000_000L, 50_000_000L, 1.0, "cmts-1")),
                List.of(new Attachment(IpPrefix.parse("10.1.0.7/32"), "line-alice"),
                        new Attachment(IpPrefix.parse("10.2.0.9/32"), "modem-bob")));
        PolicyEngine p = new PolicyEngine() {
            @Override
            public Decision decide(PolicyRequest r) {
                List<FlowGrant> g = new ArrayList<>();
                for (FlowRequirement f : r.flows()) {
                    g.add(new FlowGrant(f.key(), f.sessionClass(), f.uplink().bandwidthBps(), f.downlink().bandwidthBps(),
                            f.downlink().maxLatencyMs(), 46, 1, 2, false));
                }
                return Decision.accept(g, "builtin", "accept-all", List.of("accept-all: granted"));
            }

            @Override
            public String version() {
                return "builtin";
            }
        };
        return new DemoEnvironment(new InMemoryLedger(t), "in memory", p, List.of("dslam-1", "bras-1", "cmts-1"),
                new AutoCloseable[0]);
    }
}
