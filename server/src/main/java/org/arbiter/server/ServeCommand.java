package org.arbiter.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter serve --config FILE}: runs the policy server until SIGTERM. */
@Command(name = "serve", description = "Run the policy server.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "The configuration file (see arbiter.sample.yaml).")
    Path config;

    @Option(names = "--check", description = "Validate the configuration and exit.")
    boolean checkOnly;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ArbiterConfig cfg = ConfigLoader.load(config);
        if (checkOnly) {
            spec.commandLine().getOut().println("configuration " + config + " is valid");
            return 0;
        }
        spec.commandLine().getErr().println("arbiter: serving needs the Diameter front end, which this build lacks");
        return 1;
    }
}
