package org.arbiter.server.policy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.arbiter.policy.PolicyTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter policy check DIR} and {@code arbiter policy test DIR --request FILE [--json]}:
 * validate a policy directory, or decide one request against it and show the trace. The work is
 * done by {@link PolicyTool}; the format is in docs/policy.md.
 *
 * <p>Exit codes: 0 valid (check) or decided (test, whatever the verdict), 1 invalid policy (every
 * error printed as {@code file:line:column: message}), 2 invalid request file or bad usage.
 */
@Command(name = "policy",
        mixinStandardHelpOptions = true,
        description = "Check policy files, or test a request against them.",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Test.class})
public final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public PolicyCommand() {
        // picocli instantiates subcommands reflectively
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code arbiter policy check DIR}. */
    @Command(name = "check",
            description = "Validate every policy file in DIR; print a summary (exit 0) or every error with file:line:column (exit 1).")
    public static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "DIR", description = "the policy directory")
        Path dir;

        @Override
        public Integer call() {
            return PolicyTool.check(dir, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** {@code arbiter policy test DIR --request FILE [--json]}. */
    @Command(name = "test",
            description = "Decide the request in FILE against the policy in DIR and print the decision and its trace.")
    public static final class Test implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "the policy directory")
        Path dir;

        @Option(names = "--request", required = true, paramLabel = "FILE",
                description = "the request: JSON (or YAML) with flows or offer/answer SDP components (docs/policy.md)")
        Path request;

        @Option(names = "--json", description = "print the decision as one JSON object")
        boolean json;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Override
        public Integer call() {
            return PolicyTool.test(dir, request, json, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
