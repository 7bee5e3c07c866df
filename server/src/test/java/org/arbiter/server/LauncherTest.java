package org.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./arbiter} launcher's JVM options, read from its dry run
 * ({@code ARBITER_LAUNCHER_DRY_RUN=1} prints the java command, one argument per line).
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("arbiter");

    record Run(int exitCode, List<String> command, String stderr) {}

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("ARBITER_JAVA_OPTS");
        pb.environment().remove("ARBITER_HEAP");
        pb.environment().remove("ARBITER_THP_SETTING");
        pb.environment().put("ARBITER_LAUNCHER_DRY_RUN", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher's dry run ends").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }

    private static List<String> jvmOptions(Run run) {
        int main = run.command().indexOf("org.arbiter.server.Main");
        assertThat(main).as("the command runs the CLI: %s", run.command()).isPositive();
        return run.command().subList(1, main);
    }

    @Test
    void theLauncherIsThere() {
        assertThat(Files.isRegularFile(LAUNCHER)).as(LAUNCHER.toString()).isTrue();
    }

    @Test
    void serveRunsWithAFixedHeapOf512MegabytesByDefault() throws Exception {
        Run run = launch(Map.of(), "serve", "--config", "arbiter.yaml");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(jvmOptions(run)).contains("-Xms512m", "-Xmx512m");
        assertThat(run.command()).endsWith("org.arbiter.server.Main", "serve", "--config", "arbiter.yaml");
    }

    @Test
    void arbiterHeapSetsServesHeap() throws Exception {
        Run run = launch(Map.of("ARBITER_HEAP", "2g"), "serve");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(jvmOptions(run)).contains("-Xms2g", "-Xmx2g").doesNotContain("-Xmx512m");
    }

    @Test
    void aHeapInArbiterJavaOptsIsLeftAsGiven() throws Exception {
        Run run = launch(Map.of("ARBITER_JAVA_OPTS", "-Xmx1g -Dx=1"), "serve");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(jvmOptions(run)).contains("-Xmx1g", "-Dx=1").noneMatch(o -> o.startsWith("-Xms"));
        Run initial = launch(Map.of("ARBITER_JAVA_OPTS", "-XX:InitialHeapSize=256m"), "serve");
        assertThat(jvmOptions(initial)).contains("-XX:InitialHeapSize=256m").noneMatch(o -> o.startsWith("-Xm"));
    }

    @Test
    void otherCommandsKeepTheJvmsDefaultHeap() throws Exception {
        Run run = launch(Map.of(), "demo");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(jvmOptions(run)).noneMatch(o -> o.startsWith("-Xm"));
        assertThat(run.command()).endsWith("org.arbiter.server.Main", "demo");
    }

    @Test
    void aBadHeapSizeStopsTheLauncherAndNamesTheKeyAndTheValue() throws Exception {
        for (String bad : List.of("512", "2x", "0m", "-1g", "512 m")) {
            Run run = launch(Map.of("ARBITER_HEAP", bad), "serve");
            assertThat(run.exitCode()).as("ARBITER_HEAP=%s", bad).isEqualTo(2);
            assertThat(run.command()).as("nothing is run for ARBITER_HEAP=%s", bad).isEmpty();
            assertThat(run.stderr()).contains("ARBITER_HEAP='" + bad + "'", "512m or 2g");
        }
    }

    @Test
    void serveAsksForTransparentHugePagesWhereTheKernelOffersThem(@TempDir Path dir) throws Exception {
        Map<String, Boolean> settings = Map.of("always [madvise] never", true, "[always] madvise never", true,
                "always madvise [never]", false);
        for (var e : settings.entrySet()) {
            Path setting = Files.writeString(dir.resolve("enabled"), e.getKey() + "\n");
            Run run = launch(Map.of("ARBITER_THP_SETTING", setting.toString()), "serve");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            if (e.getValue()) {
                assertThat(jvmOptions(run)).as(e.getKey()).contains("-XX:+UseTransparentHugePages");
            } else {
                assertThat(jvmOptions(run)).as(e.getKey()).noneMatch(o -> o.contains("TransparentHugePages"));
            }
        }
        Path offered = Files.writeString(dir.resolve("enabled"), "always [madvise] never\n");
        Run none = launch(Map.of("ARBITER_THP_SETTING", dir.resolve("absent").toString()), "serve");
        assertThat(jvmOptions(none)).as("no such setting").noneMatch(o -> o.contains("TransparentHugePages"));
        Run demo = launch(Map.of("ARBITER_THP_SETTING", offered.toString()), "demo");
        assertThat(jvmOptions(demo)).as("not serve").noneMatch(o -> o.contains("TransparentHugePages"));
        Run off = launch(Map.of("ARBITER_THP_SETTING", offered.toString(), "ARBITER_JAVA_OPTS", "-XX:-UseTransparentHugePages"), "serve");
        assertThat(jvmOptions(off)).as("ARBITER_JAVA_OPTS decides").contains("-XX:-UseTransparentHugePages")
                .doesNotContain("-XX:+UseTransparentHugePages");
    }
}
