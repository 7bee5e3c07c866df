package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RxBenchTest {

    @Test
    void aPhaseNamesTargetModeValueAndDuration() {
        RxBench.PhaseSpec p = RxBench.PhaseSpec.parse("full-h2:open:5000:2m");

        assertThat(p).isEqualTo(new RxBench.PhaseSpec("full-h2", "open", 5000, Duration.ofMinutes(2)));
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
    void theIssueSuiteMeasuresEveryTarget() {
        assertThat(RxBench.suite("issue")).extracting(s -> s.split(":")[0]).contains("diameter", "jdiameter", "full-h2", "full-pg", "full-mem");
    }
}
