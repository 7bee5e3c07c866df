package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's CPU shares, read from a /proc/stat laid out as Linux's. */
class MachineCpuTest {

    @TempDir
    Path dir;

    @Test
    void theSharesOfAWindowComeFromTheDifferencesOfTheCpuLine() throws IOException {
        Path stat = dir.resolve("stat");
        MachineCpu cpu = new MachineCpu(stat);
        Files.writeString(stat, "cpu  1000 10 300 5000 40 0 60 100 0 0\ncpu0 500 5 150 2500 20 0 30 50 0 0\nintr 1 2 3\n");
        MachineCpu.Ticks before = cpu.read();
        // 200 ticks later: 120 busy (100 user, 15 system, 5 softirq), 10 iowait, 30 idle, 40 stolen
        Files.writeString(stat, "cpu  1100 10 315 5030 50 0 65 140 0 0\ncpu0 550 5 157 2515 25 0 32 70 0 0\n");
        MachineCpu.Ticks after = cpu.read();

        MachineCpu.Share s = MachineCpu.between(before, after);

        assertThat(s.busy()).isCloseTo(0.60, within(1e-9));
        assertThat(s.iowait()).isCloseTo(0.05, within(1e-9));
        assertThat(s.idle()).isCloseTo(0.15, within(1e-9));
        assertThat(s.steal()).isCloseTo(0.20, within(1e-9));
    }

    @Test
    void anUnknownOrEmptyWindowHasNoShares() throws IOException {
        MachineCpu.Ticks t = MachineCpu.ticks("cpu  1 2 3 4 5 6 7 8 9 10");

        assertThat(MachineCpu.between(null, t)).isNull();
        assertThat(MachineCpu.between(t, t)).isNull();
        assertThat(new MachineCpu(dir.resolve("missing")).read()).isNull();
        Files.writeString(dir.resolve("bad"), "intr 1 2 3\n");
        assertThat(new MachineCpu(dir.resolve("bad")).read()).isNull();
        assertThatThrownBy(() -> MachineCpu.ticks("cpu 1 2 3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu line");
    }
}
