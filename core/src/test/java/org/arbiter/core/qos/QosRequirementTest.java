package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QosRequirementTest {

    private static final QosRequirement GAME = new QosRequirement(2_000_000, "fps-game", 40, 10, 0.5,
            Security.INTEGRITY);

    @Test
    void withTheSameBandwidthIsAnEqualRequirement() {
        assertThat(GAME.withBandwidth(2_000_000)).isEqualTo(GAME);
    }

    @Test
    void withAnotherBandwidthKeepsEverythingElse() {
        assertThat(GAME.withBandwidth(0)).isEqualTo(new QosRequirement(0, "fps-game", 40, 10, 0.5, Security.INTEGRITY));
    }
}
