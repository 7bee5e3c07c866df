package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SdpParser} gives, for any text, the result of the line-splitting parser it replaced
 * ({@link LineListSdpParser}): the same description, label and m-line numbers, or the same error
 * on the same line with the same message.
 */
class SdpParserDifferentialProperties {

    private static void sameAsReference(String text) {
        assertThat(SdpParser.parse(text)).isEqualTo(LineListSdpParser.parse(text));
    }

    @Property(tries = 2000)
    void anyTextParsesAsBefore(@ForAll String text) {
        sameAsReference(text);
    }

    @Property(tries = 5000)
    void sdpLikeLinesParseAsBefore(@ForAll("codecDataLike") String text) {
        sameAsReference(text);
    }

    @Property(tries = 3000)
    void wholeDescriptionsParseAsBefore(@ForAll("wholeLike") String text) {
        sameAsReference(text);
    }

    @Provide
    Arbitrary<String> codecDataLike() {
        Arbitrary<String> header = Arbitraries.of("", "uplink\noffer\n", "downlink\r\nanswer\r\n", " UpLink \n\tOFFER \n",
                "uplink\n", "uplink", "downlink\n\ndescription\n", "uplink\nbogus\n", "upl\u0130nk\noffer\n",
                "uplin\u212A\noffer\n", "downlink\nde\u017Fcription\n", "uplink\noffer\u0000\n", "x\noffer\n",
                "\nuplink\noffer\n", "uplink\n offer\r\r\n");
        return Combinators.combine(header, lines(), Arbitraries.of("", "\0", "\r\n\0", "\n\n", "\0\0", " ", "\r"))
                .as((h, l, tail) -> h + l + tail);
    }

    @Provide
    Arbitrary<String> wholeLike() {
        Arbitrary<String> start = Arbitraries.of("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n", "v=0\no=- 1 1 IN IP4 h\ns= \n",
                "v= 0 \r\no=a b c d e f\r\ns=x\r\n", "v=1\r\n", "v=0\r\ns=-\r\n", "v=0\r\no=- 1 IN IP4 h\r\ns=-\r\n",
                "v=0\r\no=- 1 1 IN IP4 h\r\n", "v=0\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\n\r\n  \r\ns=-\r\n");
        Arbitrary<String> session = Arbitraries.of("i=info", "u=http://x", "e=a@b", "p=+1", "c=IN IP4 10.0.0.2",
                "c=IN IP4", "t=0 0", "t=1", "r=7d 1h 0 25h", "r= ", "z=0 -1h", "k=prompt", "a=recvonly",
                "a=sendonly", "a=qos-class:voice", "b=AS:128", "b=as:1", "b=CT:64", "a=maxprate:50", "s=again",
                "v=0", "o=- 1 1 IN IP4 h", "x=unknown", "a=qos-latency:40", "a=des:qos mandatory e2e sendrecv")
                .list().ofMaxSize(6).map(l -> String.join("\r\n", l) + (l.isEmpty() ? "" : "\r\n"));
        return Combinators.combine(start, session, lines()).as((s, m, l) -> s + m + l);
    }

    /** Media-level lines, well formed or nearly so, with the line ends and blanks a peer may send. */
    private Arbitrary<String> lines() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("m=audio 16000 RTP/AVP 0 8 101", "m=audio 0 RTP/AVP 0", "m=video 5000/2 RTP/AVPF 96",
                        "m=application 16002 RTP/AVP 98", "m=audio  16000   RTP/AVP  0 ", "m=audio 16000 RTP/AVP",
                        "m=audio 70000 RTP/AVP 0", "m=audio 1/0 RTP/AVP 0", "m=audio 1/ RTP/AVP 0", "m=au(dio 1 UDP x",
                        "m=audio x RTP/AVP 0", "m=audio 1 RTP/AVP 0\t8", "m=text 1 UDP/TLS/RTP/SAVPF 1 2 3 4 5 6",
                        "m=audio 1 TCP a b c", "m=audio 1/65536 RTP/AVP 0", "m= audio 1 RTP/AVP 0", "m=\t audio 1 X 0"),
                Arbitraries.of("b=AS:64", "b=RS:800", "b=RR:2000", "b=TIAS:64000", "b=AS :64", "b= AS:64", "b=AS: 64 ",
                        "b=AS:", "b=AS", "b=:64", "b=A S:64", "b=AS:6x", "b=X-YZ:12", "b=as:1", "b=AS:1234567890123456789",
                        "b=CT:1"),
                Arbitraries.of("a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=rtpmap:96 opus/48000/2",
                        "a=rtpmap:9x PCMU/8000", "a=rtpmap:0", "a=fmtp:101 0-15", "a=ptime:20", "a=sendrecv",
                        "a=sendonly", "a=recvonly", "a=inactive", "a=sendrecv:x", "a=qos-latency:40", "a=qos-latency:",
                        "a=qos-latency", "a=qos-jitter:10", "a=qos-class:fps-game", "a=qos-class:a b",
                        "a=game-format:fps", "a=qos-loss:0.5", "a=qos-loss:101", "a=qos-security:Integrity",
                        "a=curr:qos local none", "a=des:qos mandatory e2e sendrecv", "a=conf:qos remote recv",
                        "a=des:qos e2e", "a=maxprate:50.5", "a=maxprate:x", "a=x-custom", "a=x-custom:", "a=:x",
                        "a=bad name:x", "a=mid:1", "a=rtcp-mux", "a=Sendrecv", "a=rtpmap: 0  PCMU/8000 "),
                Arbitraries.of("i=info", "i=", "c=IN IP4 10.0.0.1", "c=IN IP6 ::1", "c=IN IP4", "k=base64:x",
                        "t=0 0", "s=x", "x=1", "A=1", "m", "=", "", " ", "\t", "a", "a=", "b=", "c=", "1=2"),
                Arbitraries.strings().withChars("am=b:/ 0AS\t\u0000\r\u00e9").ofMaxLength(10));
        Arbitrary<String> end = Arbitraries.of("\r\n", "\r\n", "\n", "\r", "\0", "\r\r\n", " \r\n", "");
        return Combinators.combine(line, end).as((l, e) -> l + e).list().ofMaxSize(12)
                .map(l -> String.join("", l));
    }
}
