package org.arbiter.core.qos;

import static org.arbiter.core.qos.Rx.CALLEE;
import static org.arbiter.core.qos.Rx.CALLER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arbiter.core.sdp.SdpVectors;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.api.Test;

class RequirementExtractorTest {

    /** The audio component as Kamailio 5.6.3 sent it: AVPs from offer (UL) and answer (DL), RR/RS from the answer. */
    private static MediaComponent kamailioAudio() {
        return new MediaComponent(1, MediaType.AUDIO, List.of(Rx.sub(1, Rx.origFlows(16000, 26000))), 64_000, 80_000,
                2000, 800, FlowStatus.ENABLED, List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));
    }

    /** The game component as Kamailio 5.6.3 sent it: no bandwidth AVPs for m=application. */
    private static MediaComponent kamailioGame() {
        return Rx.component(3, MediaType.APPLICATION, Rx.sub(3, Rx.origFlows(16004, 26004)),
                SdpVectors.KAMAILIO_GAME_OFFER, SdpVectors.KAMAILIO_GAME_ANSWER);
    }

    private static FlowRequirement game() {
        return Rx.only(RequirementExtractor.extract(Rx.request(CALLER, kamailioGame())));
    }

    @Test
    void kamailioCallGivesOneFlowPerComponent() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER, kamailioAudio(), kamailioGame()));

        assertThat(x.error()).isNull();
        assertThat(x.flows()).extracting(FlowRequirement::key).containsExactly(new FlowKey(1, 1), new FlowKey(3, 3));
    }

    @Test
    void audioTakesTheMaxRequestedBandwidthAvps() {
        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, kamailioAudio())));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(64_000);
        assertThat(f.downlink().bandwidthBps()).isEqualTo(80_000);
    }

    @Test
    void audioAnswerAboveTheOfferIsBandwidthHigher() {
        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, kamailioAudio())));

        assertThat(f.modifications()).containsExactly(Modification.BANDWIDTH_HIGHER);
        assertThat(f.offerUplink().bandwidthBps()).isEqualTo(64_000);
    }

    @Test
    void gameFlowWithoutAvpsTakesTheAnswersCodecDataBandwidth() {
        FlowRequirement f = game();

        assertThat(f.uplink().bandwidthBps()).isEqualTo(3_000_000);
        assertThat(f.downlink().bandwidthBps()).isEqualTo(3_000_000);
        assertThat(f.offerDownlink().bandwidthBps()).isEqualTo(2_000_000);
    }

    @Test
    void gameFlowCarriesItsClassAndLatency() {
        FlowRequirement f = game();

        assertThat(f.sessionClass()).isEqualTo("fps-game");
        assertThat(f.downlink().maxLatencyMs()).isEqualTo(40);
        assertThat(f.mediaType()).isEqualTo(MediaType.APPLICATION);
    }

    @Test
    void ueIsTheFramedAddressAndThePeerTheOtherEndOfTheFlowDescription() {
        FlowRequirement f = game();

        assertThat(f.ueAddress()).isEqualTo(CALLER);
        assertThat(f.peerAddress()).isEqualTo(CALLEE);
    }

    @Test
    void withoutFramedIpTheUeIsTheDestinationOfTheOutRule() {
        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(null, kamailioGame())));

        assertThat(f.ueAddress()).isEqualTo(CALLER);
    }

    @Test
    void withoutFlowDescriptionsTheAddressesComeFromTheSdp() {
        String[] cd = Rx.orig("m=audio 16000 RTP/AVP 0\nc=IN IP4 10.1.0.7\n", "m=audio 26000 RTP/AVP 0\nc=IN IP4 10.2.0.9\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(null, Rx.sdpOnly(1, MediaType.AUDIO, cd))));

        assertThat(f.ueAddress()).isEqualTo("10.1.0.7");
        assertThat(f.peerAddress()).isEqualTo("10.2.0.9");
    }

    @Test
    void componentWithoutSubComponentIsFlowZero() {
        String[] cd = Rx.orig("m=audio 16000 RTP/AVP 0\n", "m=audio 26000 RTP/AVP 0\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(2, MediaType.AUDIO, cd))));

        assertThat(f.key()).isEqualTo(new FlowKey(2, 0));
    }

    @Test
    void mediaTypeAbsentIsTakenFromTheMLine() {
        String[] cd = Rx.orig("m=video 16002 RTP/AVP 96\n", "m=video 26002 RTP/AVP 96\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(2, null, cd))));

        assertThat(f.mediaType()).isEqualTo(MediaType.VIDEO);
    }

    @Test
    void ueSendonlyOfferClosesTheDownlink() {
        String[] cd = Rx.orig("m=audio 1 RTP/AVP 0\nb=AS:64\na=sendonly\n", "m=audio 2 RTP/AVP 0\nb=AS:64\na=recvonly\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(1, MediaType.AUDIO, cd))));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(64_000);
        assertThat(f.downlink().bandwidthBps()).isZero();
        assertThat(f.modifications()).isEmpty();
    }

    @Test
    void terminatingUeAnsweringRecvonlyReceivesOnly() {
        MediaComponent mc = Rx.sdpOnly(1, MediaType.AUDIO,
                "downlink\noffer\nm=audio 1 RTP/AVP 0\r\nb=AS:64\r\na=sendonly\r\n\0",
                "uplink\nanswer\nm=audio 2 RTP/AVP 0\r\nb=AS:64\r\na=recvonly\r\n\0");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLEE, mc)));

        assertThat(f.uplink().bandwidthBps()).isZero();
        assertThat(f.downlink().bandwidthBps()).isEqualTo(64_000);
    }

    @Test
    void answerNarrowingTheDirectionIsADirectionChange() {
        String[] cd = Rx.orig("m=audio 1 RTP/AVP 0\nb=AS:64\n", "m=audio 2 RTP/AVP 0\nb=AS:64\na=recvonly\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(1, MediaType.AUDIO, cd))));

        assertThat(f.modifications()).containsExactly(Modification.DIRECTION_CHANGED);
        assertThat(f.uplink().bandwidthBps()).isEqualTo(64_000);
        assertThat(f.downlink().bandwidthBps()).isZero();
    }

    @Test
    void inactiveClosesBothDirectionsEvenWithAvps() {
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(), 64_000, 64_000, -1, -1, FlowStatus.ENABLED,
                List.of(Rx.orig("m=audio 1 RTP/AVP 0\na=inactive\n", "m=audio 2 RTP/AVP 0\na=inactive\n")));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isZero();
        assertThat(f.downlink().bandwidthBps()).isZero();
    }

    @Test
    void answerDecliningWithPortZeroClosesTheFlow() {
        String[] cd = Rx.orig("m=video 1 RTP/AVP 31\nb=AS:512\n", "m=video 0 RTP/AVP 31\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(2, MediaType.VIDEO, cd))));

        assertThat(f.uplink().bandwidthBps()).isZero();
        assertThat(f.downlink().bandwidthBps()).isZero();
        assertThat(f.modifications()).contains(Modification.DIRECTION_CHANGED);
    }

    @Test
    void flowStatusEnabledUplinkClosesTheDownlink() {
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(Rx.sub(1, Rx.origFlows(16000, 26000))),
                64_000, 80_000, -1, -1, FlowStatus.ENABLED_UPLINK, List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(64_000);
        assertThat(f.downlink().bandwidthBps()).isZero();
    }

    @Test
    void subComponentFlowStatusOverridesTheComponents() {
        MediaSubComponent sub = new MediaSubComponent(1, Rx.origFlows(16000, 26000), FlowStatus.DISABLED, 0, -1, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(sub), 64_000, 80_000, -1, -1,
                FlowStatus.ENABLED, List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isZero();
        assertThat(f.downlink().bandwidthBps()).isZero();
    }

    @Test
    void onlyAnOutFlowDescriptionClosesTheUplink() {
        MediaComponent mc = Rx.component(1, MediaType.AUDIO,
                Rx.sub(1, List.of("permit out 17 from 127.0.0.2 26000 to 127.0.0.1 16000")),
                Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER);

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isZero();
        assertThat(f.downlink().bandwidthBps()).isEqualTo(80_000);
    }

    @Test
    void subComponentAvpOverridesTheComponentAvp() {
        MediaSubComponent sub = new MediaSubComponent(1, List.of(), null, 0, 32_000, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(sub), 64_000, 80_000, -1, -1,
                FlowStatus.ENABLED, List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(32_000);
        assertThat(f.downlink().bandwidthBps()).isEqualTo(80_000);
    }

    @Test
    void rtcpFlowTakesRrPlusRsAvps() {
        MediaSubComponent rtcp = new MediaSubComponent(2, List.of(), null, 1, -1, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(rtcp), 64_000, 80_000, 2000, 800,
                FlowStatus.ENABLED, List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(2800);
        assertThat(f.downlink().bandwidthBps()).isEqualTo(2800);
    }

    @Test
    void rtcpFlowTakesTheAnswersRsAndRrLines() {
        MediaSubComponent rtcp = new MediaSubComponent(2, List.of(), null, 1, -1, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(rtcp), -1, -1, -1, -1, null,
                List.of(Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.downlink().bandwidthBps()).isEqualTo(2800);
    }

    @Test
    void rtcpFlowWithoutRsOrRrIsFivePercentOfTheStream() {
        MediaSubComponent rtcp = new MediaSubComponent(2, List.of(), null, 1, -1, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(rtcp), -1, -1, -1, -1, null,
                List.of(Rx.AUDIO_OFFER));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(3200);
    }

    @Test
    void missingBandwidthTakesTheCodecDefault() {
        String[] cd = Rx.orig("m=audio 1 RTP/AVP 8 0\n", "m=audio 2 RTP/AVP 8\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(1, MediaType.AUDIO, cd))));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(80_000);
    }

    @Test
    void linphoneOfferWithoutBandwidthTakesTheOpusDefault() {
        MediaComponent mc = Rx.sdpOnly(1, MediaType.AUDIO, "uplink\noffer\n" + SdpVectors.LINPHONE_OFFER);

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(null, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(64_000);
        assertThat(f.ueAddress()).isEqualTo("192.168.1.10");
    }

    @Test
    void missingBandwidthOfAnUnknownCodecTakesTheMediaTypeDefault() {
        String[] cd = Rx.orig("m=application 1 RTP/AVP 98\na=rtpmap:98 x-game/90000\n",
                "m=application 2 RTP/AVP 98\na=rtpmap:98 x-game/90000\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.APPLICATION, cd))));

        assertThat(f.downlink().bandwidthBps()).isEqualTo(256_000);
    }

    @Test
    void policyDefaultsReplaceTheBuiltInOnes() {
        String[] cd = Rx.orig("m=application 1 RTP/AVP 98\n", "m=application 2 RTP/AVP 98\n");
        MediaDefaults defaults = MediaDefaults.builtIn().withMediaType(MediaType.APPLICATION, 500_000);

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.APPLICATION, cd)), defaults, Negotiation.Cap.NONE));

        assertThat(f.downlink().bandwidthBps()).isEqualTo(500_000);
    }

    @Test
    void noSdpAndNoAvpTakesTheMediaTypeDefault() {
        MediaComponent mc = new MediaComponent(1, MediaType.VIDEO, List.of(), -1, -1, -1, -1, null, List.of());

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(128_000);
        assertThat(f.offerUplink()).isNull();
    }

    @Test
    void capToOfferLimitsTheAnswer() {
        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, kamailioGame()),
                MediaDefaults.builtIn(), Negotiation.Cap.TO_OFFER));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(2_000_000);
        assertThat(f.modifications()).containsExactly(Modification.BANDWIDTH_HIGHER);
    }

    @Test
    void answerWithoutBandwidthKeepsTheOffers() {
        String[] cd = Rx.orig("m=application 1 RTP/AVP 98\nb=AS:700\n", "m=application 2 RTP/AVP 98\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.APPLICATION, cd))));

        assertThat(f.downlink().bandwidthBps()).isEqualTo(700_000);
        assertThat(f.modifications()).isEmpty();
    }

    @Test
    void answerWithoutQosLinesKeepsTheOffers() {
        String[] cd = Rx.orig("m=application 1 RTP/AVP 98\na=qos-latency:40\na=qos-class:fps-game\n",
                "m=application 2 RTP/AVP 98\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.APPLICATION, cd))));

        assertThat(f.downlink().maxLatencyMs()).isEqualTo(40);
        assertThat(f.sessionClass()).isEqualTo("fps-game");
    }

    @Test
    void tiasWithMaxprateAddsTheIpAndUdpHeaders() {
        String[] cd = Rx.orig("m=video 1 RTP/AVP 96\nb=TIAS:100000\na=maxprate:50\n",
                "m=video 2 RTP/AVP 96\nb=TIAS:100000\na=maxprate:50\n");

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(1, MediaType.VIDEO, cd))));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(100_000 + 50 * 28 * 8);
    }

    @Test
    void wholeSdpInCodecDataGivesTheMLineAtTheComponentPosition() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.1.0.7\r\ns=-\r\nc=IN IP4 10.1.0.7\r\nt=0 0\r\na=qos-class:fps-game\r\n"
                + "m=audio 1 RTP/AVP 0\r\nb=AS:64\r\nm=application 2 RTP/AVP 98\r\nb=AS:900\r\n";
        MediaComponent mc = Rx.sdpOnly(2, MediaType.APPLICATION, "uplink\noffer\n" + sdp);

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(null, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(900_000);
        assertThat(f.sessionClass()).isEqualTo("fps-game");
        assertThat(f.ueAddress()).isEqualTo("10.1.0.7");
    }

    @Test
    void registrationWithEmptyCodecDataGivesTheSignallingDefault() {
        MediaSubComponent sub = new MediaSubComponent(1, List.of("permit out ip from 127.0.0.1 5090 to 127.0.0.1 5090",
                "permit in ip from 127.0.0.1 5090 to 127.0.0.1 5090"), null, 2, -1, -1);
        MediaComponent mc = new MediaComponent(1, MediaType.CONTROL, List.of(sub), -1, -1, -1, -1, null,
                List.of(SdpVectors.KAMAILIO_REGISTRATION_OFFER, "uplink\nanswer\n\0"));

        FlowRequirement f = Rx.only(RequirementExtractor.extract(Rx.request(CALLER, mc)));

        assertThat(f.uplink().bandwidthBps()).isEqualTo(16_000);
        assertThat(f.downlink().bandwidthBps()).isEqualTo(16_000);
    }

    @Test
    void malformedCodecDataGivesTheComponentTheCodecDataAndTheLine() {
        String bad = SdpVectors.KAMAILIO_GAME_OFFER.replace("a=qos-latency:40", "a=qos-latency:fast");

        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER,
                Rx.component(3, MediaType.APPLICATION, Rx.sub(3, List.of()), bad)));

        assertThat(x.flows()).isEmpty();
        assertThat(x.error()).startsWith("Media-Component-Description 3: Codec-Data 1: line 6: a=qos-latency value 'fast'");
    }

    @Test
    void codecDataWithoutHeaderIsAnError() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.AUDIO, "m=audio 1 RTP/AVP 0\r\n")));

        assertThat(x.error()).contains("Codec-Data 1: does not start with the header lines");
    }

    @Test
    void twoOffersAreAnError() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.AUDIO, Rx.AUDIO_OFFER, Rx.AUDIO_OFFER)));

        assertThat(x.error()).isEqualTo("Media-Component-Description 1: Codec-Data 2: a second Codec-Data labelled offer");
    }

    @Test
    void offerAndAnswerFromTheSameSideAreAnError() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER,
                Rx.sdpOnly(1, MediaType.AUDIO, Rx.AUDIO_OFFER, Rx.AUDIO_ANSWER.replace("downlink", "uplink"))));

        assertThat(x.error()).contains("both labelled uplink");
    }

    @Test
    void codecDataWithSeveralMLinesAndNoneAtThePositionIsAnError() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER, Rx.sdpOnly(5, MediaType.AUDIO,
                "uplink\noffer\nm=audio 1 RTP/AVP 0\r\nm=video 2 RTP/AVP 31\r\n")));

        assertThat(x.error()).contains("holds 2 m-lines and none at position 5");
    }

    @Test
    void malformedFlowDescriptionIsAnError() {
        MediaComponent mc = Rx.component(1, MediaType.AUDIO, Rx.sub(4, List.of("permit sideways 17 from a to b")),
                Rx.AUDIO_OFFER);

        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER, mc));

        assertThat(x.error()).isEqualTo("Media-Component-Description 1: Flow-Number 4: Flow-Description "
                + "'permit sideways 17 from a to b': the direction must be 'in' or 'out', found 'sideways'");
    }

    @Test
    void denyRuleIsAnError() {
        MediaComponent mc = Rx.component(1, MediaType.AUDIO, Rx.sub(1, List.of("deny in 17 from a to b")), Rx.AUDIO_OFFER);

        assertThat(RequirementExtractor.extract(Rx.request(CALLER, mc)).error()).contains("must be 'permit'");
    }

    @Test
    void analysisExplainsWhereEachBandwidthCameFrom() {
        RequirementExtractor.Analysis a = RequirementExtractor.analyze(Rx.request(CALLER, kamailioAudio(), kamailioGame()),
                MediaDefaults.builtIn(), Negotiation.Cap.NONE);

        assertThat(a.flows()).extracting(FlowAnalysis::uplinkBasis)
                .containsExactly("Max-Requested-Bandwidth-UL", "answer b=AS:3000");
    }

    @Test
    void noComponentGivesNoFlow() {
        RequirementExtractor.Extraction x = RequirementExtractor.extract(Rx.request(CALLER));

        assertThat(x.ok()).isTrue();
        assertThat(x.flows()).isEmpty();
    }
}
