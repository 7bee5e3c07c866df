package org.arbiter.server.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arbiter bench}: the Diameter Rx load benchmark (BENCHMARKS.md).
 *
 * <p>The load generator and its baselines live in the benchmarks module, which the server does not
 * depend on (nothing here may pull in the jdiameter baseline, AGPL, test scope). So this command
 * runs the benchmark as a child JVM from the benchmarks module's build directory, with the same
 * Java, passing every other argument through ({@code --suite issue}, {@code --phase ...},
 * {@code --help} for the list), and prints the exact command first so it can be rerun by hand.
 * Without {@code --suite} or {@code --phase} it runs {@code --suite smoke}.
 *
 * <p>Exit codes: the benchmark's own (0 every phase ran, 1 a target failed, 2 bad arguments), or 1
 * when the benchmarks module is not built.
 */
@Command(name = "bench", description = {
        "Run the Diameter Rx load benchmark against our Diameter layer, the jdiameter baseline and the full path.",
        "Needs the benchmarks module built: ./mvnw -pl benchmarks -am install -DskipTests.",
        "Other arguments go to the benchmark (--help lists them); without --suite or --phase it runs --suite smoke."})
public final class BenchCommand implements Callable<Integer> {

    private static final String MAIN = "org.arbiter.bench.rx.RxBench";

    @Spec
    CommandSpec spec;

    @Option(names = "--benchmarks-dir", paramLabel = "DIR",
            description = "The benchmarks module's build directory (default: benchmarks/target under the current directory, "
                    + "else the one next to this installation's server/target).")
    Path benchmarksDir;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = benchmarksDir != null ? benchmarksDir : defaultDir();
        Path classes = dir.resolve("classes");
        Path classpathFile = dir.resolve("bench-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isReadable(classpathFile)) {
            err.println("arbiter bench: " + dir.toAbsolutePath() + " holds no built benchmarks (" + classes.getFileName() + "/ and "
                    + classpathFile.getFileName() + " are needed); build them with ./mvnw -pl benchmarks -am install -DskipTests "
                    + "or give --benchmarks-dir");
            err.flush();
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(classes.toAbsolutePath() + ":" + Files.readString(classpathFile).trim());
        cmd.add(MAIN);
        if (arguments.stream().noneMatch(a -> a.startsWith("--suite") || a.startsWith("--phase") || a.equals("--help"))) {
            cmd.addAll(List.of("--suite", "smoke"));
        }
        cmd.addAll(arguments);
        PrintWriter out = spec.commandLine().getOut();
        out.println("running: " + String.join(" ", cmd.subList(0, 2)) + " \"" + classes.toAbsolutePath() + ":$(cat "
                + classpathFile.toAbsolutePath() + ")\" " + String.join(" ", cmd.subList(3, cmd.size())));
        out.flush();
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
    }

    private static Path defaultDir() {
        Path here = Path.of("benchmarks", "target");
        if (Files.isDirectory(here)) {
            return here;
        }
        try {
            // server/target/arbiter.jar (or server/target/classes) -> the repository root
            Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent().getParent().resolve("benchmarks").resolve("target");
        } catch (URISyntaxException | RuntimeException e) {
            return here;
        }
    }
}
