package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** The diameter section of arbiter.yaml as the Diameter layer receives it. */
class DiameterSettingsTest {

    private static DiameterConfig diameter(String extra) {
        ArbiterConfig c = ConfigLoader.parse("arbiter.yaml", new StringReader("""
                diameter:
                  origin-host: pcrf.example.net
                  origin-realm: example.net
                %s
                ledger:
                  topology: topology.yaml
                policy:
                  dir: policy
                admin:
                  token: 0123456789abcdef0123
                """.formatted(extra)), Path.of("/etc/arbiter"));
        return ArbiterServer.diameterConfig(c.diameter());
    }

    @Test
    void queueSettingsReachTheDiameterLayer() {
        DiameterConfig d = diameter("  max-in-flight: 100\n  handler-concurrency: 8\n  queue-deadline-ms: 1500");

        assertThat(d.maxInFlight()).isEqualTo(100);
        assertThat(d.handlerConcurrency()).isEqualTo(8);
        assertThat(d.queueDeadline()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aSmallMaxInFlightLowersTheDefaultHandlerConcurrency() {
        DiameterConfig d = diameter("  max-in-flight: 16");

        assertThat(d.handlerConcurrency()).isEqualTo(16);
        assertThat(d.queueDeadline()).isEqualTo(Duration.ofSeconds(4));
    }
}
