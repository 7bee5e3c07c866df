package org.arbiter.server.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arbiter demo}: plays an e-gaming session between two players in two access networks
 * through the real engine, on the embedded defaults (H2 ledger, lab devices, the bundled topology
 * and policy), and prints the story with its numbers.
 */
@Command(name = "demo", description = "Play an e-gaming QoS session end to end on the embedded defaults.")
public final class DemoCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", description = "Directory for the demo's ledger and billing files (default: a new temporary directory).")
    Path data;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (System.getenv("ARBITER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            // the story is the output; lifecycle logs would only interleave with it
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = data != null ? Files.createDirectories(data) : Files.createTempDirectory("arbiter-demo-");
        try (DemoWorld world = DemoWorld.create(dir)) {
            return new DemoScenario(world, out).play() ? 0 : 1;
        }
    }
}
