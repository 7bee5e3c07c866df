package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QosAttributesTest {

    private static QosAttributes mediaQos(String mediaLines) {
        SdpParser.Result r = SdpParser.parse("m=application 5000 RTP/AVP 98\n" + mediaLines);
        assertThat(r.error()).isNull();
        SessionDescription sd = r.description();
        return sd.qosOf(sd.media().getFirst());
    }

    @Test
    void latencyIsReadInMilliseconds() {
        assertThat(mediaQos("a=qos-latency:40\n").latencyMs()).isEqualTo(40);
    }

    @Test
    void jitterIsReadInMilliseconds() {
        assertThat(mediaQos("a=qos-jitter:15\n").jitterMs()).isEqualTo(15);
    }

    @Test
    void lossIsReadAsADecimalPercentage() {
        assertThat(mediaQos("a=qos-loss:0.25\n").lossPercent()).isEqualTo(0.25);
    }

    @Test
    void classIsReadInLowerCase() {
        assertThat(mediaQos("a=qos-class:FPS-Game\n").qosClass()).isEqualTo("fps-game");
    }

    @Test
    void securityIsOneOfThreeTokens() {
        assertThat(mediaQos("a=qos-security:Confidential\n").security()).isEqualTo("confidential");
    }

    @Test
    void gameFormatIsKeptAsWritten() {
        assertThat(mediaQos("a=game-format:Quake3-v68\n").gameFormat()).isEqualTo("Quake3-v68");
    }

    @Test
    void valuesMayHaveSurroundingSpaces() {
        assertThat(mediaQos("a=qos-latency: 30 \n").latencyMs()).isEqualTo(30);
    }

    @Test
    void preconditionLinesAreReadInOrder() {
        QosAttributes q = mediaQos("a=curr:qos local none\na=curr:qos remote none\n"
                + "a=des:qos mandatory local sendrecv\na=conf:qos remote sendrecv\n");

        assertThat(q.preconditions()).containsExactly(
                new QosAttributes.Precondition("curr", "qos", null, "local", "none"),
                new QosAttributes.Precondition("curr", "qos", null, "remote", "none"),
                new QosAttributes.Precondition("des", "qos", "mandatory", "local", "sendrecv"),
                new QosAttributes.Precondition("conf", "qos", null, "remote", "sendrecv"));
        assertThat(q.preconditions().get(2)).hasToString("des:qos mandatory local sendrecv");
    }

    @Test
    void noAttributeGivesNone() {
        assertThat(mediaQos("a=rtpmap:98 x-game/90000\n").isEmpty()).isTrue();
    }

    @Test
    void attributesWithSimilarNamesAreNotOurs() {
        QosAttributes q = mediaQos("a=qos-latency-x:abc\na=x-qos-latency:1\n");

        assertThat(q).isEqualTo(QosAttributes.NONE);
    }

    @Test
    void sessionLevelLinesApplyToEveryMedia() {
        SessionDescription sd = SdpParser.parse("v=0\no=- 1 1 IN IP4 h\ns=-\na=qos-class:fps-game\na=qos-latency:50\n"
                + "m=audio 1 RTP/AVP 0\nm=application 2 RTP/AVP 98\n").description();

        assertThat(sd.media()).allSatisfy(m -> {
            assertThat(sd.qosOf(m).qosClass()).isEqualTo("fps-game");
            assertThat(sd.qosOf(m).latencyMs()).isEqualTo(50);
        });
    }

    @Test
    void mediaLevelLinesOverrideSessionLevelOnes() {
        SessionDescription sd = SdpParser.parse("v=0\no=- 1 1 IN IP4 h\ns=-\na=qos-class:fps-game\na=qos-latency:50\n"
                + "m=audio 1 RTP/AVP 0\na=qos-class:voice\n").description();

        QosAttributes q = sd.qosOf(sd.media().getFirst());
        assertThat(q.qosClass()).isEqualTo("voice");
        assertThat(q.latencyMs()).isEqualTo(50);
    }

    @Test
    void preconditionsMayRepeatAtOneLevel() {
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\na=curr:qos local none\na=curr:qos remote none\n").ok()).isTrue();
    }

    @Test
    void handBuiltMalformedValueIsSkipped() {
        QosAttributes q = QosAttributes.of(java.util.List.of(new Attribute("qos-latency", "soon"),
                new Attribute("qos-jitter", "5")));

        assertThat(q.latencyMs()).isNull();
        assertThat(q.jitterMs()).isEqualTo(5);
    }

    @Test
    void handBuiltMalformedValuesGiveWayToTheFirstWellFormedOne() {
        QosAttributes q = QosAttributes.of(java.util.List.of(
                new Attribute("qos-latency", "soon"), new Attribute("qos-latency", " 40 "), new Attribute("qos-latency", "30"),
                new Attribute("qos-jitter", "1.5"), new Attribute("qos-jitter", "7"),
                new Attribute("qos-loss", "101"), new Attribute("qos-loss", "0.5"), new Attribute("qos-loss", "1"),
                new Attribute("qos-class", "fps game"), new Attribute("qos-class", "FPS-Game"), new Attribute("qos-class", "voice"),
                new Attribute("qos-security", "secret"), new Attribute("qos-security", "Integrity"),
                new Attribute("game-format", "a/b"), new Attribute("game-format", "Fps"),
                new Attribute("curr", "qos e2e sideways"), new Attribute("des", "qos local sendrecv"),
                new Attribute("des", "QOS Mandatory E2E SendRecv"), Attribute.flag("qos-latency")));

        assertThat(q).isEqualTo(new QosAttributes(40, 7, 0.5, "fps-game", "integrity", "Fps",
                java.util.List.of(new QosAttributes.Precondition("des", "qos", "mandatory", "e2e", "sendrecv"))));
    }

    @Test
    void handBuiltMalformedValuesAloneAreNoAttributes() {
        QosAttributes q = QosAttributes.of(java.util.List.of(new Attribute("qos-latency", "soon"),
                new Attribute("qos-loss", "5%"), new Attribute("qos-security", "secret"), new Attribute("curr", "qos local"),
                Attribute.flag("qos-class"), new Attribute("x-other", "1")));

        assertThat(q).isSameAs(QosAttributes.NONE);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a=qos-latency:abc", "not a whole number of milliseconds"),
                Arguments.of("a=qos-latency:-5", "not a whole number of milliseconds"),
                Arguments.of("a=qos-latency:70000", "not a whole number of milliseconds"),
                Arguments.of("a=qos-latency", "needs a value"),
                Arguments.of("a=qos-jitter:1.5", "not a whole number of milliseconds"),
                Arguments.of("a=qos-loss:101", "not a percentage"),
                Arguments.of("a=qos-loss:1.", "not a percentage"),
                Arguments.of("a=qos-loss:.5", "not a percentage"),
                Arguments.of("a=qos-loss:5%", "not a percentage"),
                Arguments.of("a=qos-class:fps game", "is not a token"),
                Arguments.of("a=qos-class:", "is not a token"),
                Arguments.of("a=qos-security:secret", "not one of none, integrity, confidential"),
                Arguments.of("a=game-format:a/b", "is not a token"),
                Arguments.of("a=curr:qos local", "does not follow RFC 3312"),
                Arguments.of("a=curr:qos e2e sideways", "does not follow RFC 3312"),
                Arguments.of("a=des:qos sometimes local sendrecv", "does not follow RFC 3312"),
                Arguments.of("a=des:qos local sendrecv", "des:<type> <mandatory"),
                Arguments.of("a=conf:qos nowhere sendrecv", "does not follow RFC 3312"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedValueIsRefusedAtItsLine(String line, String reason) {
        SdpParser.Result r = SdpParser.parse("m=application 5000 RTP/AVP 98\r\nb=AS:100\r\n" + line + "\r\n");

        assertThat(r.error().line()).isEqualTo(3);
        assertThat(r.error().reason()).contains(reason);
    }

    @Test
    void singleValuedAttributeTwiceAtOneLevelIsRefused() {
        SdpParser.Result r = SdpParser.parse("m=application 5000 RTP/AVP 98\na=qos-latency:40\na=qos-latency:30\n");

        assertThat(r.error()).isEqualTo(new SdpError(3,
                "a=qos-latency is given twice in the media description of line 1 (first on line 2)"));
    }

    @Test
    void sameAttributeAtSessionAndMediaLevelIsAllowed() {
        assertThat(SdpParser.parse("v=0\no=- 1 1 IN IP4 h\ns=-\na=qos-latency:50\nm=audio 1 RTP/AVP 0\na=qos-latency:40\n")
                .ok()).isTrue();
    }
}
