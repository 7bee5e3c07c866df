package org.arbiter.server;

import org.arbiter.server.adapters.AdaptersCommand;
import org.arbiter.server.bench.BenchCommand;
import org.arbiter.server.cdr.CdrCommand;
import org.arbiter.server.demo.DemoCommand;
import org.arbiter.server.ledger.LedgerCommand;
import org.arbiter.server.policy.PolicyCommand;
import org.arbiter.server.qos.QosCommand;
import picocli.CommandLine.Command;

/** The root command: {@code arbiter <subcommand>}. */
@Command(name = "arbiter",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Arbiter: a QoS policy server (Diameter Rx, admission control, device enforcement).",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            VersionCommand.class,
            AdaptersCommand.class,
            QosCommand.class,
            PolicyCommand.class,
            LedgerCommand.class,
            CdrCommand.class,
            BenchCommand.class,
        })
final class ArbiterCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
