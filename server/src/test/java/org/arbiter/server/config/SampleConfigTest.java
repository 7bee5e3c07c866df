package org.arbiter.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleConfigTest {

    @Test
    void theAnnotatedSampleIsValid() {
        ArbiterConfig c = ConfigLoader.load(Path.of("..", "arbiter.sample.yaml"));
        assertThat(c.diameter().originHost()).isEqualTo("pcrf.example.net");
        assertThat(c.diameter().peers()).hasSize(1);
        assertThat(c.devices()).extracting(ArbiterConfig.Device::id).containsExactly("dslam-1");
    }
}
