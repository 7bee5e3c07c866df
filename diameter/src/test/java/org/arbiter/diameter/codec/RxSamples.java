package org.arbiter.diameter.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages as Kamailio 5.6.3 ims_qos (P-CSCF, cdp) sends them.
 *
 * <p>Source: the AAR observed on the wire from Kamailio 5.6.3 (Debian 12) acting as P-CSCF, orig
 * direction, decoded with tshark 4.0.17: header cmd 265 R+P app 16777236, then Session-Id
 * {@code pcscf.rx.test;2072389454;1}, Origin-Host/Realm, Auth-Application-Id and
 * Vendor-Specific-Application-Id, Destination-Realm, AF-Application-Identifier "IMS Services",
 * Authorization-Lifetime 7200, Subscription-Id (2, sip:alice@rx.test), Reservation-Priority
 * (ETSI, V only), three Media-Component-Descriptions, Framed-IP-Address 127.0.0.1,
 * Specific-Action 1,2,3,4,5,6,12, Auth-Grace-Period 0, Session-Timeout 7200, in that order.
 * Component 3's uplink Codec-Data is byte-exact as observed; the audio and video SDP blocks are
 * rebuilt from the observed offer/answer (ports 16000/16002 and 26000/26002, b=AS 64/80 and
 * 512/1024, audio answer b=RS:800 b=RR:2000), whose exact attribute lines were not recorded.
 */
public final class RxSamples {

    private static final Dictionary D = Dictionary.standard();

    public static final String SESSION_ID = "pcscf.rx.test;2072389454;1";
    public static final String APPLICATION_OFFER =
            "uplink\noffer\nm=application 16004 RTP/AVP 98\r\nb=AS:2000\r\na=rtpmap:98 x-game/90000\r\n"
                    + "a=qos-latency:40\r\na=qos-class:fps-game\r\na=sendrecv\r\n\0";

    private RxSamples() {}

    private static Avp u32(String name, long v) {
        return Avp.unsigned32(D.avp(name), v);
    }

    private static Avp text(String name, String v) {
        return Avp.utf8(D.avp(name), v);
    }

    private static Avp mcd(int n, int mediaType, int offerPort, int answerPort, long ul, long dl, long rs, long rr, String offer, String answer) {
        List<Avp> c = new ArrayList<>();
        c.add(u32("Media-Component-Number", n));
        c.add(Avp.grouped(D.avp("Media-Sub-Component"),
                u32("Flow-Number", n),
                text("Flow-Description", "permit out 17 from 127.0.0.2 " + answerPort + " to 127.0.0.1 " + offerPort),
                text("Flow-Description", "permit in 17 from 127.0.0.1 " + offerPort + " to 127.0.0.2 " + answerPort),
                Avp.enumerated(D.avp("Flow-Usage"), 0)));
        c.add(Avp.enumerated(D.avp("Media-Type"), mediaType));
        if (ul >= 0) {
            c.add(u32("Max-Requested-Bandwidth-UL", ul));
            c.add(u32("Max-Requested-Bandwidth-DL", dl));
        }
        if (rs > 0) {
            c.add(u32("RS-Bandwidth", rs));
            c.add(u32("RR-Bandwidth", rr));
        }
        c.add(text("Codec-Data", offer));
        c.add(text("Codec-Data", answer));
        c.add(Avp.enumerated(D.avp("Flow-Status"), 2));
        return Avp.grouped(D.avp("Media-Component-Description"), c);
    }

    /** The audio component's uplink Codec-Data. */
    public static final String AUDIO_OFFER = "uplink\noffer\nm=audio 16000 RTP/AVP 0\r\nb=AS:64\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n\0";

    /** The initial AAR of a call with audio, video and an RTP game flow. */
    public static DiameterMessage kamailioAar() {
        List<Avp> a = new ArrayList<>();
        a.add(text("Session-Id", SESSION_ID));
        a.add(text("Origin-Host", "pcscf.rx.test"));
        a.add(text("Origin-Realm", "rx.test"));
        a.add(u32("Auth-Application-Id", 16777236));
        a.add(Avp.grouped(D.avp("Vendor-Specific-Application-Id"), u32("Vendor-Id", 10415), u32("Auth-Application-Id", 16777236)));
        a.add(text("Destination-Realm", "rx.test"));
        a.add(text("AF-Application-Identifier", "IMS Services"));
        a.add(u32("Authorization-Lifetime", 7200));
        a.add(Avp.grouped(D.avp("Subscription-Id"), Avp.enumerated(D.avp("Subscription-Id-Type"), 2), text("Subscription-Id-Data", "sip:alice@rx.test")));
        a.add(Avp.enumerated(D.avp("Reservation-Priority"), 0));
        a.add(mcd(1, 0, 16000, 26000, 64000, 80000, 800, 2000, AUDIO_OFFER,
                "downlink\nanswer\nm=audio 26000 RTP/AVP 0\r\nb=AS:80\r\nb=RS:800\r\nb=RR:2000\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n\0"));
        a.add(mcd(2, 1, 16002, 26002, 512000, 1024000, 0, 0,
                "uplink\noffer\nm=video 16002 RTP/AVP 96\r\nb=AS:512\r\na=rtpmap:96 H264/90000\r\na=sendrecv\r\n\0",
                "downlink\nanswer\nm=video 26002 RTP/AVP 96\r\nb=AS:1024\r\na=rtpmap:96 H264/90000\r\na=sendrecv\r\n\0"));
        a.add(mcd(3, 3, 16004, 26004, -1, -1, 0, 0, APPLICATION_OFFER,
                "downlink\nanswer\nm=application 26004 RTP/AVP 98\r\nb=AS:3000\r\na=rtpmap:98 x-game/90000\r\n"
                        + "a=qos-latency:40\r\na=qos-class:fps-game\r\na=sendrecv\r\n\0"));
        a.add(Avp.octets(D.avp("Framed-IP-Address"), new byte[] {127, 0, 0, 1}));
        for (int action : new int[] {1, 2, 3, 4, 5, 6, 12}) {
            a.add(Avp.enumerated(D.avp("Specific-Action"), action));
        }
        a.add(u32("Auth-Grace-Period", 0));
        a.add(u32("Session-Timeout", 7200));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, 265, 16777236, 0x1234, 0x5678, a);
    }

    /**
     * The STR cdp generates itself after an ASR: Destination-Realm twice, no
     * Vendor-Specific-Application-Id, no AF-Application-Identifier.
     */
    public static DiameterMessage kamailioStrAfterAsr(String sessionId) {
        List<Avp> a = new ArrayList<>();
        a.add(text("Session-Id", sessionId));
        a.add(text("Origin-Host", "pcscf.rx.test"));
        a.add(text("Origin-Realm", "rx.test"));
        a.add(text("Destination-Realm", "rx.test"));
        a.add(u32("Auth-Application-Id", 16777236));
        a.add(text("Destination-Realm", "rx.test"));
        a.add(Avp.enumerated(D.avp("Termination-Cause"), 4));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, 275, 16777236, 0x2222, 0x3333, a);
    }
}
