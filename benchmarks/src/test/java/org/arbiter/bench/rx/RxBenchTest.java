package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RxBenchTest {

    @Test
    void aPhaseNamesTargetModeValueAndDuration() {
        RxBench.PhaseSpec p = RxBench.PhaseSpec.parse("full-h2:open:5000:2m");

        assertThat(p).isEqualTo(new RxBench.PhaseSpec("full-h2", "open", 5000, Duration.ofMinutes(2), List.of()));
    }

    @Test
    void aFillPhaseReadsTheHeapAtEveryStep() {
        RxBench.PhaseSpec p = RxBench.PhaseSpec.parse("full-mem:fill:10000/30000");

        assertThat(p.steps()).containsExactly(10_000L, 30_000L);
        assertThat(p.label()).isEqualTo("full-mem fill 10000/30000");
    }

    @Test
    void fillStepsThatDoNotIncreaseAreRefused() {
        assertThatThrownBy(() -> RxBench.PhaseSpec.parse("full-mem:fill:30000/10000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
    }

    @Test
    void anUnknownTargetIsRefusedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> RxBench.PhaseSpec.parse("freediameter:open:10:5s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'freediameter'").hasMessageContaining("jdiameter");
    }

    @Test
    void aDurationWithoutUnitIsRefused() {
        assertThatThrownBy(() -> RxBench.PhaseSpec.parse("diameter:closed:10:30"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'30' is not a duration");
    }

    @Test
    void targetJvmOptionsAreXxOptionsSystemPropertiesAndLogOptionsOnly() {
        assertThat(RxBench.targetJvmOptions("")).isEmpty();
        assertThat(RxBench.targetJvmOptions(" -XX:+UseZGC  -XX:MaxGCPauseMillis=5 ")).containsExactly("-XX:+UseZGC", "-XX:MaxGCPauseMillis=5");
        assertThat(RxBench.targetJvmOptions("-Djdk.virtualThreadScheduler.parallelism=1 -Xlog:safepoint:file=s.log"))
                .containsExactly("-Djdk.virtualThreadScheduler.parallelism=1", "-Xlog:safepoint:file=s.log");
        assertThatThrownBy(() -> RxBench.targetJvmOptions("-XX:+UseZGC -Xmx8g"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-Xmx8g'").hasMessageContaining("--target-heap");
        assertThatThrownBy(() -> RxBench.targetJvmOptions("-cp /tmp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-cp'");
        assertThatThrownBy(() -> RxBench.targetJvmOptions("-D=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-D=1'");
        assertThatThrownBy(() -> RxBench.targetJvmOptions("-D"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'-D'");
    }

    @Test
    void aTargetRunsWithItsWholeHeapFromTheStart() {
        assertThat(RxBench.heapOptions("512m")).containsExactly("-Xms512m", "-Xmx512m");
        assertThat(RxBench.heapOptions("2g")).containsExactly("-Xms2g", "-Xmx2g");
        assertThatThrownBy(() -> RxBench.heapOptions("512 m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--target-heap: '512 m'");
    }

    @Test
    void theIssueSuiteMeasuresEveryTarget() {
        assertThat(RxBench.suite("issue")).extracting(s -> s.split(":")[0]).contains("diameter", "jdiameter", "full-h2", "full-journal", "full-pg", "full-journal-pg", "full-mem");
    }

    @Test
    void hugePagesAreAskedForWhereTheKernelGivesThemToAProcessThatAsks(@TempDir Path dir) throws Exception {
        Path setting = dir.resolve("enabled");
        Files.writeString(setting, "always [madvise] never\n");
        assertThat(RxBench.hugePagesOffered(setting)).isTrue();
        Files.writeString(setting, "[always] madvise never\n");
        assertThat(RxBench.hugePagesOffered(setting)).isTrue();
        Files.writeString(setting, "always madvise [never]\n");
        assertThat(RxBench.hugePagesOffered(setting)).isFalse();
        assertThat(RxBench.hugePagesOffered(dir.resolve("absent"))).isFalse();
    }
}
