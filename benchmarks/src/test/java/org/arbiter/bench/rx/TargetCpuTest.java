package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The target's CPU time by group of threads, read from a /proc directory laid out as Linux's. */
class TargetCpuTest {

    @TempDir
    Path proc;

    /** A stat line as the kernel writes it: utime and stime are the 14th and 15th fields. */
    private static String stat(long id, String name, long userTicks, long systemTicks) {
        return id + " (" + name + ") S 1 1 1 0 -1 4194368 100 0 0 0 " + userTicks + " " + systemTicks + " 0 0 20 0 40 0 5 0 0\n";
    }

    private void process(long userTicks, long systemTicks) throws IOException {
        Files.writeString(proc.resolve("stat"), stat(100, "java", userTicks, systemTicks));
    }

    /** A thread without a schedstat file, as under a kernel that keeps none. */
    private void thread(long id, String name, long userTicks, long systemTicks) throws IOException {
        Path t = Files.createDirectories(proc.resolve("task").resolve(Long.toString(id)));
        Files.writeString(t.resolve("stat"), stat(id, name, userTicks, systemTicks));
    }

    /** A thread whose schedstat says it waited {@code waitMillis} for a CPU so far. */
    private void thread(long id, String name, long userTicks, long systemTicks, long waitMillis) throws IOException {
        thread(id, name, userTicks, systemTicks);
        Files.writeString(proc.resolve("task").resolve(Long.toString(id)).resolve("schedstat"),
                (userTicks + systemTicks) * TargetCpu.TICK_NANOS + " " + ms(waitMillis) + " 42\n");
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    @Test
    void theKernelsThreadNamesFallIntoTheTargetsGroups() {
        assertThat(TargetCpu.group("ForkJoinPool-1-")).isEqualTo("carriers");
        assertThat(TargetCpu.group("diameter-io-1-2")).isEqualTo("event loops");
        assertThat(TargetCpu.group("journal-writer")).isEqualTo("journal writer");
        assertThat(TargetCpu.group("journal-mark")).isEqualTo("journal marker");
        assertThat(TargetCpu.group("GC Thread#1")).isEqualTo("GC");
        assertThat(TargetCpu.group("G1 Refine#0")).isEqualTo("GC");
        assertThat(TargetCpu.group("C2 CompilerThre")).isEqualTo("JIT");
        assertThat(TargetCpu.group("ForkJoinPool.co")).isEqualTo("other");
        assertThat(TargetCpu.group("VM Thread")).isEqualTo("other");
    }

    @Test
    void aNameWithSpacesAndParenthesesIsReadUpToTheLastParenthesis() {
        String line = stat(7, "a (b) c", 12, 3);

        assertThat(TargetCpu.name(line)).isEqualTo("a (b) c");
        assertThat(TargetCpu.use(line)).isEqualTo(new TargetCpu.Use(12 * TargetCpu.TICK_NANOS, 3 * TargetCpu.TICK_NANOS, 0));
        assertThatThrownBy(() -> TargetCpu.use("7 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fields after the name");
    }

    @Test
    void eachGroupGetsWhatItsThreadsUsedBetweenTwoReadings() throws IOException {
        TargetCpu cpu = new TargetCpu(proc);
        process(100, 40);
        thread(11, "ForkJoinPool-1-", 50, 2, 100);
        thread(12, "ForkJoinPool-1-", 20, 1, 10);
        thread(13, "diameter-io-1-1", 10, 30);
        thread(14, "h2-pool", 5, 0);
        TargetCpu.Reading before = cpu.read();

        process(180, 75);
        thread(11, "ForkJoinPool-1-", 80, 3, 400);
        thread(12, "ForkJoinPool-1-", 40, 2, 60);
        thread(13, "diameter-io-1-1", 15, 60);
        // 14 ended (its time is not counted), 15 started and is counted from zero
        Files.delete(proc.resolve("task/14/stat"));
        Files.delete(proc.resolve("task/14"));
        thread(15, "journal-writer", 7, 1, 3);
        // the same id, another thread: counted from zero too
        TargetCpu.Reading after = cpu.read();

        assertThat(after.totalNanos() - before.totalNanos()).isEqualTo(ms(1150));
        Map<String, TargetCpu.Use> groups = after.groupsSince(before);
        assertThat(groups).containsExactly(
                Map.entry("carriers", new TargetCpu.Use(ms(500), ms(20), ms(350))),
                Map.entry("event loops", new TargetCpu.Use(ms(50), ms(300), 0)),
                Map.entry("journal writer", new TargetCpu.Use(ms(70), ms(10), ms(3))));
    }

    @Test
    void aThreadIdTakenByAnotherThreadCountsTheNewThreadFromZero() throws IOException {
        TargetCpu cpu = new TargetCpu(proc);
        process(10, 0);
        thread(21, "h2-pool", 90, 9, 500);
        TargetCpu.Reading before = cpu.read();
        thread(21, "journal-mark", 4, 1, 7);
        TargetCpu.Reading after = cpu.read();

        assertThat(after.groupsSince(before)).containsExactly(Map.entry("journal marker", new TargetCpu.Use(ms(40), ms(10), ms(7))));
        assertThat(TargetCpu.GROUPS).containsSubsequence(List.of("carriers", "event loops", "journal marker", "other"));
    }

    @Test
    void theRunQueueWaitIsSchedstatsSecondField() {
        assertThat(TargetCpu.waitNanos("2600116 29195963 1166\n")).isEqualTo(29_195_963L);
        assertThatThrownBy(() -> TargetCpu.waitNanos("12 34")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schedstat");
    }

    @Test
    void withoutAProcDirectoryTheReadingIsUnknown() {
        TargetCpu.Reading r = new TargetCpu(proc.resolve("gone")).read();

        assertThat(r.totalNanos()).isEqualTo(-1);
        assertThat(r.threads()).isEmpty();
    }

    @Test
    void aReportGivesEachGroupPerSessionAndInItsJson() {
        Map<String, TargetCpu.Use> groups = new java.util.LinkedHashMap<>();
        groups.put("carriers", new TargetCpu.Use(ms(1_100), ms(100), ms(900)));
        groups.put("event loops", new TargetCpu.Use(ms(200), ms(300), 0));
        LoadReport r = new LoadReport("full open 5000", 2, 10_000, 10_000, 0, 20_000, 0, 0, 1.7, 0.2, Map.of(), null, groups,
                new MachineCpu.Share(0.7, 0.05, 0.04, 0.21));

        assertThat(r.summary())
                .contains("target threads, us per session (system; waiting for a CPU): carriers 120 (10; 90), event loops 50 (30; 0)")
                .contains("machine: busy 70%, stolen by the host 21%, iowait 5%, idle 4%");
        assertThat(r.toJson()).contains("\"targetThreads\":{\"carriers\":{\"userSeconds\":1.100,\"systemSeconds\":0.100,"
                + "\"waitSeconds\":0.900},\"event loops\":{\"userSeconds\":0.200,\"systemSeconds\":0.300,\"waitSeconds\":0}},"
                + "\"machine\":{\"busy\":0.700,\"steal\":0.210,\"iowait\":0.050,\"idle\":0.040},");
        groups.put("carriers", new TargetCpu.Use(ms(1_100), ms(100), 0));
        assertThat(new LoadReport("no schedstat", 2, 10_000, 10_000, 0, 20_000, 0, 0, 1.7, 0.2, Map.of(), null, groups, null).summary())
                .contains("target threads, us per session (system): carriers 120 (10), event loops 50 (30)")
                .doesNotContain("machine:");
        assertThat(new LoadReport("external", 2, 10, 10, 0, 20, 0, 0, -1, 0.2, Map.of(), null, Map.of(), null).summary())
                .doesNotContain("target threads");
    }
}
