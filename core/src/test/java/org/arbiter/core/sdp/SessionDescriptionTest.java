package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {

    @Test
    void printWritesTheFieldsInRfcOrderWithCrlf() {
        MediaDescription audio = new MediaDescription("audio", 49170, null, "RTP/AVP", List.of("0"), "voice",
                List.of(Connection.of("10.0.0.2")), List.of(new Bandwidth("AS", 80)), null,
                List.of(new Attribute("rtpmap", "0 PCMU/8000"), Attribute.flag("sendrecv")));
        SessionDescription sd = new SessionDescription(0, new Origin("-", "1", "2", "IN", "IP4", "10.0.0.1"), "call",
                "info", "http://example.com", List.of("a@example.com"), List.of("+1 555"), Connection.of("10.0.0.1"),
                List.of(new Bandwidth("CT", 1000)), List.of(Timing.unbounded()), "2882844526 -1h", "prompt",
                List.of(Attribute.flag("recvonly")), List.of(audio));

        assertThat(sd.print()).isEqualTo("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=call\r\ni=info\r\nu=http://example.com\r\n"
                + "e=a@example.com\r\np=+1 555\r\nc=IN IP4 10.0.0.1\r\nb=CT:1000\r\nt=0 0\r\nz=2882844526 -1h\r\n"
                + "k=prompt\r\na=recvonly\r\nm=audio 49170 RTP/AVP 0\r\ni=voice\r\nc=IN IP4 10.0.0.2\r\nb=AS:80\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n");
    }

    @Test
    void printedFragmentHasOnlyMediaLines() {
        SessionDescription sd = SessionDescription.fragment(List.of(MediaDescription.of("audio", 1, "RTP/AVP",
                List.of("0"), List.of(), List.of())));

        assertThat(sd.print()).isEqualTo("m=audio 1 RTP/AVP 0\r\n");
    }

    @Test
    void codecDataPrintHasTheHeaderInLfAndTheNul() {
        SessionDescription sd = SessionDescription.fragment(List.of(MediaDescription.of("audio", 1, "RTP/AVP",
                List.of("0"), List.of(), List.of())));

        assertThat(sd.printCodecData(new CodecDataLabel(CodecDataLabel.Link.DOWNLINK, CodecDataLabel.Role.ANSWER)))
                .isEqualTo("downlink\nanswer\nm=audio 1 RTP/AVP 0\r\n\0");
    }

    @Test
    void goldenVectorsSurviveAPrintAndParse() {
        for (String text : List.of(SdpVectors.LINPHONE_OFFER, SdpVectors.RFC3264_OFFER, SdpVectors.RFC3264_ANSWER,
                SdpVectors.RFC4317_OFFER, SdpVectors.RFC4317_ANSWER, SdpVectors.KAMAILIO_GAME_ANSWER)) {
            SessionDescription sd = SdpParser.parse(text).description();
            assertThat(SdpParser.parse(sd.print()).description()).isEqualTo(sd);
        }
    }

    @Test
    void attributeValueWithLineBreakIsRefused() {
        assertThatThrownBy(() -> new Attribute("x", "a\r\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL, CR or LF");
    }

    @Test
    void fragmentWithSessionLinesIsRefused() {
        assertThatThrownBy(() -> new SessionDescription(null, null, null, null, null, List.of(), List.of(), null,
                List.of(), List.of(), null, null, List.of(Attribute.flag("recvonly")), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
    }

    @Test
    void portAboveTheRangeIsRefused() {
        assertThatThrownBy(() -> MediaDescription.of("audio", 65536, "RTP/AVP", List.of("0"), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
    }
}
