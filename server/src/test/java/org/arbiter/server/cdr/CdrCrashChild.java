package org.arbiter.server.cdr;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arbiter.adapter.lab.LabDevice;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;

/**
 * A process that admits and releases sessions forever and exports their billing records, for
 * {@link CdrKillIT} to kill with SIGKILL. Arguments: the data directory, the topology file.
 */
public final class CdrCrashChild {

    private CdrCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir.resolve("ledger")));
        ledger.applyTopology(TopologyFile.load(Path.of(args[1])), false);
        PolicyEngine grantAll = new PolicyEngine() {
            @Override
            public Decision decide(org.arbiter.core.policy.PolicyRequest r) {
                return Decision.accept(r.flows().stream().map(f -> new FlowGrant(f.key(), "voice", 64_000, 64_000, null, 46, 1, 2, false)).toList(),
                        "crash-test", "grant", List.of());
            }

            @Override
            public String version() {
                return "crash-test";
            }
        };
        Enforcer enforcer = new Enforcer(Map.of("dslam-1", new LabDevice("dslam-1"), "bras-1", new LabDevice("bras-1"),
                "cmts-1", new LabDevice("cmts-1")), Duration.ofSeconds(2));
        PdpEngine engine = new PdpEngine(grantAll, ledger, enforcer, AfNotifier.NONE, EngineSettings.defaults(), Clock.systemUTC());
        Path cdr = dir.resolve("cdr");
        RotatingCdrWriter writer = new RotatingCdrWriter(cdr, "crash", CdrFormat.CSV, 4096, Duration.ofHours(1), Clock.systemUTC());
        CdrExporter exporter = new CdrExporter(ledger::chargingRecords, writer, cdr, Duration.ZERO,
                Clock.offset(Clock.systemUTC(), Duration.ofMillis(1)));
        List<String> fd = List.of("permit out 17 from 10.2.0.9 26000 to 10.1.0.7 16000", "permit in 17 from 10.1.0.7 16000 to 10.2.0.9 26000");
        for (int i = 0; ; i++) {
            String s = "crash;" + i;
            engine.authorize(new RxRequest(s, "pcscf.rx.test", "rx.test", List.of(), "10.1.0.7",
                    List.of(new MediaComponent(1, MediaType.AUDIO, List.of(new MediaSubComponent(1, fd, null, 0, -1, -1)),
                            64_000, 64_000, -1, -1, FlowStatus.ENABLED, List.of())),
                    Set.of(), null, null, Duration.ofMinutes(5), Instant.now()));
            engine.release(s, TerminationCause.DIAMETER_LOGOUT);
            if (i % 7 == 0) {
                exporter.exportOnce(50);
            }
            System.out.println("released " + (i + 1));
        }
    }
}
