package org.arbiter.adapter.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.arbiter.core.adapter.DeviceHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabAdapterProviderTest {

    private final LabAdapterProvider provider = new LabAdapterProvider();

    private static AdapterConfig config(Object... keyValues) {
        Map<String, Object> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new AdapterConfig("dslam-3", "devices[2]", settings);
    }

    @Test
    void serviceLoaderFindsTheLabProvider() {
        assertThat(ServiceLoader.load(DeviceAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(LabAdapterProvider.class);
                    assertThat(p.name()).isEqualTo("lab");
                    assertThat(p.spiVersion()).isEqualTo(DeviceAdapterProvider.SPI_VERSION);
                });
    }

    @Test
    void emptySectionGivesAHealthyDeviceWithTheConfiguredId() {
        try (LabDevice d = provider.create(config())) {
            assertThat(d.deviceId()).isEqualTo("dslam-3");
            assertThat(d.health(Duration.ofSeconds(1)).status())
                    .isEqualTo(DeviceHealth.Status.UP);
        }
    }

    @Test
    void everyKeyAtItsLimitIsAccepted() {
        try (LabDevice d = provider.create(config("latency-ms", 60_000, "fail", "timeout", "fail-after", 3,
                "capacity-rows", 0))) {
            assertThat(d.rows()).isEmpty();
        }
    }

    static Stream<Arguments> badSections() {
        return Stream.of(
                Arguments.of(config("latncy-ms", 5), "devices[2].latncy-ms", "'5'", "[capacity-rows, fail, fail-after, latency-ms]"),
                Arguments.of(config("latency-ms", "fast"), "devices[2].latency-ms", "'fast'", "an integer in [0, 60000]"),
                Arguments.of(config("latency-ms", 60_001), "devices[2].latency-ms", "'60001'", "an integer in [0, 60000]"),
                Arguments.of(config("latency-ms", -1), "devices[2].latency-ms", "'-1'", "an integer in [0, 60000]"),
                Arguments.of(config("latency-ms", 2.5), "devices[2].latency-ms", "'2.5'", "an integer in [0, 60000]"),
                Arguments.of(config("fail", "explode"), "devices[2].fail", "'explode'", "one of none, reject, unreachable, timeout"),
                Arguments.of(config("fail", "REJECT"), "devices[2].fail", "'REJECT'", "one of none, reject, unreachable, timeout"),
                Arguments.of(config("fail", true), "devices[2].fail", "'true'", "one of none, reject, unreachable, timeout"),
                Arguments.of(config("fail", "reject", "fail-after", -2), "devices[2].fail-after", "'-2'", "an integer in [0, 2147483647]"),
                Arguments.of(config("fail-after", 2), "devices[2].fail-after", "'2'", "unless fail is one of reject, unreachable, timeout"),
                Arguments.of(config("capacity-rows", 10_000_001), "devices[2].capacity-rows", "'10000001'", "an integer in [0, 10000000]"),
                Arguments.of(config("capacity-rows", "many"), "devices[2].capacity-rows", "'many'", "an integer in [0, 10000000]"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("badSections")
    void badValueIsRejectedNamingKeyPathValueAndWhatIsAllowed(AdapterConfig bad, String keyPath, String shownValue,
            String allowed) {
        assertThatThrownBy(() -> provider.create(bad))
                .isInstanceOfSatisfying(AdapterConfigException.class, e -> assertThat(e.keyPath()).isEqualTo(keyPath))
                .hasMessageContaining(keyPath)
                .hasMessageContaining(shownValue)
                .hasMessageContaining(allowed);
    }
}
