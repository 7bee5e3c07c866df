package org.arbiter.diameter.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.RxSamples;
import org.junit.jupiter.api.Test;

class AaRequestReaderTest {

    private static final Dictionary D = Dictionary.standard();
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private static AaRequestReader.Result read(DiameterMessage m) {
        return AaRequestReader.read(m, NOW);
    }

    private static DiameterMessage aar(Avp... avps) {
        List<Avp> a = new ArrayList<>(List.of(Avp.utf8(D.avp("Session-Id"), "s;1"), Avp.utf8(D.avp("Origin-Host"), "af"),
                Avp.utf8(D.avp("Origin-Realm"), "realm")));
        a.addAll(List.of(avps));
        return new DiameterMessage(0xC0, 265, 16777236, 1, 1, a);
    }

    @Test
    void kamailioAarDecodesToTheExpectedRxRequest() {
        byte[] wire = DiameterEncoder.toBytes(RxSamples.kamailioAar());
        DiameterMessage decoded = (DiameterMessage) DiameterDecoder.parseFrame(wire, D);

        RxRequest r = read(decoded).request();

        assertThat(r.sessionId()).isEqualTo("pcscf.rx.test;2072389454;1");
        assertThat(r.originHost()).isEqualTo("pcscf.rx.test");
        assertThat(r.originRealm()).isEqualTo("rx.test");
        assertThat(r.subscriptionIds()).containsExactly(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, "sip:alice@rx.test"));
        assertThat(r.framedIpAddress()).isEqualTo("127.0.0.1");
        assertThat(r.afApplicationIdentifier()).isEqualTo("IMS Services");
        assertThat(r.afChargingIdentifier()).isNull();
        assertThat(r.authorizationLifetime()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(r.receivedAt()).isEqualTo(NOW);
        assertThat(r.specificActions()).containsExactlyInAnyOrder(SpecificAction.CHARGING_CORRELATION_EXCHANGE,
                SpecificAction.INDICATION_OF_LOSS_OF_BEARER, SpecificAction.INDICATION_OF_RECOVERY_OF_BEARER,
                SpecificAction.INDICATION_OF_RELEASE_OF_BEARER, SpecificAction.IP_CAN_CHANGE, SpecificAction.ACCESS_NETWORK_INFO_REPORT);
        assertThat(r.components()).extracting(MediaComponent::number).containsExactly(1, 2, 3);
        assertThat(r.components()).extracting(MediaComponent::mediaType).containsExactly(MediaType.AUDIO, MediaType.VIDEO, MediaType.APPLICATION);

        MediaComponent audio = r.components().get(0);
        assertThat(audio.maxRequestedBandwidthUl()).isEqualTo(64000);
        assertThat(audio.maxRequestedBandwidthDl()).isEqualTo(80000);
        assertThat(audio.rsBandwidth()).isEqualTo(800);
        assertThat(audio.rrBandwidth()).isEqualTo(2000);
        assertThat(audio.flowStatus()).isEqualTo(FlowStatus.ENABLED);
        assertThat(audio.codecData().getFirst()).isEqualTo(RxSamples.AUDIO_OFFER);
        assertThat(audio.subComponents()).containsExactly(new MediaSubComponent(1, List.of(
                "permit out 17 from 127.0.0.2 26000 to 127.0.0.1 16000", "permit in 17 from 127.0.0.1 16000 to 127.0.0.2 26000"),
                null, 0, -1, -1));

        MediaComponent game = r.components().get(2);
        assertThat(game.maxRequestedBandwidthUl()).isEqualTo(-1);
        assertThat(game.rrBandwidth()).isEqualTo(-1);
        assertThat(game.codecData()).hasSize(2);
        assertThat(game.codecData().getFirst()).isEqualTo(RxSamples.APPLICATION_OFFER).endsWith("\0");
    }

    @Test
    void aarWithoutSessionIdIsMissingAvpWithAnExample() {
        DiameterMessage m = new DiameterMessage(0xC0, 265, 16777236, 1, 1, List.of(Avp.utf8(D.avp("Origin-Host"), "af")));

        AaRequestReader.Fault f = read(m).fault();

        assertThat(f.resultCode()).isEqualTo(5005);
        assertThat(f.failedAvp().code()).isEqualTo(263);
    }

    @Test
    void mediaComponentWithoutNumberIsMissingAvp() {
        AaRequestReader.Fault f = read(aar(Avp.grouped(D.avp("Media-Component-Description"), Avp.enumerated(D.avp("Media-Type"), 0)))).fault();

        assertThat(f.resultCode()).isEqualTo(5005);
        assertThat(f.failedAvp().code()).isEqualTo(518);
        assertThat(f.failedAvp().vendorId()).isEqualTo(10415);
        assertThat(f.failedAvp().dataLength()).isEqualTo(4);
    }

    @Test
    void mediaSubComponentWithoutFlowNumberIsMissingAvp() {
        AaRequestReader.Fault f = read(aar(Avp.grouped(D.avp("Media-Component-Description"),
                Avp.unsigned32(D.avp("Media-Component-Number"), 1),
                Avp.grouped(D.avp("Media-Sub-Component"), Avp.utf8(D.avp("Flow-Description"), "permit out 17 from any to any"))))).fault();

        assertThat(f.resultCode()).isEqualTo(5005);
        assertThat(f.failedAvp().code()).isEqualTo(509);
        assertThat(f.reason()).isEqualTo("Flow-Number missing in Media-Sub-Component");
    }

    @Test
    void repeatedSingleValuedAvpInAMediaComponentTakesTheFirst() {
        RxRequest r = read(aar(Avp.grouped(D.avp("Media-Component-Description"),
                Avp.unsigned32(D.avp("Media-Component-Number"), 1),
                Avp.unsigned32(D.avp("Max-Requested-Bandwidth-UL"), 64000),
                Avp.unsigned32(D.avp("Max-Requested-Bandwidth-UL"), 128000)))).request();

        assertThat(r.components().getFirst().maxRequestedBandwidthUl()).isEqualTo(64000);
    }

    @Test
    void framedIpAddressOfFiveBytesIsAnInvalidValue() {
        Avp bad = Avp.octets(D.avp("Framed-IP-Address"), new byte[] {1, 2, 3, 4, 5});

        AaRequestReader.Fault f = read(aar(bad)).fault();

        assertThat(f.resultCode()).isEqualTo(5004);
        assertThat(f.failedAvp()).isEqualTo(bad);
    }

    @Test
    void framedIpv6PrefixBecomesTheTextualAddress() {
        byte[] prefix = {0, 64, 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1};

        RxRequest r = read(aar(Avp.octets(D.avp("Framed-IPv6-Prefix"), prefix))).request();

        assertThat(r.framedIpAddress()).isEqualTo("2001:db8:0:1:0:0:0:0");
    }

    @Test
    void undefinedFlowStatusIsAnInvalidValue() {
        Avp fs = Avp.enumerated(D.avp("Flow-Status"), 9);
        AaRequestReader.Fault f = read(aar(Avp.grouped(D.avp("Media-Component-Description"),
                Avp.unsigned32(D.avp("Media-Component-Number"), 1), fs))).fault();

        assertThat(f.resultCode()).isEqualTo(5004);
        assertThat(f.failedAvp()).isEqualTo(fs);
    }

    @Test
    void undefinedSubscriptionIdTypeIsAnInvalidValue() {
        AaRequestReader.Fault f = read(aar(Avp.grouped(D.avp("Subscription-Id"), Avp.enumerated(D.avp("Subscription-Id-Type"), 77),
                Avp.utf8(D.avp("Subscription-Id-Data"), "x")))).fault();

        assertThat(f.resultCode()).isEqualTo(5004);
    }

    @Test
    void afChargingIdentifierIsKept() {
        RxRequest r = read(aar(Avp.utf8(D.avp("AF-Charging-Identifier"), "icid-1"))).request();

        assertThat(r.afChargingIdentifier()).isEqualTo("icid-1");
    }
}
