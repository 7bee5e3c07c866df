package org.arbiter.server;

import picocli.CommandLine;

/** The {@code arbiter} executable. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 bad usage or input). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ArbiterCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("arbiter: " + ex.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
