package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SdpParserTest {

    private static SessionDescription ok(String text) {
        SdpParser.Result r = SdpParser.parse(text);
        assertThat(r.error()).as("parse error").isNull();
        return r.description();
    }

    @Test
    void kamailioCodecDataIsALabelledMediaFragment() {
        SdpParser.Result r = SdpParser.parse(SdpVectors.KAMAILIO_GAME_OFFER);

        assertThat(r.label()).isEqualTo(new CodecDataLabel(CodecDataLabel.Link.UPLINK, CodecDataLabel.Role.OFFER));
        assertThat(r.description().fragment()).isTrue();
        assertThat(r.mediaLines()).containsExactly(3);
        MediaDescription m = r.description().media().getFirst();
        assertThat(m.mediaLine()).isEqualTo("application 16004 RTP/AVP 98");
        assertThat(m.bandwidths()).containsExactly(new Bandwidth("AS", 2000));
        assertThat(m.attributes()).containsExactly(new Attribute("rtpmap", "98 x-game/90000"),
                new Attribute("qos-latency", "40"), new Attribute("qos-class", "fps-game"), Attribute.flag("sendrecv"));
    }

    @Test
    void kamailioCodecDataPrintsBackByteForByte() {
        SdpParser.Result r = SdpParser.parse(SdpVectors.KAMAILIO_GAME_OFFER);

        assertThat(r.description().printCodecData(r.label())).isEqualTo(SdpVectors.KAMAILIO_GAME_OFFER);
    }

    @Test
    void answerCodecDataIsLabelledDownlinkAnswer() {
        SdpParser.Result r = SdpParser.parse(SdpVectors.KAMAILIO_GAME_ANSWER);

        assertThat(r.label()).isEqualTo(new CodecDataLabel(CodecDataLabel.Link.DOWNLINK, CodecDataLabel.Role.ANSWER));
        assertThat(r.label().fromUe()).isFalse();
    }

    @Test
    void registrationCodecDataIsAnEmptyFragment() {
        SdpParser.Result r = SdpParser.parse(SdpVectors.KAMAILIO_REGISTRATION_OFFER);

        assertThat(r.ok()).isTrue();
        assertThat(r.label().link()).isEqualTo(CodecDataLabel.Link.DOWNLINK);
        assertThat(r.description().media()).isEmpty();
    }

    @Test
    void terminatingSideLabelsAreRead() {
        SdpParser.Result r = SdpParser.parse("uplink\nanswer\nm=audio 26000 RTP/AVP 0\r\n\0");

        assertThat(r.label()).isEqualTo(new CodecDataLabel(CodecDataLabel.Link.UPLINK, CodecDataLabel.Role.ANSWER));
    }

    @Test
    void descriptionRoleIsAccepted() {
        SdpParser.Result r = SdpParser.parse("downlink\ndescription\nm=audio 26000 RTP/AVP 0\n");

        assertThat(r.label().role()).isEqualTo(CodecDataLabel.Role.DESCRIPTION);
    }

    @Test
    void headerLinesMayEndInCrlf() {
        SdpParser.Result r = SdpParser.parse("uplink\r\noffer\r\nm=audio 26000 RTP/AVP 0\r\n");

        assertThat(r.label().role()).isEqualTo(CodecDataLabel.Role.OFFER);
        assertThat(r.description().media()).hasSize(1);
    }

    @Test
    void linphoneOfferKeepsEveryAttributeInOrder() {
        SessionDescription sd = ok(SdpVectors.LINPHONE_OFFER);

        assertThat(sd.attributes()).extracting(Attribute::name).containsExactly("rtcp-xr", "record");
        MediaDescription m = sd.media().getFirst();
        assertThat(m.formats()).containsExactly("96", "97", "98", "0", "8", "101", "99", "100");
        assertThat(m.attributes()).hasSize(13);
        assertThat(m.attribute("rtcp-mux")).isEqualTo(Attribute.flag("rtcp-mux"));
        assertThat(m.attribute("rtcp-fb").value()).isEqualTo("* trr-int 1000");
        assertThat(m.codec()).isEqualTo("opus");
    }

    @Test
    void linphoneOfferHasItsSessionFields() {
        SessionDescription sd = ok(SdpVectors.LINPHONE_OFFER);

        assertThat(sd.origin()).isEqualTo(new Origin("alice", "3318", "1502", "IN", "IP4", "192.168.1.10"));
        assertThat(sd.sessionName()).isEqualTo("Talk");
        assertThat(sd.connection()).isEqualTo(Connection.of("192.168.1.10"));
        assertThat(sd.timings()).containsExactly(Timing.unbounded());
    }

    @Test
    void rfc3264OfferHasThreeMediaAtTheirLines() {
        SdpParser.Result r = SdpParser.parse(SdpVectors.RFC3264_OFFER);

        assertThat(r.mediaLines()).containsExactly(6, 8, 10);
        assertThat(r.description().media()).extracting(MediaDescription::media).containsExactly("audio", "video", "video");
    }

    @Test
    void rfc3264AnswerDeclinesTheFirstVideoWithPortZero() {
        SessionDescription sd = ok(SdpVectors.RFC3264_ANSWER);

        MediaDescription video = sd.media().get(1);
        assertThat(video.rejected()).isTrue();
        assertThat(video.attributes()).isEmpty();
        assertThat(sd.direction(video)).isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void emptySessionNameIsKept() {
        assertThat(ok(SdpVectors.RFC3264_OFFER).sessionName()).isEmpty();
    }

    @Test
    void rfc4317AnswerChoosesPcmuAndMpv() {
        SessionDescription sd = ok(SdpVectors.RFC4317_ANSWER);

        assertThat(sd.media()).extracting(MediaDescription::codec).containsExactly("pcmu", "mpv");
    }

    @Test
    void staticPayloadTypeWithoutRtpmapNamesItsCodec() {
        SessionDescription sd = ok("m=audio 4000 RTP/AVP 18 0\r\n");

        assertThat(sd.media().getFirst().codec()).isEqualTo("g729");
    }

    @Test
    void holdOfferIsSendonlyAndItsAnswerRecvonly() {
        assertThat(ok(SdpVectors.RFC4317_HOLD_OFFER).media().getFirst().direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(ok(SdpVectors.RFC4317_HOLD_ANSWER).media().getFirst().direction()).isEqualTo(MediaDirection.RECVONLY);
    }

    @Test
    void sessionDirectionAppliesToMediaWithoutTheirOwn() {
        SessionDescription sd = ok("v=0\no=- 1 1 IN IP4 h\ns=-\na=recvonly\nm=audio 1 RTP/AVP 0\nm=video 2 RTP/AVP 31\na=sendrecv\n");

        assertThat(sd.direction(sd.media().get(0))).isEqualTo(MediaDirection.RECVONLY);
        assertThat(sd.direction(sd.media().get(1))).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void lfAndCrlfLineEndsGiveTheSameDescription() {
        assertThat(ok(SdpVectors.LINPHONE_OFFER.replace("\r\n", "\n"))).isEqualTo(ok(SdpVectors.LINPHONE_OFFER));
    }

    @Test
    void trailingNulsAndNewlinesAreIgnored() {
        assertThat(ok("m=audio 1 RTP/AVP 0\r\n\0\0\n")).isEqualTo(ok("m=audio 1 RTP/AVP 0"));
    }

    @Test
    void blankLinesAreSkipped() {
        assertThat(ok("m=audio 1 RTP/AVP 0\r\n\r\nb=AS:64\r\n")).isEqualTo(ok("m=audio 1 RTP/AVP 0\r\nb=AS:64\r\n"));
    }

    @Test
    void fieldsMayBeSeparatedBySeveralSpaces() {
        MediaDescription m = ok("m=audio  49170   RTP/AVP  0 8\n").media().getFirst();

        assertThat(m.port()).isEqualTo(49170);
        assertThat(m.formats()).containsExactly("0", "8");
    }

    @Test
    void unknownAttributeIsKeptVerbatim() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0\na=x-vendor:one two:three \n").media().getFirst();

        assertThat(m.attributes()).containsExactly(new Attribute("x-vendor", "one two:three "));
    }

    @Test
    void propertyAndEmptyValueAttributesDiffer() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0\na=x-flag\na=x-empty:\n").media().getFirst();

        assertThat(m.attribute("x-flag").value()).isNull();
        assertThat(m.attribute("x-empty").value()).isEmpty();
    }

    @Test
    void portCountIsRead() {
        MediaDescription m = ok("m=video 49170/2 RTP/AVP 31\n").media().getFirst();

        assertThat(m.port()).isEqualTo(49170);
        assertThat(m.portCount()).isEqualTo(2);
        assertThat(m.mediaLine()).isEqualTo("video 49170/2 RTP/AVP 31");
    }

    @Test
    void everyBandwidthTypeIsKeptWithItsUnit() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0\nb=AS:80\nb=TIAS:64000\nb=RS:800\nb=RR:2000\nb=X-YZ:7\n")
                .media().getFirst();

        assertThat(m.bandwidths()).extracting(Bandwidth::bitsPerSecond).containsExactly(80_000L, 64_000L, 800L, 2000L, -1L);
    }

    @Test
    void mediaConnectionOverridesTheSessionOne() {
        SessionDescription sd = ok("v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 10.0.0.1\nm=audio 1 RTP/AVP 0\n"
                + "c=IN IP6 2001:db8::1\nm=video 2 RTP/AVP 31\n");

        assertThat(sd.connectionOf(sd.media().get(0)).host()).isEqualTo("2001:db8::1");
        assertThat(sd.connectionOf(sd.media().get(1)).host()).isEqualTo("10.0.0.1");
    }

    @Test
    void multicastConnectionKeepsTtlButHostDropsIt() {
        Connection c = ok("m=audio 1 RTP/AVP 0\nc=IN IP4 224.2.36.42/127\n").media().getFirst().connection();

        assertThat(c.address()).isEqualTo("224.2.36.42/127");
        assertThat(c.host()).isEqualTo("224.2.36.42");
    }

    @Test
    void repeatLinesBelongToTheirTiming() {
        SessionDescription sd = ok("v=0\no=- 1 1 IN IP4 h\ns=-\nt=3034423619 3042462419\nr=604800 3600 0 90000\nt=0 0\n");

        assertThat(sd.timings()).containsExactly(new Timing(3034423619L, 3042462419L, List.of("604800 3600 0 90000")),
                Timing.unbounded());
    }

    @Test
    void emptyInputIsAnEmptyFragment() {
        SdpParser.Result r = SdpParser.parse("");

        assertThat(r.ok()).isTrue();
        assertThat(r.description().media()).isEmpty();
        assertThat(r.label()).isNull();
    }

    @Test
    void headerIsReadIgnoringCaseAndSurroundingBlanks() {
        SdpParser.Result r = SdpParser.parse(" UpLink \t\n\tOFFER \r\nm=audio 1 RTP/AVP 0\r\n\0");

        assertThat(r.label()).isEqualTo(new CodecDataLabel(CodecDataLabel.Link.UPLINK, CodecDataLabel.Role.OFFER));
        assertThat(r.mediaLines()).containsExactly(3);
    }

    @Test
    void headerWithNonAsciiLettersIsReadAsRootLowerCasingReadsIt() {
        // KELVIN SIGN lower-cases to k; DOTLESS I and LONG S do not lower-case to i and s
        assertThat(SdpParser.parse("uplin\u212A\noffer\nm=audio 1 RTP/AVP 0\n").label())
                .isEqualTo(new CodecDataLabel(CodecDataLabel.Link.UPLINK, CodecDataLabel.Role.OFFER));
        assertThat(SdpParser.parse("upl\u0131nk\noffer\nm=audio 1 RTP/AVP 0\n").error()).isEqualTo(new SdpError(1,
                "expected <type>=<value> with a lower-case letter as type, found 'upl\u0131nk'"));
        assertThat(SdpParser.parse("downlink\nde\u017Fcription\nm=audio 1 RTP/AVP 0\n").error())
                .isEqualTo(new SdpError(2, "Codec-Data header: the second line must be offer, answer or description "
                        + "(TS 29.214 §5.3.7), found 'de\u017Fcription'"));
    }

    @Test
    void headerWithoutItsSecondLineNamesTheFirst() {
        assertThat(SdpParser.parse(" downlink \n\0").error()).isEqualTo(new SdpError(1, "Codec-Data header: "
                + "'downlink' must be followed by a line offer, answer or description (TS 29.214 §5.3.7)"));
    }

    @Test
    void blankSecondHeaderLineIsNotARole() {
        assertThat(SdpParser.parse("uplink\n\noffer\nm=audio 1 RTP/AVP 0\n").error())
                .isEqualTo(new SdpError(2, "Codec-Data header: the second line must be offer, answer or description "
                        + "(TS 29.214 §5.3.7), found ''"));
    }

    @Test
    void whiteSpaceOnlyLinesAreSkippedWhateverTheirCharacters() {
        SdpParser.Result r = SdpParser.parse("uplink\noffer\n \t\r\n\u2003\nm=audio 1 RTP/AVP 0\r\n\u000B\f\na=sendrecv\n");

        assertThat(r.mediaLines()).containsExactly(5);
        assertThat(r.description().media().getFirst().attributes()).containsExactly(Attribute.flag("sendrecv"));
    }

    @Test
    void aLoneCrInsideALineIsRefusedAndANulBeforeItWins() {
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\ra=sendrecv\n").error())
                .isEqualTo(new SdpError(1, "CR not followed by LF"));
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\r\na=x\r\0\r\na=y\n").error())
                .isEqualTo(new SdpError(2, "NUL byte inside the description (only trailing NULs are ignored)"));
    }

    @Test
    void onlyTheCrBeforeTheLfIsALineEnd() {
        SdpParser.Result r = SdpParser.parse("m=audio 1 RTP/AVP 0\r\r\n");

        assertThat(r.ok()).isTrue();
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\na=x\r\r\na=y\n").error())
                .isEqualTo(new SdpError(2, "CR not followed by LF"));
    }

    @Test
    void trailingNulsCrsAndLfsOnlyInputIsAnEmptyFragment() {
        SdpParser.Result r = SdpParser.parse("\0\r\n\n\0");

        assertThat(r.ok()).isTrue();
        assertThat(r.label()).isNull();
        assertThat(r.description().media()).isEmpty();
    }

    @Test
    void bandwidthTypeAndValueMayBeSurroundedByBlanks() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0\nb= AS : 64 \nb=x-custom:7\n").media().getFirst();

        assertThat(m.bandwidths()).containsExactly(new Bandwidth("AS", 64), new Bandwidth("x-custom", 7));
    }

    @Test
    void bandwidthWithoutValueOrWithSpaceInTypeIsRefusedQuotingTheValue() {
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\nb=AS: \n").error()).isEqualTo(new SdpError(2,
                "b= needs <bwtype>:<bandwidth> with a decimal bandwidth of at most 18 digits (RFC 8866 §5.8), "
                        + "found 'AS: '"));
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\nb=A S:1\n").error().reason()).endsWith("found 'A S:1'");
    }

    @Test
    void attributeNamesKeepTheirCaseAndValuesTheirBlanks() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0\na=Sendrecv\na=rtpmap: 0  PCMU/8000 \na=fmtp:\n").media()
                .getFirst();

        assertThat(m.attributes()).containsExactly(Attribute.flag("Sendrecv"), new Attribute("rtpmap", " 0  PCMU/8000 "),
                new Attribute("fmtp", ""));
        assertThat(m.direction()).isNull();
    }

    @Test
    void attributeNameThatIsNotATokenIsQuoted() {
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\na=bad name:x\n").error()).isEqualTo(
                new SdpError(2, "attribute name 'bad name' is not a token (RFC 8866 §5.13)"));
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\na=:x\n").error()).isEqualTo(
                new SdpError(2, "attribute name '' is not a token (RFC 8866 §5.13)"));
    }

    @Test
    void mediaLineFieldsMaySitBetweenBlanksAndATabStaysInItsField() {
        MediaDescription m = ok("m=\t audio  16000/2   RTP/AVP  0 8 \n").media().getFirst();

        assertThat(m.mediaLine()).isEqualTo("audio 16000/2 RTP/AVP 0 8");
        assertThat(SdpParser.parse("m=audio 1 RTP/AVP 0\t8\n").error()).isEqualTo(new SdpError(1,
                "format '0\t8' is invalid: expected a non-empty value without white space"));
    }

    @Test
    void formatsAreKeptAsWrittenLeadingZerosAndLargeNumbersIncluded() {
        MediaDescription m = ok("m=audio 1 RTP/AVP 0 08 000 127 128 1000 96a\n").media().getFirst();

        assertThat(m.formats()).containsExactly("0", "08", "000", "127", "128", "1000", "96a");
    }

    @Test
    void aRepeatNamesTheFirstLineCountingHeaderAndBlankLines() {
        SdpParser.Result r = SdpParser.parse("uplink\noffer\nv=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\n\r\nb=AS:1\r\n"
                + "a=qos-class:voice\r\n \r\nb=RR:1\r\na=qos-class:voice\r\nm=audio 1 RTP/AVP 0\r\n");

        assertThat(r.error()).isEqualTo(new SdpError(11,
                "a=qos-class is given twice at session level (first on line 8)"));
    }

    @Test
    void aRepeatedBandwidthInTheSecondMediaNamesItsOwnLevel() {
        SdpParser.Result r = SdpParser.parse("m=audio 1 RTP/AVP 0\nb=AS:1\nm=video 2 RTP/AVP 31\n\nb=RS:1\nb=AS:2\n"
                + "a=sendrecv\nb=rs:3\n");

        assertThat(r.error()).isEqualTo(new SdpError(8,
                "b=rs is given twice in the media description of line 3 (first on line 5)"));
    }

    @Test
    void mediaLinesOfManyMediaAreCounted() {
        SdpParser.Result r = SdpParser.parse("m=audio 1 RTP/AVP 0\nm=video 2 RTP/AVP 31\n\nm=text 3 RTP/AVP 98\n");

        assertThat(r.mediaLines()).containsExactly(1, 2, 4);
        assertThat(r.description().media()).extracting(MediaDescription::media).containsExactly("audio", "video",
                "text");
    }

    @Test
    void oEndingTheInputIsReportedAsTheEnd() {
        assertThat(SdpParser.parse("v=0\n\n").error())
                .isEqualTo(new SdpError(1, "o= must follow v= (RFC 8866 §5), found the end of the input"));
    }

    @Test
    void nullInputIsAnError() {
        assertThat(SdpParser.parse(null).error()).isEqualTo(new SdpError(0, "no description"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("version other than 0", "v=1\no=- 1 1 IN IP4 h\ns=-\n", 1, "v= must be 0"),
                Arguments.of("o= missing", "v=0\ns=-\n", 2, "o= must follow v="),
                Arguments.of("o= with five fields", "v=0\no=- 1 1 IN IP4\ns=-\n", 2, "o= needs 6 fields"),
                Arguments.of("s= missing at the end", "v=0\no=- 1 1 IN IP4 h\n", 2, "s= must follow o="),
                Arguments.of("line without =", "m=audio 1 RTP/AVP 0\r\nbogus\r\n", 2, "expected <type>=<value>"),
                Arguments.of("upper-case type", "m=audio 1 RTP/AVP 0\nA=x\n", 2, "expected <type>=<value>"),
                Arguments.of("leading space", "m=audio 1 RTP/AVP 0\n a=x\n", 2, "expected <type>=<value>"),
                Arguments.of("unknown type", "v=0\no=- 1 1 IN IP4 h\ns=-\nx=1\n", 4, "unknown line type x="),
                Arguments.of("neither v= nor m= first", "a=sendrecv\nm=audio 1 RTP/AVP 0\n", 1, "starts with v="),
                Arguments.of("port out of range", "m=audio 70000 RTP/AVP 0\n", 1, "port '70000'"),
                Arguments.of("port not a number", "m=audio 12a RTP/AVP 0\n", 1, "port '12a'"),
                Arguments.of("port count zero", "m=audio 1/0 RTP/AVP 0\n", 1, "number of ports"),
                Arguments.of("m= without format", "m=audio 1 RTP/AVP\n", 1, "m= needs"),
                Arguments.of("media not a token", "m=au(dio 1 RTP/AVP 0\n", 1, "is not a token"),
                Arguments.of("bandwidth not a number", "m=audio 1 RTP/AVP 0\nb=AS:64k\n", 2, "b= needs"),
                Arguments.of("bandwidth without type", "m=audio 1 RTP/AVP 0\nb=64\n", 2, "b= needs"),
                Arguments.of("bandwidth type twice", "m=audio 1 RTP/AVP 0\nb=AS:64\nb=as:80\n", 3, "given twice"),
                Arguments.of("connection with two fields", "m=audio 1 RTP/AVP 0\nc=IN IP4\n", 2, "c= needs"),
                Arguments.of("timing not numeric", "v=0\no=- 1 1 IN IP4 h\ns=-\nt=now 0\n", 4, "t= needs"),
                Arguments.of("repeat before timing", "v=0\no=- 1 1 IN IP4 h\ns=-\nr=7d 1h 0\n", 4, "r= must follow"),
                Arguments.of("timing inside media", "m=audio 1 RTP/AVP 0\nt=0 0\n", 2, "session-level line"),
                Arguments.of("second s=", "v=0\no=- 1 1 IN IP4 h\ns=-\ns=again\n", 4, "a second s="),
                Arguments.of("second session c=", "v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 a\nc=IN IP4 b\n", 5,
                        "a second c= line"),
                Arguments.of("second media i=", "m=audio 1 RTP/AVP 0\ni=a\ni=b\n", 3, "a second i="),
                Arguments.of("direction with value", "m=audio 1 RTP/AVP 0\na=sendrecv:yes\n", 2, "takes no value"),
                Arguments.of("two directions", "m=audio 1 RTP/AVP 0\na=sendonly\na=recvonly\n", 3,
                        "conflicting direction attributes"),
                Arguments.of("rtpmap payload not numeric", "m=audio 1 RTP/AVP 0\na=rtpmap:xx PCMU/8000\n", 2, "a=rtpmap"),
                Arguments.of("rtpmap without clock", "m=audio 1 RTP/AVP 0\na=rtpmap:0 PCMU\n", 2, "a=rtpmap"),
                Arguments.of("rtpmap with empty parameters", "m=audio 1 RTP/AVP 0\na=rtpmap:0 PCMU/8000/\n", 2, "a=rtpmap"),
                Arguments.of("rtpmap with four parts", "m=audio 1 RTP/AVP 0\na=rtpmap:0 PCMU/8000/1/2\n", 2, "a=rtpmap"),
                Arguments.of("rtpmap with clock 0", "m=audio 1 RTP/AVP 0\na=rtpmap:0 PCMU/0\n", 2, "a=rtpmap"),
                Arguments.of("maxprate not a rate", "m=audio 1 RTP/AVP 0\na=maxprate:fast\n", 2, "a=maxprate"),
                Arguments.of("attribute name not a token", "m=audio 1 RTP/AVP 0\na=na me:1\n", 2, "not a token"),
                Arguments.of("empty attribute", "m=audio 1 RTP/AVP 0\na=\n", 2, "not a token"),
                Arguments.of("NUL inside", "m=audio 1 RTP/AVP 0\r\na=x\0y\r\nb=AS:1\r\n", 2, "NUL byte"),
                Arguments.of("bare CR", "m=audio 1 RTP/AVP 0\r\na=x\ry\r\n", 2, "CR not followed by LF"),
                Arguments.of("control character in origin", "v=0\no=- 1 1 IN IP4 h\u0001x\ns=-\n", 2, "origin address"),
                Arguments.of("header without role", "uplink", 1, "must be followed by a line"),
                Arguments.of("header with unknown role", "uplink\nrequest\nm=audio 1 RTP/AVP 0\n", 2,
                        "offer, answer or description"),
                Arguments.of("error counts header lines", "uplink\noffer\nm=audio 1 RTP/AVP 0\r\nb=AS:x\r\n\0", 4,
                        "b= needs"));
    }

    @Test
    void aRepeatNamesTheLineOfTheFirstEvenAfterManyLines() {
        StringBuilder sdp = new StringBuilder("m=audio 1 RTP/AVP 0\n");
        for (int i = 0; i < 12; i++) {
            sdp.append("a=x-").append(i).append('\n');
        }
        sdp.append("a=maxprate:50\n");
        for (int i = 12; i < 24; i++) {
            sdp.append("a=x-").append(i).append('\n');
        }
        sdp.append("a=maxprate:40\n");

        SdpParser.Result r = SdpParser.parse(sdp.toString());

        assertThat(r.error()).isEqualTo(new SdpError(27,
                "a=maxprate is given twice in the media description of line 1 (first on line 14)"));
    }

    @Test
    void aBandwidthTypeRepeatedInAnotherCaseNamesTheFirstLine() {
        SdpParser.Result r = SdpParser.parse(
                "m=audio 1 RTP/AVP 0\nb=CT:1\nb=RS:1\nb=RR:1\nb=TIAS:1\nb=X-A:1\nb=AS:64\nb=x-a:2\n");

        assertThat(r.error()).isEqualTo(new SdpError(8,
                "b=x-a is given twice in the media description of line 1 (first on line 6)"));
    }

    @Test
    void rtpmapValuesAcceptedAndRefused() {
        assertThat(SdpParser.rtpmap("0 PCMU/8000")).isTrue();
        assertThat(SdpParser.rtpmap("  96   opus/48000/2 \t")).isTrue();
        assertThat(SdpParser.rtpmap("101 telephone-event/8000")).isTrue();
        assertThat(SdpParser.rtpmap("")).isFalse();
        assertThat(SdpParser.rtpmap("0")).isFalse();
        assertThat(SdpParser.rtpmap("0 ")).isFalse();
        assertThat(SdpParser.rtpmap("0 PCMU/8000 x")).isFalse();
        assertThat(SdpParser.rtpmap("0\tPCMU/8000")).isFalse();
        assertThat(SdpParser.rtpmap("x PCMU/8000")).isFalse();
        assertThat(SdpParser.rtpmap("0 /8000")).isFalse();
        assertThat(SdpParser.rtpmap("0 PCMU/")).isFalse();
        assertThat(SdpParser.rtpmap("0 PCMU/8000/")).isFalse();
        assertThat(SdpParser.rtpmap("0 PCMU/8000/1/2")).isFalse();
        assertThat(SdpParser.rtpmap("0 PC(MU/8000")).isFalse();
        assertThat(SdpParser.rtpmap("1234567890123456789 PCMU/8000")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputGivesItsLineAndReason(String name, String text, int line, String reason) {
        SdpParser.Result r = SdpParser.parse(text);

        assertThat(r.ok()).isFalse();
        assertThat(r.description()).isNull();
        assertThat(r.error().line()).isEqualTo(line);
        assertThat(r.error().reason()).contains(reason);
    }
}
