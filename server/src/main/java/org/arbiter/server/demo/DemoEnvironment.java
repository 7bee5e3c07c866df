package org.arbiter.server.demo;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.arbiter.policy.RulePolicyEngine;
import org.arbiter.server.cdr.CdrExporter;

/**
 * The ledger and policy the demo runs on: the embedded defaults, as {@code arbiter serve} would
 * build them: an H2 file ledger in the demo's directory, loaded with the bundled sample topology,
 * and the bundled sample policy.
 */
record DemoEnvironment(Ledger ledger, String ledgerDescription, PolicyEngine policy, List<String> deviceIds,
                       CdrExporter.Source chargingRecords, AutoCloseable[] closeables) {

    static final List<String> POLICY_FILES = List.of("classes.yaml", "subscribers.yaml", "rules.yaml");

    static DemoEnvironment create(Path dir, Path examples) {
        Path topologyFile = DemoWorld.copyResource("/examples/topology.yaml", examples.resolve("topology.yaml"));
        Path policyDir = examples.resolve("policy");
        for (String f : POLICY_FILES) {
            DemoWorld.copyResource("/examples/policy/" + f, policyDir.resolve(f));
        }
        Topology topology = TopologyFile.load(topologyFile);
        Set<String> devices = new LinkedHashSet<>();
        topology.pools().stream().map(PoolSpec::deviceId).filter(d -> d != null).forEach(devices::add);
        RulePolicyEngine policy = RulePolicyEngine.load(policyDir);
        JdbcLedger ledger;
        try {
            ledger = JdbcLedger.open(LedgerConfig.h2File(dir.resolve("ledger")));
            ledger.applyTopology(topology, false);
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
        return new DemoEnvironment(ledger, "H2 " + dir.resolve("ledger"), policy, List.copyOf(devices),
                ledger::chargingRecords, new AutoCloseable[] {policy});
    }
}
