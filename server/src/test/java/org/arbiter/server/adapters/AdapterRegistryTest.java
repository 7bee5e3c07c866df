package org.arbiter.server.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigException;
import org.junit.jupiter.api.Test;

class AdapterRegistryTest {

    final List<String> closed = new ArrayList<>();

    DeviceAdapterProvider provider(String name, int spi) {
        return new DeviceAdapterProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int spiVersion() {
                return spi;
            }

            @Override
            public DeviceAdapter create(AdapterConfig config) {
                config.rejectUnknownKeys(java.util.Set.of("host"));
                return new NullDevice(config.deviceId());
            }
        };
    }

    final class NullDevice implements DeviceAdapter {
        final String id;

        NullDevice(String id) {
            this.id = id;
        }

        @Override
        public String deviceId() {
            return id;
        }

        @Override
        public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
            return List.of();
        }

        @Override
        public List<Outcome> remove(List<String> ids, Duration timeout) {
            return List.of();
        }

        @Override
        public DeviceListing list(Duration timeout) {
            return DeviceListing.of(List.of());
        }

        @Override
        public DeviceHealth health(Duration timeout) {
            return new DeviceHealth(DeviceHealth.Status.UP, "", Instant.now());
        }

        @Override
        public void close() {
            closed.add(id);
        }
    }

    @Test
    void duplicateProviderNamesFailListingWhatWasFound() {
        assertThatThrownBy(() -> AdapterRegistry.of(List.of(provider("snmp", 1), provider("snmp", 1), provider("lab", 1))))
                .hasMessageContaining("two adapter providers are named 'snmp'")
                .hasMessageContaining("lab (SPI 1");
    }

    @Test
    void spiVersionMismatchFails() {
        assertThatThrownBy(() -> AdapterRegistry.of(List.of(provider("old", 0))))
                .hasMessageContaining("'old'")
                .hasMessageContaining("SPI version 0")
                .hasMessageContaining("implements version " + DeviceAdapterProvider.SPI_VERSION);
    }

    @Test
    void deviceNamingAnUnknownAdapterFailsListingTheKnownOnes() {
        AdapterRegistry r = AdapterRegistry.of(List.of(provider("lab", 1), provider("snmp", 1)));
        assertThatThrownBy(() -> r.create(List.of(new ArbiterConfig.Device("d1", "netconf", "devices[0].settings", Map.of()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices[0].adapter")
                .hasMessageContaining("'netconf'")
                .hasMessageContaining("[lab, snmp]");
    }

    @Test
    void adapterConfigurationErrorNamesTheKeyAndClosesDevicesAlreadyCreated() {
        AdapterRegistry r = AdapterRegistry.of(List.of(provider("lab", 1)));
        assertThatThrownBy(() -> r.create(List.of(
                new ArbiterConfig.Device("d1", "lab", "devices[0].settings", Map.of("host", "a")),
                new ArbiterConfig.Device("d2", "lab", "devices[1].settings", Map.of("hots", "b")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices[1].settings.hots")
                .hasMessageContaining("'b'");
        assertThat(closed).containsExactly("d1");
    }

    @Test
    void adapterConfigExceptionMasksSecrets() {
        assertThat(new AdapterConfigException("devices[0].settings.auth-password", "hunter2", "8+ characters").getMessage())
                .doesNotContain("hunter2").contains("***");
    }

    @Test
    void discoveryOnTheClassPathFindsTheLabAdapter() {
        assertThat(AdapterRegistry.discover(getClass().getClassLoader()).providers()).containsKey("lab");
    }
}
