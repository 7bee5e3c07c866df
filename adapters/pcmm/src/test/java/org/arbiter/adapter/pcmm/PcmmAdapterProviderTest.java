package org.arbiter.adapter.pcmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.junit.jupiter.api.Test;

class PcmmAdapterProviderTest {

    private static Map<String, Object> minimal() {
        return new HashMap<>(Map.of("host", "cmts1.example.net", "amid", "1:42"));
    }

    private static PcmmConfig parse(Map<String, Object> settings) {
        return PcmmConfig.from(new AdapterConfig("cmts-1", "devices[3].settings", settings));
    }

    private static AdapterConfigException refused(Map<String, Object> settings) {
        try {
            parse(settings);
        } catch (AdapterConfigException e) {
            return e;
        }
        throw new AssertionError("accepted " + settings);
    }

    @Test
    void serviceLoaderFindsTheProviderNamedPcmmAtSpiVersion1() {
        assertThat(ServiceLoader.load(DeviceAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(p -> p.name().equals("pcmm")).singleElement()
                .satisfies(p -> assertThat(p.spiVersion()).isEqualTo(DeviceAdapterProvider.SPI_VERSION).isEqualTo(1))
                .isInstanceOf(PcmmAdapterProvider.class);
    }

    @Test
    void minimalSectionTakesTheDefaults() {
        PcmmConfig c = parse(minimal());

        assertThat(c.port()).isEqualTo(3918);
        assertThat(c.amid()).isEqualTo(new PcmmObject.Amid(1, 42));
        assertThat(c.keepAliveSeconds()).isEqualTo(30);
        assertThat(c.upstreamServiceClass()).isNull();
        assertThat(c.upstreamProfile()).isEqualTo(PcmmConfig.UpstreamProfile.FLOWSPEC);
        assertThat(c.downstreamProfile()).isEqualTo(PcmmConfig.DownstreamProfile.FLOWSPEC);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.reconnectMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconnectMax()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void createDoesNotContactTheCmts() {
        Map<String, Object> s = minimal();
        s.put("host", "192.0.2.1");

        try (PcmmDevice d = new PcmmAdapterProvider().create(new AdapterConfig("cmts-1", "devices[3].settings", s))) {
            assertThat(d.deviceId()).isEqualTo("cmts-1");
            assertThat(d.sessionState()).isEqualTo(CmtsSession.State.IDLE);
        }
    }

    @Test
    void unknownKeyIsRefusedNamingItsPath() {
        Map<String, Object> s = minimal();
        s.put("keepalive", 30);

        AdapterConfigException e = refused(s);

        assertThat(e.keyPath()).isEqualTo("devices[3].settings.keepalive");
        assertThat(e).hasMessageContaining("keepalive-seconds");
    }

    @Test
    void missingHostIsRefused() {
        Map<String, Object> s = minimal();
        s.remove("host");

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.host");
    }

    @Test
    void missingAmidIsRefused() {
        Map<String, Object> s = minimal();
        s.remove("amid");

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.amid");
    }

    @Test
    void amidAsThirtyTwoBitIntegerSplitsIntoTypeAndTag() {
        Map<String, Object> s = minimal();
        s.put("amid", 0x0001_002AL);

        assertThat(parse(s).amid()).isEqualTo(new PcmmObject.Amid(1, 42));
    }

    @Test
    void amidOutOfRangeIsRefusedSayingWhatIsAllowed() {
        for (Object bad : new Object[] {0, "0:0", "70000:1", 1L << 32, "one:two", 1.5}) {
            Map<String, Object> s = minimal();
            s.put("amid", bad);

            assertThat(refused(s)).as("amid %s", bad).hasMessageContaining("devices[3].settings.amid").hasMessageContaining("type:tag");
        }
    }

    @Test
    void keepAliveOfZeroIsRefused() {
        Map<String, Object> s = minimal();
        s.put("keepalive-seconds", 0);

        assertThat(refused(s)).hasMessageContaining("keepalive-seconds").hasMessageContaining("[1, 65535]");
    }

    @Test
    void serviceClassStringAppliesToBothDirections() {
        Map<String, Object> s = minimal();
        s.put("service-class", "GAMING");

        PcmmConfig c = parse(s);

        assertThat(c.upstreamServiceClass()).isEqualTo("GAMING");
        assertThat(c.downstreamServiceClass()).isEqualTo("GAMING");
    }

    @Test
    void serviceClassMapSetsEachDirection() {
        Map<String, Object> s = minimal();
        s.put("service-class", Map.of("downstream", "VIDEO_DS"));

        PcmmConfig c = parse(s);

        assertThat(c.upstreamServiceClass()).isNull();
        assertThat(c.downstreamServiceClass()).isEqualTo("VIDEO_DS");
    }

    @Test
    void serviceClassNameTooLongIsRefused() {
        Map<String, Object> s = minimal();
        s.put("service-class", Map.of("upstream", "SIXTEEN_CHARS_XX"));

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.service-class.upstream");
    }

    @Test
    void serviceClassMapWithAnotherKeyIsRefused() {
        Map<String, Object> s = minimal();
        s.put("service-class", Map.of("up", "VOICE"));

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.service-class.up");
    }

    @Test
    void unknownProfileIsRefusedListingTheChoices() {
        Map<String, Object> s = minimal();
        s.put("upstream-profile", "nrtps");

        assertThat(refused(s)).hasMessageContaining("upstream-profile").hasMessageContaining("[best-effort, flowspec, rtps, ugs]");
    }

    @Test
    void profilesAreReadInKebabCase() {
        Map<String, Object> s = minimal();
        s.put("upstream-profile", "best-effort");
        s.put("downstream-profile", "downstream-service");

        PcmmConfig c = parse(s);

        assertThat(c.upstreamProfile()).isEqualTo(PcmmConfig.UpstreamProfile.BEST_EFFORT);
        assertThat(c.downstreamProfile()).isEqualTo(PcmmConfig.DownstreamProfile.DOWNSTREAM_SERVICE);
    }

    @Test
    void reconnectMaxBelowMinIsRefused() {
        Map<String, Object> s = minimal();
        s.put("reconnect-min-ms", 5000);
        s.put("reconnect-max-ms", 1000);

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.reconnect-max-ms");
    }

    @Test
    void sessionPriorityOutsideThreeBitsIsRefused() {
        Map<String, Object> s = minimal();
        s.put("session-priority", 8);

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.session-priority");
    }
}
