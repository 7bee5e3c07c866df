package org.arbiter.core.sdp;

/** Golden SDP and Codec-Data vectors shared by the tests; each notes its source. */
public final class SdpVectors {

    private SdpVectors() {}

    /**
     * Codec-Data of Media-Component 3 (the game flow) of the offer, captured from Kamailio 5.6.3
     * ims_qos (orig): LF after the header lines, CRLF after the SDP lines, a trailing NUL byte.
     */
    public static final String KAMAILIO_GAME_OFFER = "uplink\noffer\n"
            + "m=application 16004 RTP/AVP 98\r\n"
            + "b=AS:2000\r\n"
            + "a=rtpmap:98 x-game/90000\r\n"
            + "a=qos-latency:40\r\n"
            + "a=qos-class:fps-game\r\n"
            + "a=sendrecv\r\n"
            + "\0";

    /**
     * The answer's Codec-Data of the same component, reconstructed in the captured format from the
     * answer SDP observed with Kamailio 5.6.3 ims_qos (127.0.0.2, port 26004, b=AS:3000).
     */
    public static final String KAMAILIO_GAME_ANSWER = "downlink\nanswer\n"
            + "m=application 26004 RTP/AVP 98\r\n"
            + "b=AS:3000\r\n"
            + "a=rtpmap:98 x-game/90000\r\n"
            + "a=qos-latency:40\r\n"
            + "a=qos-class:fps-game\r\n"
            + "a=sendrecv\r\n"
            + "\0";

    /**
     * The empty Codec-Data of a registration AAR observed with Kamailio 5.6.3 ims_qos (REGISTER
     * flow), with the trailing NUL that ims_qos always appends.
     */
    public static final String KAMAILIO_REGISTRATION_OFFER = "downlink\noffer\n\0";

    /** A Linphone-style audio offer: opus/speex, telephone-event, rtcp-mux, rtcp-fb, session rtcp-xr. */
    public static final String LINPHONE_OFFER = """
            v=0\r
            o=alice 3318 1502 IN IP4 192.168.1.10\r
            s=Talk\r
            c=IN IP4 192.168.1.10\r
            t=0 0\r
            a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics\r
            a=record:off\r
            m=audio 7078 RTP/AVP 96 97 98 0 8 101 99 100\r
            a=rtpmap:96 opus/48000/2\r
            a=fmtp:96 useinbandfec=1\r
            a=rtpmap:97 speex/16000\r
            a=fmtp:97 vbr=on\r
            a=rtpmap:98 speex/8000\r
            a=fmtp:98 vbr=on\r
            a=rtpmap:101 telephone-event/48000\r
            a=rtpmap:99 telephone-event/16000\r
            a=rtpmap:100 telephone-event/8000\r
            a=rtcp-mux\r
            a=rtcp:7079\r
            a=rtcp-fb:* trr-int 1000\r
            a=rtcp-fb:* ccm tmmbr\r
            """;

    /** RFC 3264 §10.1, the offer: one audio and two video streams. */
    public static final String RFC3264_OFFER = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 host.anywhere.com
            s=
            c=IN IP4 host.anywhere.com
            t=0 0
            m=audio 49170 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            m=video 51372 RTP/AVP 31
            a=rtpmap:31 H261/90000
            m=video 53000 RTP/AVP 32
            a=rtpmap:32 MPV/90000
            """;

    /** RFC 3264 §10.1, the answer: the first video stream declined with port 0. */
    public static final String RFC3264_ANSWER = """
            v=0
            o=bob 2890844730 2890844730 IN IP4 host.example.com
            s=
            c=IN IP4 host.example.com
            t=0 0
            m=audio 49920 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            m=video 0 RTP/AVP 31
            m=video 53000 RTP/AVP 32
            a=rtpmap:32 MPV/90000
            """;

    /** RFC 4317 §2.1.1, the offer: audio with three codecs and video with two. */
    public static final String RFC4317_OFFER = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
            s=
            c=IN IP4 host.atlanta.example.com
            t=0 0
            m=audio 49170 RTP/AVP 0 8 97
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:97 iLBC/8000
            m=video 51372 RTP/AVP 31 32
            a=rtpmap:31 H261/90000
            a=rtpmap:32 MPV/90000
            """;

    /** RFC 4317 §2.1.1, the answer: PCMU and MPV chosen. */
    public static final String RFC4317_ANSWER = """
            v=0
            o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
            s=
            c=IN IP4 host.biloxi.example.com
            t=0 0
            m=audio 49174 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            m=video 49170 RTP/AVP 32
            a=rtpmap:32 MPV/90000
            """;

    /** RFC 4317 §2.5-style hold: the offerer puts the audio on hold with a=sendonly. */
    public static final String RFC4317_HOLD_OFFER = """
            v=0
            o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com
            s=
            c=IN IP4 host.atlanta.example.com
            t=0 0
            m=audio 49170 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            a=sendonly
            """;

    /** The answer to the hold: a=recvonly. */
    public static final String RFC4317_HOLD_ANSWER = """
            v=0
            o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com
            s=
            c=IN IP4 host.biloxi.example.com
            t=0 0
            m=audio 49174 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            a=recvonly
            """;
}
