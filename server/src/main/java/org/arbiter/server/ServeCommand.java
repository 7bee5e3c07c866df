package org.arbiter.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigLoader;
import org.arbiter.server.serve.ArbiterServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arbiter serve --config FILE}: runs the policy server until SIGTERM or SIGINT, which stop
 * it gracefully (DPR to peers, in-flight requests drained, billing files flushed) and exit 0.
 * SIGHUP reloads the policy.
 */
@Command(name = "serve", description = "Run the policy server.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "The configuration file (see arbiter.sample.yaml).")
    Path config;

    @Option(names = "--check", description = "Validate the configuration and exit.")
    boolean checkOnly;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ArbiterConfig cfg = ConfigLoader.load(config);
        if (checkOnly) {
            spec.commandLine().getOut().println("configuration " + config + " is valid");
            return 0;
        }
        ArbiterServer server = ArbiterServer.start(cfg);
        CountDownLatch stop = new CountDownLatch(1);
        // TERM and INT end the wait below, so the server closes on this thread and the exit code is 0
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
        }
        sun.misc.SignalHandler hup = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> server.reloadPolicy());
        if (hup == sun.misc.SignalHandler.SIG_IGN) {
            // the JVM keeps a hang-up signal ignored when it was ignored at start (nohup)
            LOG.warn("SIGHUP was ignored when arbiter started (nohup?), so SIGHUP does not reload the policy; "
                    + "use POST /api/policy/reload on the admin API or policy.watch instead");
        }
        // any other exit (System.exit elsewhere, a fatal error) still closes the server
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("arbiter-shutdown").unstarted(server::close));
        spec.commandLine().getOut().println("arbiter serving: Diameter port " + server.diameterPort()
                + (server.adminPort() > 0 ? ", admin port " + server.adminPort() : ""));
        spec.commandLine().getOut().flush();
        stop.await();
        server.close();
        return 0;
    }
}
