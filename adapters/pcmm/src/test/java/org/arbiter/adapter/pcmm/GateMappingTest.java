package org.arbiter.adapter.pcmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.arbiter.adapter.pcmm.mm.Classifier;
import org.arbiter.adapter.pcmm.mm.GateSpec;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.adapter.pcmm.mm.TrafficProfile;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;

class GateMappingTest {

    static PcmmConfig config(Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>(Map.of("host", "cmts.test", "amid", "1:42"));
        s.putAll(extra);
        return PcmmConfig.from(new AdapterConfig("cmts-1", "devices[0].settings", s));
    }

    static DeviceReservation up(String address, long rate, Integer latencyMs) {
        return new DeviceReservation("s;1;1|1.1|UL|" + address + "|line-1", "s;1;1", "line-1", Direction.UPLINK, address, rate,
                DeviceReservation.defaultBurst(rate), 46, latencyMs);
    }

    static DeviceReservation down(String address, long rate, Integer latencyMs) {
        return new DeviceReservation("s;1;1|1.2|DL|" + address + "|line-1", "s;1;1", "line-1", Direction.DOWNLINK, address, rate,
                DeviceReservation.defaultBurst(rate), 34, latencyMs);
    }

    @Test
    void uplinkBecomesAnUpstreamGateClassifyingOnTheSubscriberAsSource() {
        List<PcmmObject> o = GateMapping.gateSet(up("10.1.0.7", 64_000, null), -1, config(Map.of()));

        assertThat(o).extracting(PcmmObject::sNum).containsExactly(PcmmObject.S_AMID, PcmmObject.S_SUBSCRIBER_ID, PcmmObject.S_GATE_SPEC,
                PcmmObject.S_TRAFFIC_PROFILE, PcmmObject.S_CLASSIFIER, PcmmObject.S_OPAQUE_DATA);
        assertThat(o.get(0)).isEqualTo(new PcmmObject.Amid(1, 42));
        assertThat(((PcmmObject.SubscriberId) o.get(1)).address().getHostAddress()).isEqualTo("10.1.0.7");
        GateSpec spec = (GateSpec) o.get(2);
        assertThat(spec.direction()).isEqualTo(GateSpec.Direction.UPSTREAM);
        assertThat(spec.dscp()).isEqualTo(46);
        assertThat(spec.flags()).isEqualTo(0x03);
        Classifier.Extended c = (Classifier.Extended) o.get(4);
        assertThat(c.source().getHostAddress()).isEqualTo("10.1.0.7");
        assertThat(c.sourceMask().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(c.destinationMask().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(c.protocolId()).isEqualTo(Classifier.PROTOCOL_ANY);
        assertThat(c.action()).isEqualTo(Classifier.ACTION_ADD);
    }

    @Test
    void downlinkIpv6BecomesADownstreamGateClassifyingOnTheSubscriberAsDestination() {
        List<PcmmObject> o = GateMapping.gateSet(down("2001:db8::1b", 64_000, null), -1, config(Map.of()));

        assertThat(((GateSpec) o.get(2)).direction()).isEqualTo(GateSpec.Direction.DOWNSTREAM);
        assertThat(o.get(1).sType()).isEqualTo(2);
        Classifier.Ipv6 c = (Classifier.Ipv6) o.get(4);
        assertThat(c.destination().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1b");
        assertThat(c.destinationPrefixLength()).isEqualTo(128);
        assertThat(c.sourcePrefixLength()).isZero();
    }

    @Test
    void modificationCarriesTheGateIdAndReplacesTheClassifier() {
        List<PcmmObject> o = GateMapping.gateSet(up("10.1.0.7", 64_000, null), 0x1234, config(Map.of()));

        assertThat(o.get(2)).isEqualTo(new PcmmObject.GateId(0x1234));
        assertThat(o).filteredOn(Classifier.class::isInstance).singleElement()
                .satisfies(c -> assertThat(((Classifier.Extended) c).action()).isEqualTo(Classifier.ACTION_REPLACE));
    }

    @Test
    void flowSpecIsGuaranteedServiceAtTheRateInBytesWithAllThreeEnvelopes() {
        TrafficProfile p = GateMapping.profile(up("10.1.0.7", 64_000, null), config(Map.of()));

        assertThat(p).isInstanceOfSatisfying(TrafficProfile.FlowSpec.class, f -> {
            assertThat(f.envelope()).isEqualTo(7);
            assertThat(f.serviceNumber()).isEqualTo(TrafficProfile.FlowSpec.GUARANTEED);
            assertThat(f.envelopes()).hasSize(3).allSatisfy(e -> {
                assertThat(e.tokenBucketRate()).isEqualTo(8000f);
                assertThat(e.rate()).isEqualTo(8000f);
                assertThat(e.tokenBucketSize()).isEqualTo(1500f);
            });
        });
    }

    @Test
    void serviceClassNameWinsForItsDirectionOnly() {
        PcmmConfig cfg = config(Map.of("service-class", Map.of("upstream", "VOICE_UP")));

        assertThat(GateMapping.profile(up("10.1.0.7", 64_000, null), cfg)).isEqualTo(new TrafficProfile.ServiceClassName(7, "VOICE_UP"));
        assertThat(GateMapping.profile(down("10.1.0.7", 64_000, null), cfg)).isInstanceOf(TrafficProfile.FlowSpec.class);
    }

    @Test
    void ugsGrantsTheRateEveryHalfLatency() {
        TrafficProfile p = GateMapping.profile(up("10.1.0.7", 64_000, 40), config(Map.of("upstream-profile", "ugs")));

        assertThat(p).isInstanceOfSatisfying(TrafficProfile.UnsolicitedGrant.class, u -> assertThat(u.envelopes()).allSatisfy(e -> {
            assertThat(e.nominalGrantInterval()).isEqualTo(20_000);
            assertThat(e.grantSize()).isEqualTo(160);
            assertThat(e.grantsPerInterval()).isEqualTo(1);
            assertThat(e.requestTransmissionPolicy()).isEqualTo(GateMapping.UGS_TRANSMISSION_POLICY);
        }));
    }

    @Test
    void ugsBeyondItsSixteenBitGrantSizeIsRefused() {
        assertThatThrownBy(() -> GateMapping.profile(up("10.1.0.7", 100_000_000, 200), config(Map.of("upstream-profile", "ugs"))))
                .isInstanceOf(CopsException.class).hasMessageContaining("grant size");
    }

    @Test
    void bestEffortTakesItsPriorityFromTheDscpClass() {
        TrafficProfile p = GateMapping.profile(up("10.1.0.7", 64_000, null), config(Map.of("upstream-profile", "best-effort")));

        assertThat(p).isInstanceOfSatisfying(TrafficProfile.BestEffort.class, b -> assertThat(b.envelopes()).allSatisfy(e -> {
            assertThat(e.trafficPriority()).isEqualTo(5);
            assertThat(e.maxSustainedRate()).isEqualTo(64_000);
            assertThat(e.minReservedRate()).isEqualTo(64_000);
            assertThat(e.maxTrafficBurst()).isEqualTo(1522);
        }));
    }

    @Test
    void downstreamServiceCarriesTheLatencyTargetInMicroseconds() {
        TrafficProfile p = GateMapping.profile(down("10.1.0.7", 2_000_000, 30), config(Map.of("downstream-profile", "downstream-service")));

        assertThat(p).isInstanceOfSatisfying(TrafficProfile.DownstreamService.class, d -> assertThat(d.envelopes()).allSatisfy(e -> {
            assertThat(e.maxDownstreamLatency()).isEqualTo(30_000);
            assertThat(e.maxSustainedRate()).isEqualTo(2_000_000);
        }));
    }

    @Test
    void docsisRateFieldsRefuseRatesBeyondThirtyTwoBits() {
        assertThatThrownBy(() -> GateMapping.profile(up("10.1.0.7", 5_000_000_000L, null), config(Map.of("upstream-profile", "rtps"))))
                .isInstanceOf(CopsException.class).hasMessageContaining("32-bit");
    }

    @Test
    void subscriberThatIsNotAnAddressLiteralIsRefusedWithoutALookup() {
        assertThatThrownBy(() -> GateMapping.gateSet(up("cmts.example.net", 64_000, null), -1, config(Map.of())))
                .isInstanceOf(CopsException.class).hasMessageContaining("not an IPv4 or IPv6 literal");
    }

    @Test
    void opaqueDataGivesTheReservationBackWithItsPadding() {
        DeviceReservation r = up("10.1.0.7", 64_000, 100);
        PcmmObject.OpaqueData o = GateMapping.opaque(r);
        byte[] padded = java.util.Arrays.copyOf(o.data(), PcmmObject.padded(o.data().length));

        assertThat(GateMapping.reservation(new PcmmObject.OpaqueData(padded))).contains(r);
    }

    @Test
    void opaqueDataKeepsNullFields() {
        DeviceReservation r = new DeviceReservation("id-only", null, null, Direction.DOWNLINK, "10.0.0.1", 0, 0, 0, null);

        assertThat(GateMapping.reservation(GateMapping.opaque(r))).contains(r);
    }

    @Test
    void opaqueDataOfAnotherApplicationIsNotOurs() {
        assertThat(GateMapping.reservation(new PcmmObject.OpaqueData("hello, world".getBytes()))).isEmpty();
    }

    @Test
    void opaqueDataWithBytesAfterTheRecordIsNotOurs() {
        byte[] b = GateMapping.opaque(up("10.1.0.7", 64_000, null)).data();
        byte[] longer = java.util.Arrays.copyOf(b, b.length + 4);
        longer[b.length + 1] = 7;

        assertThat(GateMapping.reservation(new PcmmObject.OpaqueData(longer))).isEmpty();
    }

    @Test
    void truncatedOpaqueDataIsNotOurs() {
        byte[] b = GateMapping.opaque(up("10.1.0.7", 64_000, null)).data();

        assertThat(GateMapping.reservation(new PcmmObject.OpaqueData(java.util.Arrays.copyOf(b, b.length - 3)))).isEmpty();
    }
}
