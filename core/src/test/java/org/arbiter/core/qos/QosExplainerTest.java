package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arbiter.core.sdp.SdpVectors;
import org.junit.jupiter.api.Test;

class QosExplainerTest {

    /** The same text as docs/examples/sdp/egaming-offer.sdp. */
    static final String OFFER = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 192.0.2.10
            s=e-gaming match
            c=IN IP4 192.0.2.10
            t=0 0
            a=qos-security:integrity
            m=audio 49170 RTP/AVP 0 8 101
            b=AS:80
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=qos-class:voice
            a=qos-latency:150
            a=sendrecv
            m=application 49180 RTP/AVP 98
            b=AS:2000
            a=rtpmap:98 x-game/90000
            a=qos-class:fps-game
            a=qos-latency:40
            a=qos-jitter:10
            a=qos-loss:0.5
            a=game-format:quake3-v68
            a=curr:qos local none
            a=curr:qos remote none
            a=des:qos mandatory local sendrecv
            a=des:qos optional remote sendrecv
            a=sendrecv
            """;

    /** The same text as docs/examples/sdp/egaming-answer.sdp. */
    static final String ANSWER = """
            v=0
            o=bob 2808844564 2808844564 IN IP4 198.51.100.20
            s=e-gaming match
            c=IN IP4 198.51.100.20
            t=0 0
            a=qos-security:integrity
            m=audio 3456 RTP/AVP 0 101
            b=AS:80
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=qos-class:voice
            a=qos-latency:150
            a=sendrecv
            m=application 3466 RTP/AVP 98
            b=AS:1500
            a=rtpmap:98 x-game/90000
            a=qos-class:fps-game
            a=qos-latency:30
            a=qos-jitter:10
            a=qos-loss:0.5
            a=qos-security:confidential
            a=game-format:quake3-v68
            a=curr:qos local none
            a=curr:qos remote none
            a=des:qos mandatory local sendrecv
            a=des:qos mandatory remote sendrecv
            a=conf:qos remote sendrecv
            a=sendrecv
            """;

    private static final QosExplainer.Source OFFER_FILE = new QosExplainer.Source("egaming-offer.sdp", OFFER);
    private static final QosExplainer.Source ANSWER_FILE = new QosExplainer.Source("egaming-answer.sdp", ANSWER);

    private static QosExplainer.Options options(List<String> grants) {
        QosExplainer.Options d = QosExplainer.Options.standard();
        return new QosExplainer.Options(d.ue(), d.cap(), d.defaults(), d.treatments(), grants);
    }

    private static Explanation explain() {
        QosExplainer.Result r = QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, QosExplainer.Options.standard());
        assertThat(r.problem()).isNull();
        return r.explanation();
    }

    private static QosExplainer.Problem problem(QosExplainer.Result r) {
        assertThat(r.ok()).isFalse();
        return r.problem();
    }

    @Test
    void egamingAnswerLowersTheGameBandwidthTightensLatencyAndChangesSecurity() {
        FlowRequirement game = explain().flows().get(1).analysis().requirement();

        assertThat(game.modifications()).containsExactlyInAnyOrder(Modification.BANDWIDTH_LOWER,
                Modification.LATENCY_STRICTER, Modification.SECURITY_CHANGED);
        assertThat(game.downlink().security()).isEqualTo(Security.CONFIDENTIAL);
    }

    @Test
    void egamingAudioIsTheSameAndGetsTheSessionLevelSecurity() {
        FlowRequirement audio = explain().flows().getFirst().analysis().requirement();

        assertThat(audio.modifications()).isEmpty();
        assertThat(audio.uplink().security()).isEqualTo(Security.INTEGRITY);
    }

    @Test
    void addressesComeFromTheConnectionLines() {
        FlowRequirement audio = explain().flows().getFirst().analysis().requirement();

        assertThat(audio.ueAddress()).isEqualTo("192.0.2.10");
        assertThat(audio.peerAddress()).isEqualTo("198.51.100.20");
    }

    @Test
    void ueAnswererSwapsTheAddresses() {
        QosExplainer.Options d = QosExplainer.Options.standard();
        QosExplainer.Options o = new QosExplainer.Options(QosExplainer.UeRole.ANSWERER, d.cap(), d.defaults(),
                d.treatments(), List.of());

        Explanation e = QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, o).explanation();

        assertThat(e.ueRole()).isEqualTo("answerer");
        assertThat(e.flows().getFirst().analysis().requirement().ueAddress()).isEqualTo("198.51.100.20");
    }

    @Test
    void capToOfferIsApplied() {
        QosExplainer.Options d = QosExplainer.Options.standard();
        QosExplainer.Options o = new QosExplainer.Options(d.ue(), Negotiation.Cap.TO_OFFER, d.defaults(),
                d.treatments(), List.of());

        Explanation e = QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, o).explanation();

        assertThat(e.flows().get(1).analysis().requirement().downlink().maxLatencyMs()).isEqualTo(40);
    }

    @Test
    void textHasASummaryRowPerFlow() {
        assertThat(explain().toText()).contains(
                "FLOW  MEDIA        UL          DL          CLASS     TREATMENT     MODIFIED BY THE ANSWER\n"
                + "1.0   audio        80 kbit/s   80 kbit/s   voice     EF/46 QCI 1   same\n"
                + "2.0   application  1.5 Mbit/s  1.5 Mbit/s  fps-game  CS4/32 QCI 3  "
                + "bandwidth lower, latency stricter, security changed\n");
    }

    @Test
    void textShowsOfferedAnsweredAndAuthorizedPerDirection() {
        assertThat(explain().toText()).contains(
                "                OFFERED    ANSWERED      AUTHORIZED    SOURCE\n"
                + "  UL bandwidth  2 Mbit/s   1.5 Mbit/s    1.5 Mbit/s    answer b=AS:1500\n"
                + "  DL bandwidth  2 Mbit/s   1.5 Mbit/s    1.5 Mbit/s    answer b=AS:1500\n"
                + "  latency       40 ms      30 ms         30 ms\n");
    }

    @Test
    void textShowsTheTreatmentGameFormatAndPreconditions() {
        assertThat(explain().toText())
                .contains("  treatment     fps-game: CS4 (DSCP 32), QCI 3, priority 3  [qos-class fps-game]\n")
                .contains("  game format   quake3-v68\n")
                .contains("  precondition  answer conf:qos remote sendrecv\n");
    }

    @Test
    void jsonCarriesTheTreatmentAndTheModifications() {
        String json = explain().toJson();

        assertThat(json).startsWith("{\n  \"ue\": \"offerer\",").endsWith("}\n")
                .contains("\"phb\": \"CS4\",\n        \"dscp\": 32,")
                .contains("\"modifications\": [\n        \"BANDWIDTH_LOWER\",\n        \"LATENCY_STRICTER\",\n"
                        + "        \"SECURITY_CHANGED\"\n      ]")
                .contains("\"lossPercent\": 0.5");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void jsonEscapesTheLineEndsOfTheCounterOffer() {
        Explanation e = QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, options(List.of("2=1000/800"))).explanation();

        assertThat(e.toJson()).contains("\"counterOffer\": \"v=0\\r\\no=bob");
    }

    @Test
    void grantGivesACounterOfferWhereOtherComponentsKeepTheirAuthorization() {
        Explanation e = QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, options(List.of("2=1000/800"))).explanation();

        assertThat(e.counterOffer().media().get(0).bandwidth("AS").value()).isEqualTo(80);
        assertThat(e.counterOffer().media().get(1).bandwidth("AS").value()).isEqualTo(1000);
        assertThat(e.toText()).contains("counter-offer (what could be granted):\n  v=0\n");
    }

    @Test
    void kamailioTermCodecDataMakesTheUeTheAnswerer() {
        String offer = SdpVectors.KAMAILIO_GAME_OFFER.replace("uplink\noffer", "downlink\noffer");
        String answer = SdpVectors.KAMAILIO_GAME_ANSWER.replace("downlink\nanswer", "uplink\nanswer");

        QosExplainer.Result r = QosExplainer.fromCodecData(List.of(new QosExplainer.Source("o.cd", offer),
                new QosExplainer.Source("a.cd", answer)), QosExplainer.Options.standard());

        assertThat(r.explanation().ueRole()).isEqualTo("answerer");
        assertThat(r.explanation().flows().getFirst().analysis().requirement().modifications())
                .containsExactly(Modification.BANDWIDTH_HIGHER);
    }

    @Test
    void nonRtpTransportIsNotedAsSkippedByKamailio() {
        QosExplainer.Result r = QosExplainer.fromSdp(new QosExplainer.Source("o", "m=application 16006 UDP x-game-raw\n"),
                null, QosExplainer.Options.standard());

        assertThat(r.explanation().flows().getFirst().analysis().notes())
                .containsExactly("transport UDP is not RTP: Kamailio 5.6 ims_qos leaves this m-line out of the AAR");
    }

    @Test
    void rfc3264AnswerDecliningTheFirstVideoClosesThatFlow() {
        Explanation e = QosExplainer.fromSdp(new QosExplainer.Source("o", SdpVectors.RFC3264_OFFER),
                new QosExplainer.Source("a", SdpVectors.RFC3264_ANSWER), QosExplainer.Options.standard()).explanation();

        FlowAnalysis video = e.flows().get(1).analysis();
        assertThat(video.requirement().uplink().bandwidthBps()).isZero();
        assertThat(video.requirement().modifications()).contains(Modification.DIRECTION_CHANGED);
        assertThat(video.notes()).contains("the answer declines the stream (port 0)");
        assertThat(e.flows().get(2).analysis().requirement().downlink().bandwidthBps()).isEqualTo(128_000);
    }

    @Test
    void rfc4317AnswerChoosingOneCodecIsNoted() {
        Explanation e = QosExplainer.fromSdp(new QosExplainer.Source("o", SdpVectors.RFC4317_OFFER),
                new QosExplainer.Source("a", SdpVectors.RFC4317_ANSWER), QosExplainer.Options.standard()).explanation();

        assertThat(e.flows().get(1).analysis().notes()).containsExactly("the answer chose mpv (the offer preferred h261)");
    }

    @Test
    void offerSyntaxErrorNamesTheFileAndTheLine() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(
                new QosExplainer.Source("egaming-offer.sdp", OFFER.replace("b=AS:2000", "b=AS:2 Mbit")), ANSWER_FILE,
                QosExplainer.Options.standard()));

        assertThat(p.toString()).startsWith("egaming-offer.sdp:17: b= needs <bwtype>:<bandwidth>");
    }

    @Test
    void answerWithFewerMLinesIsAProblem() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(OFFER_FILE,
                new QosExplainer.Source("a.sdp", "m=audio 3456 RTP/AVP 0\n"), QosExplainer.Options.standard()));

        assertThat(p).isEqualTo(new QosExplainer.Problem("a.sdp", 0,
                "the answer has 1 m-lines and the offer 2; RFC 3264 §6 wants one answer m-line per offer m-line, in "
                        + "the same order"));
    }

    @Test
    void answerWithOtherMediaAtAPositionNamesItsLine() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(OFFER_FILE, new QosExplainer.Source("a.sdp",
                ANSWER.replace("m=application 3466", "m=video 3466")), QosExplainer.Options.standard()));

        assertThat(p.toString()).isEqualTo("a.sdp:15: m-line 2 is video in the answer but application in the offer "
                + "(RFC 3264 §6)");
    }

    @Test
    void answerFileLabelledOfferIsAProblem() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(OFFER_FILE,
                new QosExplainer.Source("a.cd", SdpVectors.KAMAILIO_GAME_OFFER), QosExplainer.Options.standard()));

        assertThat(p.toString()).isEqualTo("a.cd:2: labelled offer, but given as the answer");
    }

    @Test
    void offerWithoutMediaIsAProblem() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(new QosExplainer.Source("o.sdp",
                "v=0\no=- 1 1 IN IP4 h\ns=-\n"), null, QosExplainer.Options.standard()));

        assertThat(p.reason()).startsWith("no m= line");
    }

    @Test
    void codecDataWithoutHeaderIsAProblemAtLineOne() {
        QosExplainer.Problem p = problem(QosExplainer.fromCodecData(List.of(new QosExplainer.Source("x.cd",
                "m=audio 1 RTP/AVP 0\r\n")), QosExplainer.Options.standard()));

        assertThat(p.toString()).startsWith("x.cd:1: a Codec-Data value starts with the lines uplink|downlink");
    }

    @Test
    void twoCodecDataOffersAreAProblem() {
        QosExplainer.Source one = new QosExplainer.Source("1.cd", SdpVectors.KAMAILIO_GAME_OFFER);
        QosExplainer.Source two = new QosExplainer.Source("2.cd", SdpVectors.KAMAILIO_GAME_OFFER);

        assertThat(problem(QosExplainer.fromCodecData(List.of(one, two), QosExplainer.Options.standard())).toString())
                .isEqualTo("2.cd:2: a second Codec-Data labelled offer");
    }

    @Test
    void threeCodecDataValuesAreAProblem() {
        QosExplainer.Source one = new QosExplainer.Source("1.cd", SdpVectors.KAMAILIO_GAME_OFFER);

        assertThat(problem(QosExplainer.fromCodecData(List.of(one, one, one), QosExplainer.Options.standard())).reason())
                .isEqualTo("give one or two Codec-Data values (the offer and the answer), not 3");
    }

    @Test
    void malformedGrantIsAProblem() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, options(List.of("2:1000"))));

        assertThat(p.toString()).startsWith("--grant: expected COMPONENT=UL_KBPS[/DL_KBPS]");
    }

    @Test
    void grantForAnUnknownComponentIsAProblem() {
        QosExplainer.Problem p = problem(QosExplainer.fromSdp(OFFER_FILE, ANSWER_FILE, options(List.of("7=100"))));

        assertThat(p.reason()).isEqualTo("there is no media component 7 (the description has 2)");
    }
}
