package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.sdp.Attribute;
import org.arbiter.core.sdp.Bandwidth;
import org.arbiter.core.sdp.CodecDataLabel;
import org.arbiter.core.sdp.MediaDescription;
import org.arbiter.core.sdp.SdpParser;
import org.arbiter.core.sdp.SdpVectors;
import org.arbiter.core.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

class NegotiationTest {

    private static final QosRequirement BASE = new QosRequirement(2_000_000, "fps-game", 40, 10, 0.5, Security.INTEGRITY);

    @Test
    void sameRequirementIsNoModification() {
        assertThat(Negotiation.compare(BASE, BASE)).isEmpty();
    }

    @Test
    void lowerAnsweredBandwidthIsBandwidthLower() {
        assertThat(Negotiation.compare(BASE, BASE.withBandwidth(1_500_000))).containsExactly(Modification.BANDWIDTH_LOWER);
    }

    @Test
    void higherAnsweredBandwidthIsBandwidthHigher() {
        assertThat(Negotiation.compare(BASE, BASE.withBandwidth(3_000_000))).containsExactly(Modification.BANDWIDTH_HIGHER);
    }

    @Test
    void lowerAnsweredLatencyIsStricter() {
        QosRequirement a = new QosRequirement(2_000_000, "fps-game", 30, 10, 0.5, Security.INTEGRITY);

        assertThat(Negotiation.compare(BASE, a)).containsExactly(Modification.LATENCY_STRICTER);
    }

    @Test
    void higherAnsweredLatencyIsLooser() {
        QosRequirement a = new QosRequirement(2_000_000, "fps-game", 60, 10, 0.5, Security.INTEGRITY);

        assertThat(Negotiation.compare(BASE, a)).containsExactly(Modification.LATENCY_LOOSER);
    }

    @Test
    void latencyBoundAddedByTheAnswerIsStricter() {
        QosRequirement o = QosRequirement.ofBandwidth(64_000);

        assertThat(Negotiation.compare(o, new QosRequirement(64_000, null, 100, null, null, null)))
                .containsExactly(Modification.LATENCY_STRICTER);
    }

    @Test
    void latencyBoundDroppedByTheAnswerIsLooser() {
        assertThat(Negotiation.compare(new QosRequirement(64_000, null, 100, null, null, null),
                QosRequirement.ofBandwidth(64_000))).containsExactly(Modification.LATENCY_LOOSER);
    }

    @Test
    void otherJitterIsJitterChanged() {
        QosRequirement a = new QosRequirement(2_000_000, "fps-game", 40, 5, 0.5, Security.INTEGRITY);

        assertThat(Negotiation.compare(BASE, a)).containsExactly(Modification.JITTER_CHANGED);
    }

    @Test
    void otherLossIsLossChanged() {
        QosRequirement a = new QosRequirement(2_000_000, "fps-game", 40, 10, 1.0, Security.INTEGRITY);

        assertThat(Negotiation.compare(BASE, a)).containsExactly(Modification.LOSS_CHANGED);
    }

    @Test
    void otherClassIsClassChanged() {
        assertThat(Negotiation.compare(BASE, BASE.withSessionClass("game"))).containsExactly(Modification.CLASS_CHANGED);
    }

    @Test
    void classDifferingOnlyInCaseIsTheSame() {
        assertThat(Negotiation.compare(BASE, BASE.withSessionClass("FPS-Game"))).isEmpty();
    }

    @Test
    void otherSecurityIsSecurityChanged() {
        QosRequirement a = new QosRequirement(2_000_000, "fps-game", 40, 10, 0.5, Security.CONFIDENTIAL);

        assertThat(Negotiation.compare(BASE, a)).containsExactly(Modification.SECURITY_CHANGED);
    }

    @Test
    void directionClosedByTheAnswerIsDirectionChanged() {
        assertThat(Negotiation.compare(BASE, BASE.withBandwidth(0))).containsExactly(Modification.DIRECTION_CHANGED);
    }

    @Test
    void directionClosedOnBothSidesIsTheSame() {
        assertThat(Negotiation.compare(BASE.withBandwidth(0), BASE.withBandwidth(0))).isEmpty();
    }

    @Test
    void missingSideIsNoModification() {
        assertThat(Negotiation.compare(null, BASE)).isEmpty();
    }

    @Test
    void withoutCapTheAnswerIsAuthorized() {
        QosRequirement a = new QosRequirement(3_000_000, "fps-game", 20, 10, 0.1, Security.CONFIDENTIAL);

        assertThat(Negotiation.authorize(BASE, a, Negotiation.Cap.NONE)).isEqualTo(a);
    }

    @Test
    void capToOfferKeepsBandwidthAndBoundsWithinTheOffer() {
        QosRequirement a = new QosRequirement(3_000_000, "game", 20, 5, 0.1, Security.CONFIDENTIAL);

        assertThat(Negotiation.authorize(BASE, a, Negotiation.Cap.TO_OFFER))
                .isEqualTo(new QosRequirement(2_000_000, "game", 40, 10, 0.5, Security.CONFIDENTIAL));
    }

    @Test
    void capToOfferKeepsALowerAnswer() {
        QosRequirement a = new QosRequirement(1_000_000, "fps-game", 60, 20, 1.0, Security.INTEGRITY);

        assertThat(Negotiation.authorize(BASE, a, Negotiation.Cap.TO_OFFER)).isEqualTo(a);
    }

    @Test
    void withoutAnswerTheOfferIsAuthorized() {
        assertThat(Negotiation.authorize(BASE, null, Negotiation.Cap.TO_OFFER)).isEqualTo(BASE);
    }

    @Test
    void holdOfferAndItsRecvonlyAnswerAreTheSameDirection() {
        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(Rx.CALLER, Rx.sdpOnly(1,
                org.arbiter.core.session.MediaType.AUDIO,
                "uplink\noffer\n" + SdpVectors.RFC4317_HOLD_OFFER, "downlink\nanswer\n" + SdpVectors.RFC4317_HOLD_ANSWER))));

        assertThat(f.modifications()).isEmpty();
        assertThat(f.downlink().bandwidthBps()).isZero();
        assertThat(f.uplink().bandwidthBps()).isEqualTo(80_000);
    }

    private static MediaDescription gameMedia() {
        return SdpParser.parse("m=application 16004 RTP/AVP 98\r\nb=AS:2000\r\nb=TIAS:1900000\r\nb=RR:2000\r\n"
                + "a=rtpmap:98 x-game/90000\r\na=maxprate:60\r\na=qos-latency:40\r\na=qos-class:fps-game\r\n"
                + "a=sendrecv\r\n").description().media().getFirst();
    }

    private static FlowGrant grant(int component, long ul, long dl, Integer latency, String cls) {
        return new FlowGrant(new FlowKey(component, 0), cls, ul, dl, latency, 32, 3, 3, true);
    }

    @Test
    void counterOfferSetsTheGrantedBandwidthAndDropsTias() {
        MediaDescription m = Negotiation.counterOffer(gameMedia(), List.of(grant(1, 1_200_500, 1_000_000, null, null)),
                CodecDataLabel.Link.UPLINK);

        assertThat(m.bandwidths()).containsExactly(new Bandwidth("AS", 1201), new Bandwidth("RR", 2000));
        assertThat(m.attribute("maxprate")).isNull();
    }

    @Test
    void counterOfferWritesTheGrantedLatencyAndClassInPlace() {
        MediaDescription m = Negotiation.counterOffer(gameMedia(), List.of(grant(1, 1_000_000, 1_000_000, 60, "game")),
                CodecDataLabel.Link.UPLINK);

        assertThat(m.attributes()).containsExactly(new Attribute("rtpmap", "98 x-game/90000"),
                new Attribute("qos-latency", "60"), new Attribute("qos-class", "game"), Attribute.flag("sendrecv"));
    }

    @Test
    void counterOfferGrantingOnlyTheUplinkMakesTheUesSdpSendonly() {
        MediaDescription m = Negotiation.counterOffer(gameMedia(), List.of(grant(1, 1_000_000, 0, null, null)),
                CodecDataLabel.Link.UPLINK);

        assertThat(m.direction()).isEqualTo(org.arbiter.core.sdp.MediaDirection.SENDONLY);
    }

    @Test
    void counterOfferGrantingOnlyTheUplinkMakesThePeersSdpRecvonly() {
        MediaDescription m = Negotiation.counterOffer(gameMedia(), List.of(grant(1, 1_000_000, 0, null, null)),
                CodecDataLabel.Link.DOWNLINK);

        assertThat(m.direction()).isEqualTo(org.arbiter.core.sdp.MediaDirection.RECVONLY);
    }

    @Test
    void counterOfferWithoutGrantDeclinesTheStream() {
        assertThat(Negotiation.counterOffer(gameMedia(), List.of(), CodecDataLabel.Link.UPLINK).port()).isZero();
    }

    @Test
    void counterOfferMapsGrantsToMLinesByPosition() {
        SessionDescription answer = SdpParser.parse(SdpVectors.RFC4317_ANSWER).description();

        SessionDescription c = Negotiation.counterOffer(answer, List.of(grant(2, 300_000, 300_000, null, null)),
                CodecDataLabel.Link.DOWNLINK);

        assertThat(c.media().get(0).port()).isZero();
        assertThat(c.media().get(1).bandwidth("AS")).isEqualTo(new Bandwidth("AS", 300));
        assertThat(SdpParser.parse(c.print()).description()).isEqualTo(c);
    }
}
